/**
 * The concept lexicon: every idea a grader looks for in free text, with the phrases that express it.
 *
 * Scenarios name the concepts they require by id. A concept that a text expresses but that the
 * scenario neither requires nor lists as optional is "foreign" to that incident; graders use the
 * share of foreign concepts to tell a focused answer from keyword stuffing. Neutral concepts are
 * generic good practice (look at dashboards, tell stakeholders) and are never foreign.
 *
 * Phrases are matched on lemmas and whole tokens (src/grading/text.ts): write them in plain words,
 * singular or plural, any tense. Keep every phrase specific enough that it does not fire on
 * unrelated text: "pool" alone would, "connection pool" does not.
 */

export interface Concept {
  id: string;
  phrases: readonly string[];
  /** Generic practice that fits any incident: never counted as foreign. */
  neutral?: boolean;
}

const concepts: readonly Concept[] = [
  // ---- generic practice (neutral) ----
  { id: "check_dashboards", neutral: true, phrases: ["dashboard", "check metric", "review metric", "look at metric", "grafana"] },
  { id: "check_logs", neutral: true, phrases: ["check log", "review log", "inspect log", "read log", "tail log", "log for error", "search log"] },
  { id: "notify_stakeholders", neutral: true, phrases: ["notify stakeholder", "status page", "update stakeholder", "communicate", "incident channel", "inform customer", "customer communication"] },
  { id: "escalate_oncall", neutral: true, phrases: ["escalate", "page on-call", "page oncall", "page the team", "incident commander", "call in"] },
  { id: "monitor_recovery", neutral: true, phrases: ["monitor", "watch metric", "keep watch", "observe recovery", "confirm recovery", "verify recovery"] },
  { id: "postmortem_followup", neutral: true, phrases: ["postmortem", "post-mortem", "retrospective", "blameless review"] },

  // ---- databases and connections ----
  { id: "db_connection_limit", phrases: ["max_connections", "max connections", "connection limit", "connection slot", "too many clients", "connection cap", "connections maxed", "connection count at limit", "maximum connections"] },
  { id: "connection_pool_exhaustion", phrases: ["connection pool exhaust", "pool exhaust", "exhausted connection pool", "exhausted the connection pool", "pool saturate", "pool is full", "out of connections", "connection exhaustion", "ran out of connection", "run out of connection", "exhausted connection", "connection pool full", "too many connections", "too many clients"] },
  { id: "connection_pooler", phrases: ["pgbouncer", "connection pooler", "pooler", "pool proxy", "pgpool"] },
  { id: "raise_connection_limit", phrases: ["increase max_connections", "raise max_connections", "increase connection limit", "raise connection limit", "bump max_connections", "increase max connection", "raise the limit on connection", "more connection slot", "higher connection limit", "increase the pool size", "raise pool size", "increase pool size", "larger pool"] },
  { id: "reduce_connection_usage", phrases: ["reduce pool size", "limit pool size", "cap pool size", "cap connection", "limit connection", "pool size limit", "shrink the pool", "lower pool size", "connection budget", "pool size per instance", "right-size the pool", "reduce connection"] },
  { id: "kill_idle_connections", phrases: ["terminate idle connection", "kill idle connection", "close idle connection", "pg_terminate_backend", "terminate idle session", "kill idle session", "drop idle connection", "idle connection"] },
  { id: "check_db_connections", phrases: ["pg_stat_activity", "active connection", "connection count", "count connection", "number of connection", "check connection", "connection usage"] },
  { id: "capacity_alerting", phrases: ["alert on connection", "connection alert", "saturation alert", "capacity alert", "early warning", "monitor connection", "alert on pool", "alert threshold", "alert at 80"] },

  // ---- symptoms and timeline words any incident may use (neutral) ----
  { id: "error_rate_spike", neutral: true, phrases: ["5xx", "500 error", "error rate", "http 500", "internal server error", "server error", "failed request", "request failure", "error spike", "request fail"] },
  { id: "user_facing_outage", neutral: true, phrases: ["outage", "downtime", "unavailable", "user-facing error", "customer-facing error", "user impact", "customer impact", "could not log in", "login fail", "request fail for user"] },
  { id: "alert_fired", neutral: true, phrases: ["alert fire", "alert trigger", "paged", "alert", "alarm", "detected"] },
  { id: "incident_began", neutral: true, phrases: ["began", "start", "onset", "first error", "first symptom"] },
  { id: "incident_mitigated", neutral: true, phrases: ["mitigate", "recover", "restore", "resolve", "back to normal", "error subside", "fixed"] },
];

export const LEXICON: ReadonlyMap<string, Concept> = new Map(concepts.map((c) => [c.id, c]));

/** The concept with this id; throws on an unknown id so a typo in scenario data fails fast. */
export function concept(id: string): Concept {
  const found = LEXICON.get(id);
  if (!found) throw new Error(`unknown lexicon concept "${id}"`);
  return found;
}
