/**
 * The heuristic agent's playbook: for each failure mode, the fix to try (a typed remediation and
 * where to apply it), and how to write it up: runbook steps, the mechanism, the follow-ups. Plain
 * SRE knowledge, written by hand; `{root}` is replaced by the failing service's name.
 */
import { RemediationKind } from "../../../gen/incident/v1/enums_pb.js";
import type { FaultWord } from "./signals.js";

export interface FixPlan {
  kind: RemediationKind;
  /** Where: the failing service, the services calling it, or the services it calls. */
  target: "root" | "callers" | "callees";
  parameters?: Readonly<Record<string, string>>;
}

export interface Play {
  /** Fixes in order of preference; the next is tried when one changes nothing. */
  fixes: readonly FixPlan[];
  /** Runbook steps, diagnose first, then mitigate, then verify and escalate. */
  runbook: readonly string[];
  /** The mechanism, one sentence naming {root}. */
  mechanism: string;
  /** A short phrase for the summary, e.g. "a bad deploy". */
  headline: string;
  /** Follow-ups that prevent a recurrence or catch it sooner. */
  actionItems: string;
}

const ESCALATE = "If it does not recover within 15 minutes, escalate to the owning team.";

/** Plays for the incidents where the right move is not a fix on our side. */
const RESPONSE_PLAYS: Readonly<Pick<Record<FaultWord, Play>, "false_alarm" | "third_party_outage">> = {
  false_alarm: {
    // Nothing to fix: confirm health, put the alert rule back, change nothing else.
    fixes: [{ kind: RemediationKind.REVERT_CONFIG, target: "root" }],
    runbook: [
      "Check whether users are affected: error rate, latency and traffic of {root} and the gateway against their usual levels.",
      "Compare the alert's threshold with the metric's normal level and look for a recent change to the alert rule.",
      "Restore the alert rule's previous threshold; do not restart, roll back or scale a healthy service.",
      "Verify that the alert clears and stays quiet.",
      "Tell the owners of the alerting rules about the bad change.",
    ],
    mechanism:
      "a change to the alert rule of {root} set its threshold below the normal level, so the alert fired on healthy readings: a false alarm with no user impact",
    headline: "a false alarm",
    actionItems: "Review alert rule changes before they ship and test new thresholds against recent data.",
  },
  third_party_outage: {
    fixes: [
      { kind: RemediationKind.FAILOVER, target: "root" },
      { kind: RemediationKind.DISABLE_FEATURE_FLAG, target: "callers" },
    ],
    runbook: [
      "Check the errors from {root}: 503s for nearly every call and nothing changed on our side mean the provider is down.",
      "Check the provider's status page.",
      "Fail over to the secondary provider, or switch off the feature that needs {root}.",
      "Verify that the error rate of the callers drops back to baseline.",
      "Escalate to the provider's support and keep the ticket updated.",
    ],
    mechanism: "{root}, a third-party provider, had an outage on its side and answered 503 to most calls",
    headline: "a provider outage",
    actionItems: "Keep a secondary provider ready with automatic failover, and degrade gracefully when the provider fails.",
  },
};

