/**
 * An esbuild plugin for wasm-bindgen's `bundler` output: `import * as wasm from "./x_bg.wasm"`
 * yields the instance's exports, its imports taken from the JavaScript modules the wasm names,
 * as the WebAssembly ES module integration specifies. The `.wasm` file is emitted next to the
 * bundle and instantiated from its URL.
 */
import type { Plugin } from "esbuild";
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, join } from "node:path";

/** The parts of the WebAssembly API used here (Node has it; its type declarations do not). */
interface ModuleDescriptor {
  readonly module?: string;
  readonly name: string;
}
declare const WebAssembly: {
  Module: {
    new (bytes: Uint8Array): object;
    imports(module: object): Required<ModuleDescriptor>[];
    exports(module: object): ModuleDescriptor[];
  };
};

const MODULE = "wasm-esm";
const FILE = "wasm-esm-file";
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The JavaScript module that stands for the `.wasm` file at `path`. */
function moduleSource(path: string, wasm: object): string {
  const importModules = [...new Set(WebAssembly.Module.imports(wasm).map((entry) => entry.module))];
  const exportNames = WebAssembly.Module.exports(wasm).map((entry) => entry.name);
  const bad = exportNames.find((name) => !IDENTIFIER.test(name));
  if (bad !== undefined) throw new Error(`${path}: export ${bad} is not a JavaScript identifier`);
  return [
    `import url from ${JSON.stringify(path)};`,
    ...importModules.map((specifier, i) => `import * as imports${String(i)} from ${JSON.stringify(specifier)};`),
    `const imports = { ${importModules.map((specifier, i) => `${JSON.stringify(specifier)}: imports${String(i)}`).join(", ")} };`,
    "const { instance } = await WebAssembly.instantiateStreaming(fetch(new URL(url, import.meta.url)), imports);",
    ...exportNames.map((name) => `export const ${name} = instance.exports.${name};`),
  ].join("\n");
}

export const wasmEsm: Plugin = {
  name: "wasm-esm",
  setup(builder) {
    builder.onResolve({ filter: /\.wasm$/ }, (args) => {
      if (args.namespace === MODULE) return { path: args.path, namespace: FILE };
      return { path: isAbsolute(args.path) ? args.path : join(args.resolveDir, args.path), namespace: MODULE };
    });
    builder.onLoad({ filter: /.*/, namespace: MODULE }, async (args) => ({
      contents: moduleSource(args.path, new WebAssembly.Module(await readFile(args.path))),
      resolveDir: dirname(args.path),
      loader: "js",
    }));
    builder.onLoad({ filter: /.*/, namespace: FILE }, async (args) => ({
      contents: await readFile(args.path),
      loader: "file",
    }));
  },
};
