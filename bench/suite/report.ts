/**
 * The rows of a bench run, the targets of issue 9 beside them, and the two ways they are printed:
 * an aligned table on the console and bench/RESULTS.md.
 */
import { num } from "./stats.js";

export interface Yardstick {
  /** What the yardstick is, e.g. "bare fastify" or "in process, 1 core". */
  label: string;
  value: number;
}

export interface Row {
  /** Stable key for cross-row targets, e.g. "grpc-unary|memory|1". */
  key: string;
  workload: string;
  /** The figure, as printed (with its unit). */
  figure: string;
  /** The figure as a number, in the unit of the yardstick when there is one. */
  value: number;
  unit: string;
  yardstick?: Yardstick;
  /** Issue 9's target for this row, in words. */
  target?: string;
  /** Whether the target is met; undefined when there is none or it cannot be judged. */
  met?: boolean;
  /** Where the row's CPU went (bench/suite/cpu.ts), as printed. */
  cpu?: string;
  /** Caveats: a setting the server ignored, an extrapolation, errors seen. */
  note?: string;
}

export function ratio(row: Row): number | undefined {
  return row.yardstick && row.yardstick.value > 0 ? row.value / row.yardstick.value : undefined;
}

function metText(row: Row): string {
  if (row.met === undefined) return row.target ? "?" : "";
  return row.met ? "yes" : "NO";
}

function cells(row: Row): string[] {
  const r = ratio(row);
  return [
    row.workload,
    row.figure,
    row.yardstick ? `${num(row.yardstick.value)} ${row.unit} (${row.yardstick.label})` : "",
    r === undefined ? "" : `${r.toFixed(r < 0.1 ? 3 : 2)}×`,
    row.target ?? "",
    metText(row),
    row.cpu ?? "",
    row.note ?? "",
  ];
}

const HEADERS = ["workload", "figure", "yardstick", "ratio", "target", "met?", "CPU (cores busy)", "note"];

export function consoleTable(rows: readonly Row[]): string {
  const table = [HEADERS, ...rows.map(cells)];
  const widths = HEADERS.map((_, i) => Math.max(...table.map((r) => (r[i] ?? "").length)));
  return table
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export interface RunInfo {
  date: string;
  machine: string;
  node: string;
  commit: string;
  mode: string;
  settings: string[];
}

const escapeCell = (text: string): string => text.replace(/\|/g, "\\|");

export function markdown(info: RunInfo, rows: readonly Row[]): string {
  const lines = [
    "# Benchmark results",
    "",
    "Written by `npm run bench` (bench/run.ts); every figure beside a yardstick measured in the same run.",
    "",
    `- Date: ${info.date}`,
    `- Machine: ${info.machine}`,
    `- Node: ${info.node}`,
    `- Git commit: ${info.commit}`,
    `- Mode: ${info.mode}`,
    ...info.settings.map((s) => `- ${s}`),
    "",
    `| ${HEADERS.join(" | ")} |`,
    `|${HEADERS.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${cells(row).map(escapeCell).join(" | ")} |`),
    "",
  ];
  return lines.join("\n");
}