export const PLAYBOOK: Readonly<Record<FaultWord, Play>> = {
  bad_deploy: {
    fixes: [{ kind: RemediationKind.ROLLBACK, target: "root" }],
    runbook: [
      "Check the error logs of {root} for a new exception that started with the latest release.",
      "Compare the deploy time of {root} with the time the errors began.",
      "Roll back {root} to the previous version.",
      "Verify that the error rate drops back to baseline on {root} and its callers.",
      ESCALATE,
    ],
    mechanism: "the new release of {root} throws an unhandled exception on a common request path, a bad deploy",
    headline: "a bad deploy",
    actionItems:
      "Add a canary stage with automatic rollback to the deployment pipeline. Add an integration test for the failing code path.",
  },
  config_push: {
    fixes: [{ kind: RemediationKind.REVERT_CONFIG, target: "root" }],
    runbook: [
      "Check the config change history of {root}: a config push went to every instance at once.",
      "Confirm worker CPU on {root} went to 100% right after the push.",
      "Revert the config push on {root} to the previous config.",
      "Verify that the error rate falls back to normal and latency recovers.",
      ESCALATE,
    ],
    mechanism: "a config push applied to every instance of {root} at once saturated its worker CPU, so requests time out and are shed",
    headline: "a bad config push",
    actionItems: "Stage config changes behind a config canary and validate config before a push reaches every instance.",
  },
  connection_pool_exhaustion: {
    fixes: [
      { kind: RemediationKind.RAISE_LIMIT, target: "root", parameters: { limit: "max_connections" } },
      { kind: RemediationKind.KILL_QUERY, target: "root" },
    ],
    runbook: [
      "Check the connection count on {root} in pg_stat_activity.",
      "Compare it with max_connections: new sessions fail with too many clients.",
      "Terminate idle sessions on {root} to free connection slots.",
      "Cap the pool size per instance of its callers so the total stays under the limit.",
      "Verify that the error rate of the callers drops back to baseline.",
      ESCALATE,
    ],
    mechanism: "clients opened more sessions than max_connections allows, so {root} ran out of connections and refused new sessions",
    headline: "connection exhaustion",
    actionItems:
      "Put a connection pooler (pgbouncer) in front of the database. Cap the pool size per instance. Alert on connection usage at 80% of max_connections.",
  },
  memory_leak: {
    fixes: [
      { kind: RemediationKind.ROLLBACK, target: "root" },
      { kind: RemediationKind.RESTART, target: "root" },
    ],
    runbook: [
      "Check the memory usage of {root}: the heap grows after every full GC, a memory leak.",
      "Look for OOMKilled restarts and OutOfMemoryError in its logs.",
      "Roll back {root} to the previous version.",
      "Verify that memory stays flat and no new OOMKilled events appear.",
      ESCALATE,
    ],
    mechanism: "the new release of {root} has a memory leak: the heap is never reclaimed, GC thrashes and instances are OOMKilled",
    headline: "a memory leak",
    actionItems: "Add a soak test that catches memory regressions before release. Alert on heap usage.",
  },
  certificate_expiry: {
    fixes: [{ kind: RemediationKind.RENEW_CERTIFICATE, target: "root" }],
    runbook: [
      "Check the serving certificate of {root}: TLS handshakes fail because the certificate has expired (x509).",
      "Confirm its callers log x509 errors when connecting to {root}.",
      "Renew the certificate on {root} and reload it.",
      "Verify that the error rate of its callers drops back to normal.",
      ESCALATE,
    ],
    mechanism: "the serving certificate of {root} expired, so every TLS handshake with it fails with x509 errors",
    headline: "an expired certificate",
    actionItems: "Alert on certificate expiry 14 days before expiry and automate renewal.",
  },
  dns_failure: {
    fixes: [{ kind: RemediationKind.REVERT_CONFIG, target: "root" }],
    runbook: [
      "Check name resolution from several services: lookups fail with no such host or SERVFAIL.",
      "Check the recent config change pushed to the resolver {root}.",
      "Revert the resolver config on {root} to the previous config.",
      "Verify that the error rate drops back to normal across services.",
      ESCALATE,
    ],
    mechanism: "a config change pushed to the resolver {root} broke DNS name resolution, so service lookups fail with no such host",
    headline: "a DNS failure",
    actionItems: "Roll out resolver changes as a staged config rollout: validate config on one resolver first.",
  },
  disk_full: {
    fixes: [{ kind: RemediationKind.FREE_DISK, target: "root" }],
    runbook: [
      "Check disk usage of the data volume on {root}: writes fail with no space left on device.",
      "Free disk space on {root}: compress old logs and remove old log files.",
      "Verify that the error rate drops back to baseline.",
      ESCALATE,
    ],
    mechanism: "the data volume of {root} filled up (disk full, no space left on device), so its writes fail",
    headline: "a full disk",
    actionItems: "Add log rotation with a retention policy. Alert on disk usage at 80%.",
  },
  cache_stampede: {
    fixes: [{ kind: RemediationKind.WARM_CACHE, target: "root" }],
    runbook: [
      "Check the hit ratio of {root}: it collapsed after the cache was emptied, a cache stampede.",
      "Confirm that the misses fall back to the database and overload it.",
      "Warm the cache on {root} by preloading the hot keys.",
      "Verify that the hit ratio is back above its threshold.",
      ESCALATE,
    ],
    mechanism:
      "{root} was emptied and every request missed at once, a cache stampede: each cache miss went to the database and overloaded it",
    headline: "a cache stampede",
    actionItems: "Add request coalescing (single flight) for misses and a jittered TTL.",
  },
  retry_storm: {
    fixes: [{ kind: RemediationKind.TUNE_RETRIES, target: "root", parameters: { max_attempts: "3", backoff: "exponential" } }],
    runbook: [
      "Break down the traffic on the overloaded dependency by client: find the traffic source.",
      "Confirm that {root} retries failed calls immediately, a retry storm.",
      "Change the retry policy of {root} to exponential backoff with jitter.",
      "Verify that the request rate on the dependency is back to normal.",
      ESCALATE,
    ],
    mechanism: "{root} retried failed calls immediately with no delay, a retry storm that multiplied the load on the service it calls",
    headline: "a retry storm",
    actionItems: "Use exponential backoff with jitter for every client. Cap retries at 3 attempts.",
  },
  db_lock_contention: {
    fixes: [{ kind: RemediationKind.KILL_QUERY, target: "root" }],
    runbook: [
      "Check lock waits on {root}: sessions are waiting for a lock.",
      "Find the schema migration that holds the lock.",
      "Kill the blocking query on {root}.",
      "Verify that lock waits clear.",
      ESCALATE,
    ],
    mechanism: "a schema migration on {root} took a lock, and queries queued behind it: lock contention",
    headline: "lock contention",
    actionItems: "Set a lock timeout for migrations. Run schema changes as online migrations in a low-traffic window.",
  },
  dependency_timeout: {
    fixes: [
      { kind: RemediationKind.TUNE_RETRIES, target: "root", parameters: { timeout_ms: "2000" } },
      { kind: RemediationKind.DISABLE_FEATURE_FLAG, target: "root" },
    ],
    runbook: [
      "Check the calls from {root} to its slow external dependency: they hang until they time out.",
      "Confirm that the worker threads of {root} are all busy waiting, thread pool exhaustion.",
      "Add a circuit breaker so {root} fails fast when the dependency is slow.",
      "Verify that latency drops back to normal on {root} and its callers.",
      ESCALATE,
    ],
    mechanism:
      "calls from {root} to an external dependency became slow and every worker thread of {root} blocked waiting on them (thread pool exhaustion)",
    headline: "a slow external dependency",
    actionItems: "Add a circuit breaker around the external dependency. Set a short request timeout on those calls.",
  },
  quota_throttling: {
    fixes: [{ kind: RemediationKind.RAISE_LIMIT, target: "root", parameters: { limit: "quota" } }],
    runbook: [
      "Check the responses from {root}: 429 Too Many Requests, the account is rate limited.",
      "Check the quota usage of the account against the plan limit.",
      "Request a quota increase from the provider.",
      "Verify that the error rate drops back to baseline.",
      ESCALATE,
    ],
    mechanism: "our account went over the quota of {root}, which rate limited the calls with 429 Too Many Requests",
    headline: "a quota exceeded at a provider",
    actionItems: "Retry 429 responses with exponential backoff. Alert on quota usage at 80% of the plan.",
  },
  network_partition: {
    fixes: [
      { kind: RemediationKind.FAILOVER, target: "root" },
      { kind: RemediationKind.DRAIN_NODE, target: "root" },
    ],
    runbook: [
      "Check errors by zone: only calls that cross zones fail, a network partition.",
      "Check packet loss on the links of {root}.",
      "Fail over traffic so it stays within one zone.",
      "Verify that the error rate drops back to baseline.",
      ESCALATE,
    ],
    mechanism: "a network partition in {root} between zones: the cross-zone link went down with heavy packet loss",
    headline: "a network partition",
    actionItems: "Add a redundant path between zones and keep a replica in each zone.",
  },
  queue_poison_pill: {
    fixes: [{ kind: RemediationKind.SKIP_MESSAGE, target: "root" }],
    runbook: [
      "Check consumer lag on {root}: one partition is not moving.",
      "Read the consumer logs: the same message fails to parse again and again, a poison message.",
      "Move the poison message to the dead letter queue.",
      "Verify that the backlog drains.",
      ESCALATE,
    ],
    mechanism: "a malformed message on {root} (a poison message) made its consumer fail on the same offset again and again",
    headline: "a poison message",
    actionItems: "Route messages that fail repeatedly to a dead letter queue. Add schema validation at the producer.",
  },
  stale_credentials: {
    fixes: [
      { kind: RemediationKind.RESTART, target: "root" },
      { kind: RemediationKind.ROLLBACK, target: "root" },
    ],
    runbook: [
      "Check the logs of {root}: password authentication failed after a secret rotation.",
      "Confirm that {root} still holds the old password in its connection pool.",
      "Restart {root} so that it picks up the new secret.",
      "Verify that the error rate drops back to baseline.",
      ESCALATE,
    ],
    mechanism: "{root} kept using a stale credential after the secret rotation, so password authentication failed",
    headline: "stale credentials",
    actionItems: "Make services reload secrets on rotation with a secret watcher.",
  },
  process_crash: {
    fixes: [
      { kind: RemediationKind.RESTART, target: "root" },
      { kind: RemediationKind.ROLLBACK, target: "root" },
    ],
    runbook: [
      "Check the process status of {root}: it crashed with a core dump.",
      "Confirm that its callers get connection refused from {root}.",
      "Restart the {root} process.",
      "Verify that the health check passes.",
      ESCALATE,
    ],
    mechanism: "the {root} process crashed (core dumped) and was not started again",
    headline: "a process crash",
    actionItems: "Set a restart policy so the supervisor restarts it on failure. Analyze the core file.",
  },
  cache_memory_full: {
    fixes: [
      { kind: RemediationKind.REVERT_CONFIG, target: "root" },
      { kind: RemediationKind.RAISE_LIMIT, target: "root", parameters: { limit: "maxmemory" } },
    ],
    runbook: [
      "Check used_memory against maxmemory on {root}.",
      "Confirm that writes fail with OOM command not allowed.",
      "Set the eviction policy of {root} back to allkeys-lru.",
      "Verify that the error rate drops back to baseline.",
      ESCALATE,
    ],
    mechanism: "{root} hit its maxmemory with the eviction policy noeviction, so it rejects every write",
    headline: "a cache at its maxmemory limit",
    actionItems: "Set a TTL on every key. Alert on memory usage at 80% of maxmemory.",
  },
  slow_query: {
    fixes: [{ kind: RemediationKind.ADD_INDEX, target: "root" }],
    runbook: [
      "Check the slowest statements on {root} in pg_stat_statements.",
      "Explain the top statement: a seq scan, a missing index.",
      "Create the index concurrently on {root}.",
      "Verify that query latency drops back to normal.",
      ESCALATE,
    ],
    mechanism: "a missing index on {root} turned a frequent lookup into a seq scan, a slow query that saturates its CPU",
    headline: "a slow query",
    actionItems: "Review migrations for removed indexes and check query plans in CI.",
  },
  ...RESPONSE_PLAYS,
};

