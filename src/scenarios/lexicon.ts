/**
 * The concept lexicon: every idea a grader looks for in free text, with the phrases that express it.
 *
 * Scenarios name the concepts they require by id. A concept that a text expresses but that the
 * scenario neither requires nor lists as optional is "foreign" to that incident; graders use the
 * share of foreign concepts to tell a focused answer from keyword stuffing. Neutral concepts are
 * generic good practice (look at dashboards, tell stakeholders), and symptoms, recoveries and
 * user impact that any incident may show in the right system (errors, latency, consumer lag,
 * 429s, failed logins): they are never foreign. Mechanisms and fixes are not neutral.
 *
 * Phrases are matched on lemmas and whole tokens (src/grading/text.ts): write them in plain words,
 * singular or plural, any tense. Keep every phrase specific enough that it does not fire on
 * unrelated text: "pool" alone would, "connection pool" does not. Stopwords ("the", "of", "per",
 * "by", "on", "it", ...) are dropped from phrases too, so "alert on" is just "alert". A negation
 * word in a phrase is matched literally ("not log in" needs the "not"), which is how failures
 * such as "users could not log in" are recognised.
 */

export interface Concept {
  id: string;
  phrases: readonly string[];
  /** Generic practice that fits any incident: never counted as foreign. */
  neutral?: boolean;
}

/** Every "subject verb" pair: "error rate" x "drop" gives "error rate drop". */
function pairs(subjects: readonly string[], verbs: readonly string[]): string[] {
  return subjects.flatMap((s) => verbs.map((v) => `${s} ${v}`));
}

const ERROR_WORDS = ["error rate", "error", "failure", "5xx", "500", "502", "503", "504", "429", "throttled"];
const LATENCY_WORDS = ["latency", "p99", "p95", "response time", "search time"];
const RECOVERY_WORDS = ["drop", "fall", "back", "below", "under", "recover", "disappear", "stop", "gone", "normal", "baseline", "subside", "clear", "decrease", "come down", "go down", "settle"];
/** What falls back to normal when a saturated resource recovers ("connection usage falls under 80%"). */
const LEVEL_WORDS = ["drop", "fall", "back", "below", "under", "decrease", "normal", "recover", "come down", "go down"];

