/**
 * Which remediation kinds a lexicon concept claims were done: the inverse of
 * src/scenarios/remediation-concepts.ts (REMEDIATION_CONCEPTS), the map the episode uses to read
 * a fix from free text.
 */
import type { RemediationKind } from "../../sim/fault-types.js";
import { REMEDIATION_CONCEPTS } from "../../scenarios/remediation-concepts.js";

export const REMEDIATION_CLAIMS: ReadonlyMap<string, readonly RemediationKind[]> = (() => {
  const claims = new Map<string, RemediationKind[]>();
  for (const [kind, concepts] of Object.entries(REMEDIATION_CONCEPTS) as Array<[RemediationKind, readonly string[]]>) {
    for (const id of concepts) claims.set(id, [...(claims.get(id) ?? []), kind]);
  }
  return claims;
})();
