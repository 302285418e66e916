import * as lean from "ask-seer-polling/bundler";
import { checkPackage } from "./check.js";

/** The lean entry, where the bundler loads its `.wasm` import with its defaults. */
export const checkLean = () => checkPackage(lean).then((done) => `ask-seer-polling/bundler: ${done}`);
