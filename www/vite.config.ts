import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { defineConfig, searchForWorkspaceRoot } from "vite";
import wasm from "vite-plugin-wasm";
import { askSeerBackend } from "./server/plugin.ts";

/** The wasm package lives in ../pkg, outside this folder: let the dev server read it. */
const pkgDir = fileURLToPath(new URL("../pkg", import.meta.url));

export default defineConfig({
  plugins: [react(), wasm(), askSeerBackend()],
  server: {
    host: "127.0.0.1",
    fs: { allow: [searchForWorkspaceRoot(process.cwd()), pkgDir] },
  },
  preview: { host: "127.0.0.1" },
  // Pre-bundling would separate the glue code from its .wasm file.
  optimizeDeps: { exclude: ["ask-seer-polling"] },
});
