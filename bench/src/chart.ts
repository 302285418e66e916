/** An SVG chart of the figures: one horizontal bar panel per section, whiskers from min to max. */
import type { Figure } from "./figures";

/** One panel: the figures it shows, with an optional reference line. */
export interface Panel {
  readonly title: string;
  readonly figures: readonly Figure[];
  readonly reference?: { readonly value: number; readonly label: string };
}

const WIDTH = 960;
const LABEL_WIDTH = 330;
const PLOT_WIDTH = WIDTH - LABEL_WIDTH - 140;
const BAR = 16;
const GAP = 8;
/** One colour per client across the panels: the package blue, TanStack orange, the port green. */
function color(label: string): string {
  if (/\(b\)|TanStack/.test(label)) return "#d8843b";
  if (label.includes("(c)")) return "#3ba55c";
  if (label.startsWith("loop")) return "#9ca3af";
  return "#3b6fd8";
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function number(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString("en-US") : value.toPrecision(3);
}

function panel(spec: Panel, top: number): { svg: string; height: number } {
  const values = spec.figures.flatMap((f) => [f.summary.max, f.summary.median]);
  const scaleMax = Math.max(...values, spec.reference?.value ?? 0, 1e-9) * 1.08;
  const x = (value: number): number => LABEL_WIDTH + (Math.max(value, 0) / scaleMax) * PLOT_WIDTH;
  const parts = [`<text x="12" y="${top + 18}" class="title">${escape(spec.title)}</text>`];
  spec.figures.forEach((figure, i) => {
    const y = top + 32 + i * (BAR + GAP);
    const { median, min, max } = figure.summary;
    parts.push(
      `<text x="${LABEL_WIDTH - 8}" y="${y + BAR - 4}" class="label">${escape(figure.label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y}" width="${(x(median) - LABEL_WIDTH).toFixed(1)}" height="${BAR}" fill="${color(figure.label)}"/>`,
      `<line x1="${x(min).toFixed(1)}" x2="${x(max).toFixed(1)}" y1="${y + BAR / 2}" y2="${y + BAR / 2}" class="whisker"/>`,
      `<line x1="${x(min).toFixed(1)}" x2="${x(min).toFixed(1)}" y1="${y + 3}" y2="${y + BAR - 3}" class="whisker"/>`,
      `<line x1="${x(max).toFixed(1)}" x2="${x(max).toFixed(1)}" y1="${y + 3}" y2="${y + BAR - 3}" class="whisker"/>`,
      `<text x="${(x(max) + 6).toFixed(1)}" y="${y + BAR - 4}" class="value">${number(median)} ${escape(figure.unit)}</text>`,
    );
  });
  const plotBottom = top + 32 + spec.figures.length * (BAR + GAP);
  if (spec.reference !== undefined) {
    const rx = x(spec.reference.value).toFixed(1);
    parts.push(
      `<line x1="${rx}" x2="${rx}" y1="${top + 26}" y2="${plotBottom - GAP + 4}" class="reference"/>`,
      `<text x="${rx}" y="${plotBottom + 10}" class="refLabel">${escape(spec.reference.label)}</text>`,
    );
  }
  return { svg: parts.join("\n"), height: plotBottom - top + (spec.reference === undefined ? 14 : 26) };
}

/** The whole chart, `subtitle` under its title. */
export function chart(title: string, subtitle: string, panels: readonly Panel[]): string {
  let top = 56;
  const bodies = panels.map((spec) => {
    const drawn = panel(spec, top);
    top += drawn.height;
    return drawn.svg;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${top + 10}" viewBox="0 0 ${WIDTH} ${top + 10}">
<style>
text { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 12px; fill: #1f2328; }
.heading { font-size: 18px; font-weight: bold; }
.subtitle { fill: #57606a; }
.title { font-size: 14px; font-weight: bold; }
.label { text-anchor: end; }
.value { fill: #57606a; }
.whisker { stroke: #1f2328; stroke-width: 1.2; }
.reference { stroke: #c00; stroke-width: 1.5; stroke-dasharray: 4 3; }
.refLabel { fill: #c00; font-size: 11px; text-anchor: middle; }
</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="12" y="24" class="heading">${escape(title)}</text>
<text x="12" y="44" class="subtitle">${escape(subtitle)}</text>
${bodies.join("\n")}
</svg>
`;
}
