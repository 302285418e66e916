/** Where the bench's inputs and outputs live. */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The `bench/` folder. */
export const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));
/** The bundled page. */
export const DIST_DIR = fileURLToPath(new URL("../dist", import.meta.url));
/** The installed package, through the `file:` link, as its real path. */
export const PKG_DIR = realpathSync(fileURLToPath(new URL("../node_modules/ask-seer-polling", import.meta.url)));
/** wasm-bindgen's output before wasm-opt, with its function names, written by `make pkg`. */
export const UNOPTIMIZED_WASM = fileURLToPath(new URL("../../build/web/ask_seer_polling_bg.wasm", import.meta.url));
/** The page's entry and HTML. */
export const PAGE_DIR = fileURLToPath(new URL("./page", import.meta.url));
export const RESULTS_JSON = fileURLToPath(new URL("../results.json", import.meta.url));
export const CHART_SVG = fileURLToPath(new URL("../chart.svg", import.meta.url));
export const CHART_PNG = fileURLToPath(new URL("../chart.png", import.meta.url));