/** When no failure mode could be named: no fix is guessed, and the write-up says only what was seen. */
export const GENERIC_PLAY: Play = {
  fixes: [],
  runbook: [
    "Check the error logs and metrics of {root} and of the services it calls.",
    "Mitigate the failure on {root} with the fix its owners recommend.",
    "Verify that the error rate drops back to baseline.",
    ESCALATE,
  ],
  mechanism: "{root} failed and its callers saw errors",
  headline: "a failure of unknown cause",
  actionItems: "Add alerting on the error rate of {root}.",
};

/** How the summary and timeline say a fix was applied (the words match what was done). */
export const FIX_WORDS: Readonly<Partial<Record<RemediationKind, string>>> = {
  [RemediationKind.RESTART]: "restarted",
  [RemediationKind.ROLLBACK]: "rolled back",
  [RemediationKind.REVERT_CONFIG]: "reverted the config on",
  [RemediationKind.RAISE_LIMIT]: "raised the limit on",
  [RemediationKind.KILL_QUERY]: "killed the blocking query on",
  [RemediationKind.RENEW_CERTIFICATE]: "renewed the certificate of",
  [RemediationKind.FREE_DISK]: "freed disk space on",
  [RemediationKind.WARM_CACHE]: "warmed the cache",
  [RemediationKind.TUNE_RETRIES]: "changed the retry policy of",
  [RemediationKind.FAILOVER]: "failed over",
  [RemediationKind.DRAIN_NODE]: "drained",
  [RemediationKind.SKIP_MESSAGE]: "moved the message to the dead letter queue on",
  [RemediationKind.ADD_INDEX]: "created the index on",
  [RemediationKind.DISABLE_FEATURE_FLAG]: "disabled the feature flag on",
};
