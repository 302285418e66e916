/**
 * Fails when a relative link of README.md or docs/*.md names a file that does not exist, or an
 * anchor that is not a heading of the file it points into.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const pages = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => join("docs", f))];

/** GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to hyphens. */
const slug = (heading) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");

const anchors = (file) =>
  new Set(
    readFileSync(file, "utf8")
      .replace(/```[\s\S]*?```/g, "")
      .split("\n")
      .filter((line) => /^#{1,6} /.test(line))
      .map((line) => slug(line.replace(/^#+ /, ""))),
  );

const broken = [];
for (const page of pages) {
  const text = readFileSync(join(ROOT, page), "utf8").replace(/```[\s\S]*?```/g, "");
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/.test(target)) continue;
    const [path, anchor] = target.split("#");
    const file = path ? join(ROOT, dirname(page), path) : join(ROOT, page);
    if (!existsSync(file)) broken.push(`${page}: ${target} (no file ${relative(ROOT, file)})`);
    else if (anchor && file.endsWith(".md") && !anchors(file).has(anchor)) broken.push(`${page}: ${target} (no heading #${anchor})`);
  }
}
for (const link of broken) console.error(`broken link: ${link}`);
console.log(`${pages.length} pages, ${broken.length} broken links`);
if (broken.length > 0) process.exit(1);
