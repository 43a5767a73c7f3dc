/**
 * The one remediation a free-text fix description asks for, for older clients that send
 * apply_fix with only `reasoning` ("rolled back the deploy", "restarted the pods").
 *
 * remediationFromConcepts (src/scenarios/remediation-concepts.ts) picks the most specific kind
 * among all a text expresses, so a KB article pasted into the reasoning, or a list of every fix,
 * still turned into a remediation. Here the reasoning must commit to one fix:
 *
 * - nothing when the reasoning is copied from the references (the KB articles the agent saw);
 * - nothing when it expresses more than one remediation kind ("restart it, or roll back, or
 *   flush the cache"); fixes it only rejects or forbids do not count ("rather than restarting,
 *   we rolled back" is a rollback, src/grading/rejections.ts);
 * - except that a companion step of a fix is read as part of it (COMPANIONS): "renewed the
 *   certificate and restarted the service" is a renewal, "restarted it so it picks up the rotated
 *   secret" is a restart; and one phrase that reads as two kinds ("freed up disk space" also says
 *   "free space", a cache flush) is the more specific.
 */
import type { RemediationKind } from "../sim/fault-types.js";
import { REMEDIATION_CONCEPTS } from "../scenarios/remediation-concepts.js";
import { profile } from "./concepts.js";
import { isCopied, type CopyReferences } from "./copying.js";

/** [fix, companion]: when a text expresses both, it describes the fix. */
const COMPANIONS: ReadonlyArray<readonly [RemediationKind, RemediationKind]> = [
  // A new certificate or a reverted config is loaded by a restart or reload.
  ["renew_certificate", "restart"],
  ["revert_config", "restart"],
  // Stale credentials are fixed by a restart that picks up the rotated secret; the rotation is context.
  ["restart", "rotate_credential"],
  // "Freed up disk space" also reads as the cache's "free space".
  ["free_disk", "flush_cache"],
];

/** Every remediation kind the text expresses (not negated, not rejected). */
function remediationsExpressed(text: string): RemediationKind[] {
  const expressed = profile(text).expressed;
  return (Object.entries(REMEDIATION_CONCEPTS) as Array<[RemediationKind, readonly string[]]>)
    .filter(([, ids]) => ids.some((id) => expressed.has(id)))
    .map(([kind]) => kind);
}

/** The one remediation the reasoning commits to; undefined if copied, if none, or if several. */
export function remediationFromReasoning(reasoning: string, references: CopyReferences): RemediationKind | undefined {
  if (isCopied(reasoning, references)) return undefined;
  const kinds = new Set(remediationsExpressed(reasoning));
  for (const [fix, companion] of COMPANIONS) if (kinds.has(fix) && kinds.has(companion)) kinds.delete(companion);
  if (kinds.size !== 1) return undefined;
  const [only] = kinds;
  return only;
}
