/**
 * The size budget: fails when an entry of the built package (`pkg/`) loads more bytes, gzip -9,
 * than its budget. Sizes are deterministic, so this is an exact check.
 */
import { fileURLToPath } from "node:url";
import { entrySizes } from "./sizes.mjs";

/**
 * Bytes, gzip -9. `lean` is the target for the wasm and its glue. The default entry carries the
 * same wasm in base64, measured at 1.28 times the lean entry's gzipped bytes (126,091 B against
 * 98,425 B): its budget is the lean one times that, rounded up to the next 1,000.
 */
const BUDGETS = { inline: 77_000, lean: 60_000 };
const LABELS = { inline: "default entry (ask-seer-polling)", lean: "lean entry (ask-seer-polling/bundler)" };

const sizes = entrySizes(fileURLToPath(new URL("../pkg", import.meta.url)));
let over = false;
for (const [name, budget] of Object.entries(BUDGETS)) {
  const size = sizes[name];
  const fits = size.gzip <= budget;
  over ||= !fits;
  const files = size.files.map((file) => `${file.path} ${file.gzip.toLocaleString("en-US")}`).join(", ");
  console.log(`${fits ? "ok  " : "OVER"} ${LABELS[name]}: ${size.gzip.toLocaleString("en-US")} B gzip -9, budget ${budget.toLocaleString("en-US")} B (${files})`);
}
if (over) process.exit(1);
