/** Small statistics and number formatting for the bench suite. */

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** The middle value (the mean of the two middle values of an even count); NaN when empty. */
export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export interface Summary {
  count: number;
  mean: number;
  p50: number;
  p99: number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.length === 0 ? Number.NaN : samples.reduce((a, b) => a + b, 0) / samples.length;
  return { count: samples.length, mean, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
}

/** 12,345 or 12.3 or 0.123: three significant digits below 100, whole numbers above. */
export function num(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString("en-US");
  return value.toPrecision(3);
}

/** A whole count, with thousands separators. */
export function count(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

export function ms(value: number): string {
  return `${num(value)} ms`;
}

export function mib(bytes: number): string {
  return `${num(bytes / 2 ** 20)} MiB`;
}

export const sleep = (msDelay: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, msDelay));