const concepts: readonly Concept[] = [
  // ---- generic practice (neutral) ----
  { id: "check_dashboards", neutral: true, phrases: ["dashboard", "check metric", "review metric", "look at metric", "grafana"] },
  { id: "check_logs", neutral: true, phrases: ["check log", "review log", "inspect log", "read log", "tail log", "log for error", "search log", "journalctl", "error log"] },
  { id: "notify_stakeholders", neutral: true, phrases: ["notify stakeholder", "status page", "update stakeholder", "communicate", "incident channel", "inform customer", "customer communication"] },
  { id: "escalate_oncall", neutral: true, phrases: ["escalate", "page on-call", "page oncall", "page the team", "incident commander", "hand over to"] },
  { id: "monitor_recovery", neutral: true, phrases: ["monitor", "watch metric", "keep watch", "observe recovery", "confirm recovery", "verify recovery"] },
  { id: "postmortem_followup", neutral: true, phrases: ["postmortem", "post-mortem", "retrospective", "blameless review"] },
  { id: "health_check", neutral: true, phrases: ["health check", "healthcheck", "healthz", "health endpoint", "back in rotation", "status show active", "active running", "healthy again"] },
  {
    id: "capacity_alerting",
    neutral: true,
    phrases: [
      "alert on connection", "connection alert", "saturation alert", "capacity alert", "early warning", "monitor connection", "alert on pool",
      "alert threshold", "alert at 80", "alert on memory", "memory alert", "alert on heap", "heap alert", "alert on gc", "gc pause alert", "watch gc",
      "alert on cpu", "alert on thread", "thread pool alert", "alert on saturation", "alert on lag", "lag alert", "alert on slow", "alert on query",
      "alert on packet", "alert on loss", "monitor loss", "alert on deadlock", "deadlock alert", "alert on request rate", "traffic alert",
      "warn on memory", "warn on heap", "warn on connection", "warn on saturation", "alert earlier", "alert sooner",
      "alert on disk", "disk alert", "disk usage alert", "alert on quota", "quota alert", "alert on usage", "usage alert", "alert on consumer lag",
    ],
  },

  // ---- symptoms and timeline words any incident may use (neutral) ----
  { id: "error_rate_spike", neutral: true, phrases: ["5xx", "500 error", "error rate", "http 500", "internal server error", "server error", "failed request", "request failure", "error spike", "request fail", "500s", "502", "503", "504", "bad gateway", "service unavailable", "gateway timeout"] },
  { id: "errors_recovered", neutral: true, phrases: [...pairs(ERROR_WORDS, RECOVERY_WORDS), "stop 5xx", "stop 502", "stop 503", "no more 5xx", "no more 503", "no more error", "succeed again", "error free"] },
  { id: "latency_spike", neutral: true, phrases: ["latency", "slow response", "response time", "p99", "p95", "slow", "slowdown", "time out", "timeout", "timeouts"] },
  { id: "latency_recovered", neutral: true, phrases: [...pairs(LATENCY_WORDS, RECOVERY_WORDS), "fast again", "latency normal"] },
  { id: "cpu_recovered", neutral: true, phrases: [...pairs(["cpu", "cpu usage", "database load", "db load", "query rate"], LEVEL_WORDS), "cpu normal"] },
  {
    id: "writes_recovered",
    neutral: true,
    phrases: ["write succeed", "writes succeed", "write work again", "writes work again", "write accept", "writes accepted", "write go through", "no more enospc", "enospc stop", "no more oom error", "oom error stop"],
  },
  { id: "cpu_saturation", neutral: true, phrases: ["cpu"] },
  {
    id: "user_facing_outage",
    neutral: true,
    phrases: [
      "outage", "downtime", "unavailable", "user-facing error", "customer-facing error", "user impact", "customer impact", "not log in", "unable to log in",
      "not sign in", "unable to sign in", "login fail", "logins fail", "request fail for user", "platform down", "whole platform", "entire platform", "platform-wide", "customer see", "customers saw", "customers could not", "users could not", "customer receive", "customers got", "users got", "user receive",
    ],
  },
  { id: "alert_fired", neutral: true, phrases: ["alert fire", "alert trigger", "paged", "alert", "alarm", "detected"] },
  { id: "incident_began", neutral: true, phrases: ["began", "start", "onset", "first error", "first symptom", "first"] },
  { id: "incident_mitigated", neutral: true, phrases: ["mitigate", "recover", "restore", "resolve", "back to normal", "error subside", "fixed", "error stop", "back to baseline", "healthy again", "healthy", "clear"] },

  // ---- generic remediations (specific enough to be foreign where they do not fit) ----
  {
    id: "restart_service",
    phrases: [
      "restart service", "restart process", "restart pod", "restart instance", "restart node", "restart container", "restart app", "restart application",
      "restart database", "restart postgres", "restart redis", "restart nginx", "restart elasticsearch", "restart broker", "restart kafka", "restart worker",
      "restart consumer", "restart caller", "restart server", "restart es", "restart es-data-2", "restart data node", "systemctl restart", "bounce", "reboot", "bring back up", "start again",
      "service restart", "node restart", "pod restart", "instance restart", "process restart", "unit restart", "worker restart", "rolling restart", "rollout restart", "restart deployment", "recycle pod", "recycle instance", "recycle container", "recycle worker", "delete pod",
    ],
  },
  // Not "more replicas": "more replicas only send more calls" explains why not to scale out.
  { id: "scale_out", phrases: ["scale out", "scale up", "scale-out", "add replica", "add instance", "add capacity", "add more node", "add extra node", "add worker node", "autoscale", "autoscaling", "autoscaler scale", "increase replica", "horizontal scaling", "add pod", "bump replica"] },
  { id: "rollback_deploy", phrases: ["roll back", "rollback", "revert deploy", "revert release", "revert build", "revert to version", "back to version", "redeploy previous version", "deploy previous version", "restore previous version", "downgrade", "undo the deploy", "undo the migration", "last good version", "previous build", "previous release", "previous image", "revert commit"] },
  { id: "disable_feature_flag", phrases: ["feature flag", "disable flag", "flag off", "turn off flag", "switch off flag", "flag turn off", "flag disable", "toggle off", "kill switch", "disable channel", "channel off", "channel switch off", "switch off channel", "disable integration", "turn off integration"] },
  { id: "request_timeout", phrases: ["add timeout", "add timeouts", "set timeout", "read timeout", "read timeouts", "connect timeout", "connect timeouts", "short timeout", "client timeout", "give timeout", "request timeout", "call timeout", "http timeout", "deadline", "time out call", "time out request", "timeout on call"] },
  { id: "circuit_breaker", phrases: ["circuit breaker", "circuit-breaker", "breaker", "fail fast", "trip the circuit", "open the circuit"] },
  { id: "async_processing", phrases: ["asynchronous", "asynchronously", "async", "deliver from queue", "queue webhook", "queue webhooks", "webhook queue", "own queue", "separate queue", "deliver in background", "decouple", "off the request thread", "off the consumer thread", "fire and forget", "outbox"] },
  { id: "synchronous_calls", phrases: ["synchronous", "synchronously", "inline", "in the request path", "blocking call", "request thread", "sync call"] },

  // ---- databases and connections ----
  { id: "db_connection_limit", phrases: ["max_connections", "max connections", "connection limit", "connection slot", "too many clients", "connection cap", "slot reserve", "connections maxed", "connection count at limit", "maximum connections"] },
  {
    id: "connection_pool_exhaustion",
    phrases: [
      "connection pool exhaust", "database pool exhaust", "exhausted connection pool", "exhausted the connection pool", "connection pool saturate", "connection pool is full",
      "out of connections", "connection exhaustion", "ran out of connection", "run out of connection", "exhausted connection", "connection pool full", "too many connections",
      "too many clients", "pooled connection", "hit connection limit", "reach connection limit", "beyond max_connections", "connection reject", "reject connection", "hit max_connections", "reach max_connections", "exceed max_connections",
      "exceed connection", "past connection cap", "over connection limit",
    ],
  },
  { id: "connection_pooler", phrases: ["pgbouncer", "connection pooler", "pooler", "pool proxy", "pgpool"] },
  { id: "raise_connection_limit", phrases: ["increase max_connections", "raise max_connections", "increase connection limit", "raise connection limit", "bump max_connections", "increase max connection", "raise the limit on connection", "more connection slot", "higher connection limit", "increase the pool size", "raise pool size", "increase pool size", "larger pool"] },
  { id: "reduce_connection_usage", phrases: ["reduce pool size", "limit pool size", "cap pool size", "cap connection", "limit connection", "pool size limit", "shrink the pool", "lower pool size", "connection budget", "pool size per instance", "pool limit", "limit pool", "right-size the pool", "reduce connection", "pool shrunk", "pools shrunk"] },
  { id: "kill_idle_connections", phrases: ["terminate idle connection", "kill idle connection", "close idle connection", "pg_terminate_backend", "terminate idle session", "kill idle session", "drop idle connection", "idle connection", "kill session", "terminate session", "idle session"] },
  {
    id: "connections_recovered",
    phrases: [
      ...pairs(["connection usage", "connection count", "connections", "active connection", "session count"], LEVEL_WORDS),
      "refusal stop", "refusals stop", "no connection refusal", "no more too many clients", "too many clients stop", "sessions accepted", "session accept again",
    ],
  },
  { id: "check_db_connections", phrases: ["pg_stat_activity", "active connection", "connection count", "count connection", "number of connection", "check connection", "connection usage", "many backend", "many backends", "backend count", "backends open", "count backend"] },
  { id: "slow_query", phrases: ["slow query", "slow queries", "slow statement", "long-running query", "query taking", "hot query", "worst query", "worst statement", "top query", "statement dominate", "query take", "expensive query", "pg_stat_statements", "top statement", "query duration", "query eat", "queries eating", "query slowness", "query slow down", "queries slowed", "millisecond to second", "milliseconds to several seconds"] },
  {
    id: "missing_index",
    phrases: [
      "missing index", "index missing", "drop index", "dropped index", "index drop", "index gone", "lose index", "remove index", "without index", "no index",
      "no usable index", "unindexed", "seq scan", "sequential scan", "full table scan", "table scan", "scan every row", "whole table", "index was removed",
    ],
  },
  { id: "create_index", phrases: ["create index", "recreate index", "re-create index", "rebuild index", "build index", "add index", "index concurrently", "restore index", "put index back"] },
  { id: "migration_review", phrases: ["review migration", "migration review", "migration check", "check migration", "test migration", "migration test", "lint migration", "migration lint", "review schema change", "schema change review", "flag removed index", "explain in ci", "query plan in ci"] },
  { id: "deadlock", phrases: ["deadlock", "deadlocked", "deadlocks", "lock cycle", "wait for each other", "waiting for each other"] },
  { id: "lock_contention", phrases: ["lock wait", "waiting on lock", "row lock", "lock contention", "blocked on lock", "queued on lock", "queue behind the lock", "lock queue", "locked transaction", "waiting for lock", "queue on the row lock"] },
  {
    id: "locks_cleared",
    phrases: [
      "lock wait back", "lock waits back", "lock wait clear", "lock waits clear", "lock waits cleared", "locks clear", "no new deadlock", "deadlocks stop", "lock queue empty", "lock wait zero", "deadlock stop",
      "lock wait drop", "lock waits drop", "lock wait fall", "lock queue drain", "lock queue empties", "lock wait near zero", "blocked session clear",
    ],
  },
  { id: "lock_ordering", phrases: ["lock order", "order of lock", "lock ordering", "same order", "opposite order", "consistent order", "reverse order", "other way around", "other way round", "consistent sequence", "different order", "lock in the same"] },

  // ---- processes, crashes, deploys ----
  { id: "process_crash", phrases: ["crash", "segfault", "segfaulted", "segmentation fault", "sigsegv", "signal 11", "core dump", "dump core", "process die", "process exit", "service die", "exit code 139", "exit status 139", "status 139", "process down", "dead unit", "dead process", "process be down"] },
  { id: "connection_refused", phrases: ["connection refuse", "connection refused", "refuse connection", "econnrefused", "errno 111", "nothing listen", "port closed", "port stay closed", "request refuse", "request be refuse"] },
  { id: "auto_restart", phrases: ["restart on failure", "automatic restart", "auto restart", "auto-restart", "autorestart", "restart automatically", "restart policy", "restart after crash", "supervisor", "systemd policy"] },
  { id: "crash_analysis", phrases: ["analyze core", "analyse core", "core file", "save core", "keep core", "investigate crash", "root cause segfault", "root-cause segfault", "fix segfault", "fix crash", "debug crash", "backtrace", "gdb", "analyze crash", "crash report"] },
  {
    id: "bad_deploy",
    // Not a bare "release" ("release the threads" is not a deploy), nor "service release": service
    // names are masked to "service", so "restart the worker-service instances to release the
    // threads" read as one. Not "shipped" either: its lemma "ship" is in "shipping labels".
    phrases: [
      "bad deploy", "deploy", "deployment", "rollout", "roll out", "new version", "code change", "recent change", "new code", "new build", "new release", "bad release",
      "latest release", "recent release", "release version", "version release", "release go out", "release introduce", "release cause", "after release", "trace release",
      "revert release", "since release",
    ],
  },
  { id: "deploy_safety", phrases: ["canary", "staged rollout", "progressive rollout", "gradual rollout", "load test", "load-test", "concurrency test", "integration test", "test with concurrent", "pre-release test", "deployment gate", "bake time", "blue-green", "blue/green", "regression test", "automatic rollback", "roll back automatically", "auto rollback"] },

  // ---- caches and memory ----
  // Not a bare "memory limit": a leaking service is OOM-killed at its container's memory limit.
  { id: "cache_memory_full", phrases: ["maxmemory", "used_memory", "used memory", "redis memory limit", "cache memory limit", "memory cap", "memory full", "fill memory", "memory fill", "cache full", "cache fill up", "redis full", "oom command not allowed", "memory at 100"] },
  { id: "write_rejected", phrases: ["refuse write", "write refuse", "writes refused", "reject write", "write reject", "write fail", "writes failed", "stop accept write", "write command refuse", "set fail", "sets fail", "write error"] },
  { id: "eviction_policy", phrases: ["eviction policy", "eviction setting", "maxmemory-policy", "allkeys-lru", "volatile-lru", "noeviction", "lru eviction", "eviction", "evict key", "least recently used", "least-recently-used", "lru"] },
  // Not "free space": "freed space on the volume" is a disk's.
  { id: "flush_cache", phrases: ["flush", "flushed", "flushdb", "flushall", "delete key", "unlink", "remove key", "purge key", "clear key", "free memory", "drop key", "key delete", "keys deleted"] },
  { id: "raise_memory_limit", phrases: ["raise maxmemory", "increase maxmemory", "raise memory limit", "increase memory limit", "more memory", "more ram", "add ram", "increase ram", "raise heap", "bigger heap", "increase heap", "larger heap", "xmx", "heap size"] },
  // Not a bare "expire": BGP hold timers, connections and certificates expire too.
  { id: "missing_ttl", phrases: ["ttl", "never expire", "no expiry", "without expiry", "key expire", "expire key", "keys expire", "expiry on key", "time to live", "time-to-live"] },
  { id: "big_keys", phrases: ["bigkeys", "big key", "largest key", "large key", "key group", "scan by prefix", "key prefix"] },
  { id: "cache_miss", phrases: ["cache miss", "miss cache", "fall back to postgres", "fall back to database", "fall back to db", "fallback to postgres", "fallback to database", "cache fallback", "fall through to database", "fall through to postgres", "read go to database", "reads hit the database", "hit ratio drop", "go to postgres", "went to postgres", "misses go to the database", "miss go to postgres", "every read to the database"] },
  { id: "out_of_memory", phrases: ["out of memory", "out-of-memory", "oom", "outofmemoryerror", "outofmemory", "ran out of memory", "run out of memory", "memory exhausted", "oomkilled", "oom'd", "gc overhead limit", "out of heap", "heap exhaust", "exhaust heap", "heap full", "heap space"] },
  { id: "jvm_heap_exhaustion", phrases: ["heap exhaust", "exhaust heap", "heap full", "heap at 99", "heap usage", "java heap", "jvm heap", "jvm memory", "heap pressure", "heap stay above", "heap space", "out of heap", "heap fill", "old generation full", "old-gen memory", "old gen memory"] },
  { id: "gc_thrashing", phrases: ["gc thrash", "gc thrashing", "thrash", "thrashing", "garbage collection", "garbage collector", "gc pause", "old-gen pause", "old gen pause", "full gc", "gc overhead", "long gc", "old-generation collection", "stop-the-world", "gc time", "collect garbage", "collecting garbage", "continuous gc", "constant gc", "nonstop gc", "gc storm"] },
  { id: "memory_leak", phrases: ["memory leak", "leak", "leaked", "leaking", "never reclaim", "not reclaim", "unbounded cache", "cache without a bound", "grow without bound", "never evict", "never release memory", "without a bound"] },
  { id: "heap_dump", phrases: ["heap dump", "heap-dump", "jmap", "hprof", "dump the heap", "dump heap", "heap profile", "heap snapshot", "investigate dump"] },
  { id: "node_left_cluster", phrases: ["left the cluster", "leave the cluster", "drop from cluster", "drop out of the cluster", "dropped the node", "node left", "node-left", "removed from cluster", "remove from cluster", "unassigned shard", "cluster yellow", "health yellow", "run yellow"] },
  { id: "cluster_health", phrases: ["cluster green", "health green", "back to green", "turn green", "status green", "green again", "rejoin", "shard recover", "shards recover", "cluster health back", "node join"] },

  // ---- queues, threads, dependencies ----
  { id: "consumer_lag", neutral: true, phrases: ["consumer lag", "consumer group lag", "kafka lag", "queue lag", "lag grow", "lag on job-queue", "message behind", "behind on topic", "kafka backlog", "backlog grow", "lag cross", "lag pass", "lag above", "lag over", "group rebalance", "rebalance group", "consumer rebalance", "consumers stop polling", "stop poll"] },
  { id: "backlog_draining", neutral: true, phrases: ["lag drain", "lag fall", "lag decrease", "lag shrink", "lag go down", "lag drop", "backlog drain", "backlog shrink", "backlog clear", "backlog fall", "queue drain", "lag back under", "lag below", "lag recover", "drain below", "throughput return", "throughput recover", "job process back", "jobs processed back", "processing rate recover", "consumer catch up", "catch up", "consuming again", "consume again", "partition move on"] },
  { id: "add_partitions", phrases: ["add partition", "more partition", "increase partition", "partition count"] },
  {
    id: "thread_pool_exhaustion",
    phrases: [
      "thread pool exhaust", "thread pool saturate", "thread exhaust", "thread exhaustion", "thread busy", "threads busy", "thread block", "threads blocked",
      "thread stuck", "stuck thread", "blocked thread", "exhaust thread", "thread park", "thread tie up", "threads tied up", "thread pool full", "executor saturate", "executor full", "100/100 busy",
      "500/500", "thread pool saturation",
    ],
  },
  {
    id: "third_party_latency",
    phrases: [
      "third-party", "third party", "3rd party", "external api", "external call", "external dependency", "external service", "vendor", "partner endpoint",
      "partner api", "partner webhook", "webhook partner", "slow partner", "carrier api", "carrier", "shipping provider", "label provider", "webhook provider", "external provider", "slow dependency",
      // Vendor nodes are masked as "provider" (src/grading/episode/mentions.ts): "twilio-api became slow".
      "slow provider", "provider slow", "provider become slow", "provider slowdown", "provider slowness", "provider latency",
    ],
  },
  { id: "jobs_delayed", neutral: true, phrases: ["job delay", "delayed job", "job stall", "stalled job", "jobs backed up", "delay job", "label delay", "email delay", "go out late", "went out late", "processing delay", "fulfilment stall", "fulfillment stall", "background job"] },
  { id: "cascading_failure", neutral: true, phrases: ["cascade", "cascading", "cascading failure", "knock-on", "domino", "chain", "chain reaction", "spread to"] },
  { id: "lost_notifications", phrases: ["webhook drop", "webhooks drop", "drop webhook", "drop webhooks", "webhook lost", "webhooks lost", "lost webhook", "undelivered", "not deliver", "never deliver", "notification lost", "lost notification", "message lost", "lost message", "drop message"] },

  // ---- impact on users ----
  { id: "payment_failures", neutral: true, phrases: ["payment fail", "fail payment", "payment error", "payment success rate", "payment attempt fail", "charge fail", "unable to pay", "not pay", "not take payment", "not complete payment", "payment request fail", "card payment fail"] },
  { id: "login_failures", neutral: true, phrases: ["login fail", "fail login", "log in fail", "not log in", "not sign in", "unable to log in", "unable to sign in", "login success rate", "login time out", "logins timed out", "logins fail", "sign in fail", "authentication fail", "auth fail", "login error"] },
  { id: "order_failures", neutral: true, phrases: ["order fail", "fail order", "order placement fail", "not place order", "order not place", "unable to place order", "not check out", "unable to check out", "checkout fail", "fail checkout", "order volume drop", "orders per minute fell", "order time out"] },

  // ---- networks and zones ----
  {
    id: "network_partition",
    phrases: [
      "partition the network", "partitioned network", "broken link", "link broke",
      "network partition", "partition between", "zone partition", "az partition", "split brain", "not talk to each other", "no longer talk",
      "link down", "link drop", "link lost", "link go down", "bgp session down", "bgp peer down", "bgp session go down", "bgp", "transit link", "inter-zone link",
      "inter-az link", "zone isolate", "az isolate", "isolated zone", "split two zone", "zone split", "cut off from each other", "not reach each other", "zone cut off",
    ],
  },
  { id: "packet_loss", phrases: ["packet loss", "lose packet", "packets lost", "packet drop", "drop packet", "no route to host", "unroutable", "connection reset", "reset by peer", "traffic lost", "cross-az traffic lost", "lose every packet"] },
  { id: "az_failover", phrases: ["failover", "fail over zone", "fail over traffic", "fail over link", "fail over path", "fail over standby", "fail over region", "fail over az", "fail over replica", "drain az2", "drain az1", "drain zone", "drain the affected zone", "promote replica", "route traffic", "shift traffic", "evacuate", "move traffic", "traffic confine", "within one zone", "within a single zone", "in a single zone", "confine to one zone", "keep traffic in one zone", "serve from one zone", "within a single az"] },
  { id: "multi_az_redundancy", phrases: ["multi-az", "multi az", "replica per az", "replica in each az", "replica in each zone", "replicated in each zone", "each zone", "across zones", "across az", "redundant path", "redundant transit", "second path", "zone redundant", "every zone"] },

  // ---- traffic, retries, rate limits ----
  { id: "traffic_spike", phrases: ["traffic spike", "ddos", "ddosed", "attack", "flood", "request spike", "traffic surge", "spike in traffic", "volumetric"] },
  { id: "check_traffic_source", neutral: true, phrases: ["down by client", "break down traffic", "break down request", "group by client", "client ip", "internal client", "single client", "one client", "top client", "top talker", "send traffic", "traffic source", "source of traffic", "arrival rate", "compare arrival",
      "compare request rate", "request rate by caller", "break down by caller", "calls than", "requests than", "than user traffic", "than the traffic",
      "outbound call rate", "inbound rate", "outbound to inbound", "outbound and inbound"] },
  { id: "block_traffic", phrases: ["block ip", "block traffic", "block the top", "waf rule", "strict rate-limit", "enable waf", "blacklist", "deny list", "geo-block", "rate limit rule", "block offending"] },
  { id: "retry_storm", phrases: ["retry storm", "storm of retry", "retry flood", "flood with retry", "flood of retry", "self-ddos", "self ddos", "self-inflicted", "ddosed with retry", "retry amplification", "trigger more retry", "more retry", "keep itself going", "self-sustaining", "feed each other"] },
  { id: "missing_backoff", phrases: ["retry immediately", "retried immediately", "retry at once", "retry in 0 ms", "retry 0 ms", "0 ms retry", "zero delay", "tight loop", "retry loop", "infinite retry", "endless retry", "unlimited attempt", "unlimited retry", "unbounded retry", "retry forever", "no backoff", "without backoff", "no delay", "retry without delay", "hammer with retry", "retries hammer"] },
  { id: "exponential_backoff", phrases: ["exponential backoff", "backoff", "back off", "jitter", "retry policy", "delay between retry", "retry budget"] },
  { id: "cap_retries", phrases: ["cap on attempt", "cap attempt", "cap retry", "max attempt", "maximum attempt", "maximum of 5 attempt", "retry limit", "limit retry", "bounded retry", "max retries", "attempt limit", "retry cap"] },
  { id: "pause_client", phrases: ["pause the job", "pause job", "pause sync", "pause the worker", "pause worker", "sync paused", "job paused", "worker paused", "pause consumer", "stop the worker", "stop worker", "stop the job", "stop the sync", "scale down", "scale to zero", "suspend", "stop the retry", "stop sending"] },
  // Not "request rate drop" nor "traffic drop": a crashing service's request rate drops as well.
  { id: "request_rate_normal", phrases: ["call rate back", "call rate fall", "call rate drop", "back in line with", "request rate back", "request rate fall", "request rate normal", "traffic back", "traffic return normal", "traffic return", "traffic normal", "traffic fall", "429 disappear", "429 stop", "stop get 429"] },
  { id: "rate_limited", neutral: true, phrases: ["429", "too many requests", "rate limit", "rate-limit", "rate limited", "rate-limited", "throttle", "rate limiting"] },
  { id: "raise_rate_limit", phrases: ["raise rate limit", "increase rate limit", "lift rate limit", "bump rate limit", "higher rate limit", "raise client limit", "raise the per-client limit"] },

  // ---- added with the fault library (src/scenarios/faults) ----
  // Deploys and config changes.
  { id: "new_exception", phrases: ["exception", "stack trace", "stacktrace", "traceback", "nullpointerexception", "typeerror", "keyerror", "unhandled error", "uncaught error", "new error signature", "500 from the new"] },
  { id: "config_change", phrases: ["stub zone", "forward zone", "zone forward", "config change", "config push", "configuration change", "configuration push", "pushed config", "push config", "config value", "config update", "bad config", "config rollout", "config was pushed", "change the config", "corefile change", "pushed value", "push value", "value pushed"] },
  { id: "config_revert", phrases: ["revert config", "revert the config", "revert configuration", "roll back config", "rollback config", "roll back configuration", "restore config", "restore previous config", "previous config", "undo config", "revert setting", "restore setting", "revert the push", "revert corefile", "restore corefile", "restore eviction", "set eviction policy back", "eviction policy back", "put config back", "roll config back", "set config back", "known good config", "restore old config", "previous corefile", "old corefile", "corefile back"] },
  { id: "staged_config_rollout", phrases: ["staged config", "stage config", "config canary", "canary config", "canary the config", "progressive config", "gradual config", "config freeze", "freeze config", "freeze push", "validate config", "config validation", "config review", "review config change", "config rollout in stage", "one region first", "per-zone rollout",
      "validate corefile", "corefile validation", "one replica first", "one instance first", "one zone first", "one node first", "one canary instance"] },
  // Certificates.
  { id: "certificate_expiry", phrases: ["certificate expire", "certificate has expired", "cert expire", "expired certificate", "expired cert", "x509", "notafter", "tls handshake fail", "tls handshake error", "handshake failure", "handshake fail", "certificate validity", "certificate out of date", "bad certificate", "certificate not renew", "cert not renew", "certificate lapse", "certificate lapsed", "cert lapse", "cert lapsed", "lapsed certificate", "lapsed cert", "certificate run out", "cert run out", "fail certificate verification", "certificate verification fail", "reject the certificate"] },
  { id: "renew_certificate", phrases: ["fresh certificate", "issue certificate", "load the new certificate", "new cert", "renew certificate", "renew cert", "renew the tls", "certificate renewal", "cert renewal", "rotate certificate", "rotate cert", "reissue certificate", "reissue cert", "issue new certificate", "new certificate", "replace certificate", "replace cert", "reload certificate", "reload cert", "install certificate", "fresh cert", "issue cert", "new tls cert", "new tls certificate"] },
  {
    id: "tls_recovered",
    phrases: ["handshake succeed", "handshakes succeed", "handshake work", "handshakes work", "no more x509", "x509 error stop", "x509 errors gone", "serve the new certificate", "new certificate served", "certificate valid again"],
  },
  { id: "cert_expiry_monitoring", phrases: ["alert on failed renewal", "failed renewal alert", "certificate expiry alert", "cert expiry alert", "alert on certificate", "alert on cert", "monitor certificate", "certificate monitoring", "expiry monitoring", "alert before expiry", "day before expiry", "days to expiry", "expiry alert", "auto-renew", "automatic renewal", "automate renewal", "renewal alert", "alert on renewal", "renewal failure alert"] },
  { id: "disable_tls_verification", phrases: ["disable tls verification", "disable certificate verification", "skip verification", "skip tls verification", "insecureskipverify", "insecure skip verify", "verify false", "turn off tls", "disable tls", "ignore certificate", "ignore the expired", "accept expired", "skip certificate check"] },
  // DNS.
  { id: "dns_resolution_failure", phrases: ["dns", "no such host", "nxdomain", "servfail", "name resolution", "resolve host", "resolution fail", "dns lookup fail", "name lookup fail", "hostname lookup fail", "dns lookup", "resolver", "coredns", "could not resolve", "cannot resolve", "not resolve", "name lookup", "stop resolving", "not resolving", "fail to resolve"] },
  {
    id: "dns_recovered",
    phrases: ["lookup succeed", "lookups succeed", "lookup work", "resolve again", "name resolve", "names resolve", "servfail stop", "servfail back", "servfail drop", "servfail rate back", "no more servfail", "no such host stop"],
  },
  { id: "dns_redundancy", phrases: ["node-local dns", "nodelocal dns", "nodelocaldns", "dnscache", "local dns cache", "dns cache", "node-level caching", "secondary resolver", "fallback resolver", "backup resolver", "dns redundancy", "serve stale dns"] },
  { id: "hardcode_ip", phrases: ["hard-code ip", "hardcode ip", "hard code ip", "hard-coded ip", "/etc/hosts", "hosts file", "static ip", "pin ip", "ip address instead"] },
  // Disks.
  { id: "disk_full", phrases: ["disk full", "disk is full", "disk fill", "full disk", "out of disk", "no space left", "enospc", "disk usage", "disk space", "volume full", "full volume", "filesystem full", "disk at 100", "disk pressure", "run out of space", "ran out of space", "data volume"] },
  { id: "free_disk_space", phrases: ["free disk", "free up disk", "free up space", "free space on disk", "free space on the volume", "reclaim space", "reclaim disk", "clear disk", "clean up disk", "delete old log", "remove old log", "clean up log", "compress log", "truncate log", "archive log", "expand volume", "grow volume", "resize volume", "extend volume", "bigger volume", "drop the replication slot", "drop replication slot",
      // Service names are masked: "freed space on customers-db" reads "free space on database".
      "free space on database"] },
  { id: "disk_recovered", phrases: [...pairs(["disk usage", "disk", "volume usage", "data volume"], LEVEL_WORDS), "disk stay below", "space back"] },
  { id: "log_rotation", phrases: ["log rotation", "rotate log", "logrotate", "log retention", "unrotated", "not rotated", "never rotated", "rotation policy", "retention policy", "cap log size", "log size limit", "not grow unbounded", "never grow unbounded", "bound its growth", "cap its growth"] },
  { id: "delete_data_files", phrases: ["delete data file", "remove data file", "delete wal", "remove wal", "delete the wal", "rm pg_wal", "delete pg_wal", "pg_resetwal", "delete database file", "delete segment file"] },
  // Caches.
  {
    id: "cache_stampede",
    phrases: [
      "cache stampede", "stampede", "thundering herd", "dogpile", "cold cache", "cache cold", "empty cache", "cache empty", "keyspace empty", "empty keyspace", "hit ratio collapse", "hit ratio drop",
      "hit ratio fall", "miss storm", "come back empty", "come back cold", "restart cold",
    ],
  },
  { id: "cache_warming", phrases: ["warm cache", "warm the cache", "warm up cache", "cache warm", "cache warming", "cache warmup", "prewarm", "pre-warm", "repopulate cache", "refill cache", "backfill cache", "reload hot key", "preload cache", "preload key", "pre-load", "pre-loaded", "preloaded", "load hot key", "warm hot key"] },
  { id: "request_coalescing", phrases: ["request coalescing", "coalesce request", "coalesce miss", "single flight", "singleflight", "request collapsing", "collapse request", "dedupe request", "lock on miss", "serve stale", "stale-while-revalidate", "stale while revalidate", "jittered ttl", "ttl jitter"] },
  { id: "hit_ratio_recovered", phrases: ["hit ratio back", "hit ratio recover", "hit ratio return", "hit ratio above", "hit ratio normal", "hit rate back", "hit rate recover", "hit ratio climb", "miss back to normal", "misses back to normal", "cache warm again"] },
  // Load, quotas and limits.
  { id: "load_shedding", phrases: ["shed load", "load shedding", "shed traffic", "drop excess", "reject excess", "admission control", "rate-limit to backend", "rate limit to the database", "throttle the caller", "throttle caller", "limit concurrency"] },
  { id: "quota_exceeded", phrases: ["quota", "over quota", "quota exceed", "exceed quota", "exceeded the quota", "api quota", "plan limit", "usage limit", "rate limit exceed", "account limit", "exceed rate limit"] },
  // What raised the call rate against a quota.
  { id: "new_batch_job", phrases: ["scheduled job", "batch job", "new job", "cron job", "job enabled", "enable job", "enabled a job", "nightly job", "batch work", "job start"] },
  { id: "request_quota_increase", phrases: ["quota increase", "increase quota", "raise quota", "raise the quota", "higher quota", "request quota", "upgrade plan", "plan upgrade", "higher plan", "higher tier", "raise the account limit", "raise account limit"] },
  { id: "vendor_support", phrases: ["contact vendor", "contact the provider", "vendor support", "provider support", "support ticket", "open ticket with", "account manager", "vendor status page"] },
  // Network.
  { id: "drain_node", phrases: ["drain node", "drain the node", "drain host", "cordon", "drain instance", "drain link", "drain the link", "take link out", "take node out", "out of rotation", "evict pod"] },
  // Queues.
  { id: "poison_message", phrases: ["poison pill", "poison message", "poison", "malformed message", "bad message", "corrupt message", "corrupted message", "invalid message", "deserialization error", "deserialize", "fail to parse", "unparseable", "stuck offset", "offset not advance", "same offset", "stuck partition", "partition stuck", "redeliver", "redelivered"] },
  { id: "dead_letter_queue", phrases: ["dead letter", "dead-letter", "dlq", "skip message", "skip the message", "skip offset", "skip past", "advance offset", "commit offset past", "move message", "park message", "quarantine message", "skip poison", "skip the bad"] },
  { id: "purge_queue", phrases: ["purge topic", "purge queue", "purge the topic", "purge the queue", "delete topic", "delete the topic", "drop topic", "truncate topic", "reset offset to latest", "purge all message", "delete all message"] },
  { id: "message_validation", phrases: ["schema validation", "validate message", "message schema", "schema registry", "contract test", "reject malformed", "validate at the producer", "validate payload", "producer-side validation", "schema check"] },
  // Credentials.
  { id: "credential_rotation", phrases: ["secret rotation", "rotate secret", "rotated secret", "password rotation", "rotate password", "rotated password", "credential rotation", "rotate credential", "rotated credential", "rotate key", "rotate api key", "reset password", "new password", "password change", "password changed", "rotation event", "password rotate", "secret rotate", "credential rotate"] },
  { id: "stale_credentials", phrases: ["stale credential", "stale secret", "stale password", "old secret", "old password", "old credential", "previous password", "outdated credential", "outdated secret", "cached credential", "password authentication fail", "authentication fail", "auth fail", "wrong password", "invalid password", "still use the old", "fail authentication", "read the old value", "kept the old value", "presenting the old"] },
  { id: "secret_reload", phrases: ["reload secret", "reload credential", "reload the secret", "pick up new secret", "pick up the new secret", "pick up the new password", "pick up the rotated", "pick up the new credential", "re-read secret", "refresh secret", "refresh credential", "secret watcher", "watch secret", "reload on rotation", "hot reload", "mount secret as file", "restart after rotation", "restart on rotation"] },
  { id: "rotation_grace_period", phrases: ["grace period", "overlap period", "dual credential", "two valid password", "both password valid", "keep the old password valid", "old password valid until", "two active credential", "overlap window"] },
  { id: "revert_rotation", phrases: ["revert rotation", "revert the rotation", "roll back the rotation", "undo rotation", "undo the rotation", "rotate back", "restore old password", "restore the old password", "restore old secret", "restore the old secret", "re-enable old credential", "reenable old credential", "re-enable the old", "old password back"] },
  // Databases.
  { id: "schema_migration", phrases: ["schema migration", "schema change", "alter table", "ddl", "migration lock", "migration hold", "migration block", "migration wait", "migration run", "running migration", "migration start", "started migration", "migration take", "migration acquire", "migration job", "migration runner", "migration queue", "index migration", "migration apply", "applied migration"] },
  { id: "kill_blocking_query", phrases: ["kill blocking", "terminate blocking", "cancel blocking", "blocking session", "blocking query", "blocking transaction", "blocker", "pg_cancel_backend", "kill query", "kill the query", "cancel query", "kill long-running", "kill long running", "cancel the migration", "kill the migration", "abort the migration", "abort migration", "stop the migration", "pause the migration", "end session"] },
  { id: "lock_timeout", phrases: ["lock_timeout", "lock timeout", "statement_timeout", "statement timeout", "lock wait timeout", "innodb_lock_wait_timeout", "timeout on lock"] },
  { id: "online_migration", phrases: ["online migration", "non-blocking migration", "zero-downtime migration", "migrate in batch", "batch migration", "expand and contract", "pg_repack", "gh-ost", "pt-online-schema-change", "off-peak", "low-traffic window", "migration window", "online schema change", "schema change online", "batched schema change"] },
  // Dependencies and memory.
  { id: "raise_timeout", phrases: ["raise timeout", "raise the timeout", "increase timeout", "increase the timeout", "longer timeout", "bump timeout", "extend timeout", "larger timeout", "higher timeout"] },
  { id: "graceful_degradation", phrases: ["graceful degradation", "degrade gracefully", "degraded mode", "fallback path", "serve without", "skip the call", "defer the call", "queue for later", "retry later in background"] },
  { id: "memory_stable", phrases: ["memory level off", "memory levels off", "heap level off", "memory flat", "memory stay flat", "memory stable", "memory usage stable", "heap flat", "heap stable", "memory back to baseline", "memory back to normal", "memory plateau", "memory stop grow", "memory stop climb", "heap stop grow", "no more oomkill", "no new oomkill", "no oomkill"] },
  { id: "memory_regression_test", phrases: ["soak test", "long-running load test", "memory regression test", "leak test", "leak detection", "memory profiling in ci", "profile memory", "heap profiling"] },
  // False alarms: nothing broken, a misconfigured alert rule.
  { id: "false_alarm", phrases: ["false alarm", "false positive", "false page", "spurious alert", "spurious page", "bogus alert", "alert misfire", "misfiring alert", "misfired", "not a real incident", "no real incident", "noise alert", "noisy alert"] },
  {
    id: "alert_misconfigured",
    phrases: [
      "misconfigured alert", "alert misconfiguration", "alert misconfigured", "wrong threshold", "threshold too low", "threshold set too low", "threshold lowered", "lowered the threshold", "lower threshold",
      "threshold change", "changed the threshold", "threshold was changed", "alert rule change", "alerting rule change", "changed alert rule", "change to the alert rule", "change to the alerting rule",
      "rule change", "rule was changed", "rule was edited", "changed the rule", "edited the rule", "threshold was changed", "threshold changed", "alerting change", "monitoring change", "monitoring config", "alerting config", "alert config", "unit mix-up", "units mix-up", "seconds-to-milliseconds",
    ],
  },
  { id: "no_user_impact", neutral: true, phrases: ["no user impact", "no customer impact", "no user-facing impact", "no impact", "users unaffected", "customers unaffected", "users were not affected", "customers were not affected", "nobody was affected", "no one was affected", "not affect user", "not affect customer", "zero impact", "no errors for users", "latency normal", "metrics normal", "healthy readings", "usual level", "normal level", "look normal", "looked normal", "users are fine", "users were fine", "customers are fine", "customers were fine", "nobody is hurt", "no one is hurt", "actually hurt", "stayed healthy", "was healthy", "is healthy", "none for users", "none for user", "nothing for users", "did not change at any point"] },
  { id: "restore_alert_threshold", phrases: ["restore the threshold", "restore threshold", "restored the threshold", "revert the alert", "revert alert rule", "revert the alert rule", "revert the threshold", "reverted the threshold", "reverted the rule", "fix the threshold", "fixed the threshold", "correct the threshold", "corrected the threshold", "threshold back", "put the threshold back", "silence the alert", "silenced the alert", "mute the alert", "muted the alert", "snooze the alert"] },
  { id: "alert_cleared", neutral: true, phrases: ["alert clear", "alert cleared", "alert resolve", "alert resolved", "alert stop firing", "alert stopped firing", "no longer firing", "alert quiet", "alert stays quiet", "stopped paging", "stop paging"] },
  { id: "alert_rule_review", phrases: ["review alert rule", "review the alert rule", "alert rule review", "review alerting change", "review of alerting change", "review alert change", "test alert rule", "alert rule test", "lint alert", "validate threshold", "threshold validation", "alert as code", "alerts as code", "peer review alert", "dry run alert", "dry-run alert", "backtest alert", "backtest the rule", "alert rule check", "check on alert rule", "alert rules go through", "rule changes go through", "reject a latency threshold", "reject a threshold", "threshold below the metric"] },
  // Provider outages.
  {
    id: "provider_outage",
    phrases: [
      "provider outage", "vendor outage", "third-party outage", "third party outage", "outage at the provider", "outage on their side", "outage on the provider", "provider down", "provider is down", "provider was down",
      "vendor down", "vendor is down", "vendor was down", "outage on their side", "problem on their side", "issue on their side", "fault on their side", "provider's side", "provider side", "provider incident", "vendor incident", "upstream outage", "provider return 503", "503 from the provider", "provider's status page", "provider status page", "their status page", "outage inside", "an outage inside", "had an outage", "their outage",
    ],
  },
  { id: "secondary_provider", phrases: ["secondary provider", "backup provider", "fallback provider", "second provider", "alternate provider", "alternative provider", "switch provider", "switch to the backup", "switch to the secondary", "fail over to the secondary", "failed over to the secondary", "multi-provider", "multiple provider", "redundant provider", "standby provider"] },
];

/** Every concept, in authoring order (ids are unique; a test checks it). */
export const CONCEPTS: readonly Concept[] = concepts;

export const LEXICON: ReadonlyMap<string, Concept> = new Map(concepts.map((c) => [c.id, c]));

/** The concept with this id; throws on an unknown id so a typo in scenario data fails fast. */
export function concept(id: string): Concept {
  const found = LEXICON.get(id);
  if (!found) throw new Error(`unknown lexicon concept "${id}"`);
  return found;
}
