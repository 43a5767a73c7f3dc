/**
 * Summary statistics of episode scores: mean, a 95 % confidence interval of the mean (Student's
 * t), success rate. Sums run in the order given, so the same inputs give bit-identical outputs.
 */

/** Two-sided 97.5 % quantiles of Student's t for 1..30 degrees of freedom. */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

function tQuantile975(df: number): number {
  if (df <= 0) return Infinity;
  if (df <= 30) return T_975[df - 1] ?? 1.96;
  if (df <= 60) return 2.0 + (2.042 - 2.0) * ((60 - df) / 30);
  if (df <= 120) return 1.98 + (2.0 - 1.98) * ((120 - df) / 60);
  return 1.96;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

function sampleStdDev(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  let sq = 0;
  for (const v of values) sq += (v - m) * (v - m);
  return Math.sqrt(sq / (values.length - 1));
}

/** 95 % confidence interval of the mean; [mean, mean] for fewer than two values. */
export function ci95(values: readonly number[]): [number, number] {
  const m = mean(values);
  if (values.length < 2) return [m, m];
  const half = (tQuantile975(values.length - 1) * sampleStdDev(values)) / Math.sqrt(values.length);
  return [m - half, m + half];
}

/** Rounded for reports (6 decimals), so files stay readable and stable. */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
