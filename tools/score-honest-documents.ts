/**
 * Scores every honest document of test/fixtures/honest-documents.ts the way
 * test/honest-documents.test.ts does, and prints a Markdown table (document, component score),
 * followed by the grader's explanation for each document under the fair score:
 *
 *   npx tsx tools/score-honest-documents.ts [--all]
 *
 * --all prints the explanation of every document, not only the failing ones. For grader authors:
 * the table says which honest wording the graders do not yet recognise.
 */
import { IncidentEnvironment } from "../src/env/environment.js";
import { HONEST_DOCUMENTS } from "../test/fixtures/honest-documents.js";
import { gradeHonestDocument } from "../test/support/grade-document.js";

const FAIR_SCORE = 0.85;
const showAll = process.argv.includes("--all");
const env = new IncidentEnvironment({ limits: { maxLiveEpisodes: 10 } });
const out = (line = ""): void => void process.stdout.write(`${line}\n`);

const rows = HONEST_DOCUMENTS.map((doc) => ({ doc, grade: gradeHonestDocument(env, doc) }));

out("| document | voice | component |");
out("| --- | --- | ---: |");
for (const { doc, grade } of rows) {
  const score = grade.component === undefined ? "n/a" : grade.component.toFixed(3);
  const flag = grade.component !== undefined && grade.component >= FAIR_SCORE ? "" : " ✗";
  out(`| ${doc.fault} ${doc.document} (${doc.level} ${doc.seed}) | ${doc.voice} | ${score}${flag} |`);
}
const failing = rows.filter(({ grade }) => grade.component === undefined || grade.component < FAIR_SCORE);
out();
out(`${rows.length - failing.length} of ${rows.length} documents reach ${FAIR_SCORE}.`);
for (const { doc, grade } of showAll ? rows : failing) {
  out();
  out(`### ${doc.fault} ${doc.document} (${doc.level} ${doc.seed}): ${grade.component?.toFixed(3) ?? "n/a"}`);
  out("```");
  out(grade.breakdownText);
  out("```");
}
