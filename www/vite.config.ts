import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { defineConfig, searchForWorkspaceRoot } from "vite";
import { askSeerBackend } from "./server/plugin.ts";

/** The package lives in ../pkg, outside this folder: let the dev server read it. */
const pkgDir = fileURLToPath(new URL("../pkg", import.meta.url));

export default defineConfig({
  plugins: [react(), askSeerBackend()],
  // The package is linked from ../pkg: its React hook must import this app's React.
  resolve: { dedupe: ["react", "react-dom"] },
  server: {
    host: "127.0.0.1",
    fs: { allow: [searchForWorkspaceRoot(process.cwd()), pkgDir] },
  },
  preview: { host: "127.0.0.1" },
});
