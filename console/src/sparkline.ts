/** A golden-signal sparkline as SVG: the readings as a line, the threshold dashed, labelled for screen readers. */
import type { Series } from "./model.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 100;
const HEIGHT = 26;

export function sparkline(service: string, metric: string, series: Series): SVGSVGElement {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("role", "img");
  const last = series.values[series.values.length - 1];
  svg.setAttribute(
    "aria-label",
    `${service} ${metric}: ${series.values.length} readings, last ${last ?? "none"} ${series.unit}${series.anomalous ? ", anomalous" : ""}`,
  );
  const top = Math.max(series.threshold, ...series.values) * 1.1 || 1;
  const y = (v: number): number => HEIGHT - (v / top) * (HEIGHT - 2) - 1;
  const threshold = document.createElementNS(SVG, "line");
  for (const [k, v] of Object.entries({ x1: 0, x2: WIDTH, y1: y(series.threshold), y2: y(series.threshold) }))
    threshold.setAttribute(k, String(v));
  threshold.setAttribute("stroke", "#d29922");
  threshold.setAttribute("stroke-dasharray", "3 3");
  threshold.setAttribute("stroke-width", "0.8");
  svg.appendChild(threshold);
  const line = document.createElementNS(SVG, "polyline");
  // One reading is drawn as a flat line, so that it shows.
  const values = series.values.length === 1 ? [series.values[0] ?? 0, series.values[0] ?? 0] : series.values;
  const x = (i: number): number => (values.length <= 1 ? WIDTH : (i / (values.length - 1)) * WIDTH);
  line.setAttribute("points", values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" "));
  line.setAttribute("fill", "none");
  line.setAttribute("stroke", series.anomalous ? "#f85149" : "#58a6ff");
  line.setAttribute("stroke-width", "1.5");
  line.setAttribute("vector-effect", "non-scaling-stroke");
  svg.appendChild(line);
  return svg;
}
