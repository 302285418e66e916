/**
 * The size budget: fails when an entry of the built package (`pkg/`) loads more bytes, gzip -9,
 * than its budget. Sizes are deterministic, so this is an exact check.
 */
import { fileURLToPath } from "node:url";
import { entrySizes } from "./sizes.mjs";

/**
 * Bytes, gzip -9: the sizes the entries have reached (lean 54,162 B, default 65,539 B) and about
 * 450 B of headroom, so that growth is a decision, not an accident.
 */
const BUDGETS = { inline: 66_000, lean: 54_600 };
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
