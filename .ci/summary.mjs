// Prints "N passed, N failed" from vitest's JSON report (test-results/vitest.json).
// If the report is missing (install, typecheck or generation failed before vitest ran),
// the run counts as one failure.
import { existsSync, readFileSync } from "node:fs";

const status = Number(process.argv[2] ?? "1");
const report = "test-results/vitest.json";
if (!existsSync(report)) {
  console.log(`0 passed, 1 failed (no test report: the run stopped before vitest, exit ${status})`);
} else {
  const r = JSON.parse(readFileSync(report, "utf8"));
  const failed = r.numFailedTests + (status !== 0 && r.numFailedTests === 0 ? 1 : 0);
  console.log(`${r.numPassedTests} passed, ${failed} failed`);
}
