/**
 * Which remediation a free-text fix description asks for, for older clients that send apply_fix
 * with only `reasoning` ("rolled back the deploy", "restarted the pods").
 *
 * Each RemediationKind is expressed by a few lexicon concepts. The text's concepts (from
 * profile() in src/grading/concepts.ts) decide the kind: the first kind in PRIORITY whose concepts
 * the text expresses. Specific actions come before generic ones, because descriptions of a
 * specific fix often mention a generic one too ("renewed the certificate and restarted the
 * service", "reverted the config", which also says "revert"). Restart comes after them, and
 * rotating a credential last of all: "restarted it so it picks up the rotated secret" is a restart.
 */
import type { RemediationKind } from "../sim/fault-types.js";

export const REMEDIATION_CONCEPTS: Readonly<Record<RemediationKind, readonly string[]>> = {
  restart: ["restart_service", "secret_reload"],
  rollback: ["rollback_deploy"],
  scale: ["scale_out"],
  failover: ["az_failover"],
  flush_cache: ["flush_cache"],
  warm_cache: ["cache_warming"],
  raise_limit: ["raise_connection_limit", "raise_memory_limit", "raise_rate_limit", "request_quota_increase"],
  rotate_credential: ["credential_rotation"],
  disable_feature_flag: ["disable_feature_flag"],
  drain_node: ["drain_node"],
  kill_query: ["kill_idle_connections", "kill_blocking_query"],
  shed_load: ["load_shedding"],
  renew_certificate: ["renew_certificate"],
  revert_config: ["config_revert"],
  free_disk: ["free_disk_space"],
  skip_message: ["dead_letter_queue"],
  tune_retries: ["exponential_backoff", "cap_retries"],
  add_index: ["create_index"],
};

/** The order in which kinds are tried: most specific first, then restart, then credential rotation. */
export const REMEDIATION_PRIORITY: readonly RemediationKind[] = [
  "renew_certificate",
  "revert_config",
  "free_disk",
  "skip_message",
  "add_index",
  "kill_query",
  "warm_cache",
  "flush_cache",
  "tune_retries",
  "disable_feature_flag",
  "raise_limit",
  "drain_node",
  "failover",
  "shed_load",
  "rollback",
  "scale",
  "restart",
  "rotate_credential",
];

/** The remediation the concepts express, or undefined if they name none. Deterministic. */
export function remediationFromConcepts(conceptIds: ReadonlySet<string>): RemediationKind | undefined {
  return REMEDIATION_PRIORITY.find((kind) => REMEDIATION_CONCEPTS[kind].some((id) => conceptIds.has(id)));
}
