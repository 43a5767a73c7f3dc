/**
 * What the heuristic agent knows about failure modes, as an experienced SRE would: which error
 * messages each one prints and who prints them, which metrics move, and which node kinds it
 * happens on. Written by hand from what the messages say (no ground truth of an episode is read):
 * "too many clients" is a database out of connection slots, "x509: certificate has expired" an
 * expired certificate, "No space left on device" a full disk.
 *
 * A pattern's role says whose problem a line shows:
 *   root     the service printing it is the one failing;
 *   caller   a service calling the failing one printed it; the first capture group names it;
 *   callee   a service the failing one calls printed it; the first capture group, if any, names it;
 *   infra    a client of a shared infrastructure node (DNS, the network) printed it; the failing
 *            node is the system's node of that kind.
 */
import { FaultKind, ServiceKind } from "../../../gen/incident/v1/enums_pb.js";

/** A failure mode's word, e.g. "bad_deploy": the proto's FaultKind value names, lower case. */
export type FaultWord = Lowercase<Exclude<keyof typeof FaultKind, "UNSPECIFIED">>;

export type Role = "root" | "caller" | "callee" | "infra";

export interface LogPattern {
  role: Role;
  re: RegExp;
}

/** A metric reading on the failing node that points at this failure mode. */
export interface MetricCue {
  metric: string;
  /** "high": at or past the threshold; "low": at or under the threshold (floor metrics). */
  direction: "high" | "low";
}

export interface FaultSignals {
  fault: FaultWord;
  /** Node kinds this failure happens on. */
  kinds: readonly ServiceKind[];
  logs: readonly LogPattern[];
  metrics: readonly MetricCue[];
  /**
   * How a knowledge-base article describes this failure as one of the causes it discusses (a weak
   * hint: an article is about a symptom and discusses several causes). Written from the public
   * articles of the team's wiki and the presets' articles, as an SRE who knows their wiki would.
   */
  kb: RegExp;
}

const { GATEWAY, SERVICE, DATABASE, CACHE, QUEUE, SEARCH, VENDOR, NETWORK, DNS } = ServiceKind;
const N = "[\\w.-]+";
const root = (re: RegExp): LogPattern => ({ role: "root", re });
const caller = (re: RegExp): LogPattern => ({ role: "caller", re });
const callee = (re: RegExp): LogPattern => ({ role: "callee", re });
const infra = (re: RegExp): LogPattern => ({ role: "infra", re });
const r = (source: string, flags = ""): RegExp => new RegExp(source.replace(/\{N\}/g, N), flags);

export const SIGNALS: readonly FaultSignals[] = [
  {
    fault: "bad_deploy",
    kinds: [SERVICE, GATEWAY],
    logs: [
      root(r("^unhandled \\S+ in .+ \\(build v[\\d.]+\\)")),
      root(r("^\\S+ /\\S* -> 500 Internal Server Error: ")),
      root(r("requests failed in .+ during the last minute; none before v[\\d.]+ started")),
      caller(r("^({N}) answered 500 Internal Server Error for ")),
      caller(r("^error rate from upstream ({N}) above 30%; passing failures through")),
    ],
    metrics: [{ metric: "error_rate", direction: "high" }],
    kb: /new build|fresh build|regression|new exception|stack trace|deployed just before/i,
  },
  {
    fault: "config_push",
    kinds: [SERVICE, GATEWAY],
    logs: [
      root(r("^config reloaded: .+\\(applied to all instances\\)")),
      root(r("^request handler timed out after \\d+ ms; worker CPU at 100%")),
      root(r("^503 Service Unavailable: request queue full, shedding")),
      caller(r("^upstream ({N}) returned 503 Service Unavailable \\(")),
      caller(r("^call to ({N}) timed out after \\d+ ms$")),
    ],
    metrics: [{ metric: "cpu_usage", direction: "high" }],
    kb: /config(uration)? push|flag change|settings (moved|rollout|rolled out)|(all|every) instances? at once/i,
  },
  {
    fault: "connection_pool_exhaustion",
    kinds: [DATABASE],
    logs: [
      root(r("^FATAL: sorry, too many clients already")),
      root(r("short of max_connections; remaining slots reserved")),
      root(r("^remaining connection slots are reserved for non-replication superuser")),
      caller(r("^could not acquire a connection to ({N}) within \\d+ ms")),
      caller(r("^query to ({N}) failed: too many clients already")),
    ],
    metrics: [{ metric: "connection_usage", direction: "high" }],
    kb: /too many clients|max_connections|connection slots|out of slots|ran out of connections|connections (are )?at the (configured )?maximum|session count pinned|every slot is in use|sessions are all in use|own cap was reached/i,
  },
  {
    fault: "memory_leak",
    kinds: [SERVICE, SEARCH],
    logs: [
      root(r("^heap after full GC still \\d+% above the previous cycle")),
      root(r("^GC overhead: \\d+% of the last minute")),
      root(r("OutOfMemoryError: Java heap space")),
      root(r("^container {N} OOMKilled \\(memory limit")),
      caller(r("^({N}) p99 latency \\d+ ms, above the 800 ms budget")),
      caller(r("^request to ({N}) failed: connection reset by peer \\(upstream instance restarted\\)")),
    ],
    metrics: [{ metric: "memory_usage", direction: "high" }],
    kb: /leak|garbage.collection|heap/i,
  },
  {
    fault: "certificate_expiry",
    kinds: [SERVICE, SEARCH, DATABASE],
    logs: [
      root(r("TLS handshake error from .*bad certificate")),
      root(r("^serving certificate .+ is outside its validity period")),
      root(r("TLS handshakes failed in the last minute")),
      caller(r("x509: certificate has expired .*\\(connecting to ({N})\\)")),
      caller(r("^tls: failed to verify certificate for ({N}): x509")),
    ],
    metrics: [],
    kb: /x509|certificate|tls handshake/i,
  },
  {
    fault: "dns_failure",
    kinds: [DNS],
    logs: [
      root(r("plugin/errors: 2 \\S+ A: read udp")),
      root(r("^SERVFAIL for \\d+% of queries")),
      root(r("plugin/forward: no healthy upstreams")),
      infra(r("^dial tcp: lookup \\S+ on [\\d.]+:53: (no such host|read udp: i/o timeout)")),
      infra(r("^name resolution for \\S+ failed; retrying with the cached address")),
    ],
    metrics: [],
    kb: /no such host|resolver|dns|name resolution/i,
  },
  {
    fault: "disk_full",
    kinds: [DATABASE, QUEUE],
    logs: [
      root(r("^data volume \\S+ \\d+% of free space left")),
      root(r("^could not write to file .+: No space left on device")),
      root(r("^ENOSPC: no space left on device, write")),
      caller(r("^write to ({N}) failed: could not extend file: No space left on device")),
      caller(r("^({N}) rejected a commit; retrying \\(attempt")),
    ],
    metrics: [{ metric: "disk_usage", direction: "high" }],
    kb: /no space left|disk|enospc|out-of-space|storage volume|(grow|expand|extend) the volume|a volume under|broker's storage/i,
  },
  {
    fault: "cache_stampede",
    kinds: [CACHE],
    logs: [
      root(r("^keyspace_misses up \\d+x in the last minute")),
      root(r("^hit ratio \\d+% over the last minute")),
      root(r("^client output buffers full for \\d+ clients waiting on misses")),
      caller(r("^cache miss on ({N}) for \\S+; loading from the database")),
      caller(r("after a cache miss on ({N}) timed out \\(database overloaded\\)")),
    ],
    metrics: [{ metric: "cache_hit_ratio", direction: "low" }],
    kb: /stampede|cold cache|warm the cache|(refill|repopulate|rebuild) the cache|hit (ratio|rate) (collapsed|dropped|fell|near zero)/i,
  },
  {
    fault: "retry_storm",
    kinds: [SERVICE],
    logs: [
      root(r("^call to {N} failed \\(503\\), retrying immediately")),
      root(r("^gave up on {N} after \\d+ attempts in \\d+ ms")),
      root(r("^outbound calls to {N}: \\d+x the inbound request rate")),
      caller(r("^upstream ({N}) returned 503 after retrying internally")),
      caller(r("^({N}) p99 latency \\d+ ms$")),
      callee(r("^request queue full \\(\\d+ waiting\\); answering 503")),
      callee(r("^request rate \\d+x normal, most of it from ({N})")),
    ],
    metrics: [{ metric: "cpu_usage", direction: "high" }],
    kb: /retry storm|traffic nobody sent|retr(ies|ying) (immediately|at once|in a loop|without)|re-?(issuing|sending|sends) failed|stuck re-sending|retry policy|tight loop/i,
  },
  {
    fault: "db_lock_contention",
    kinds: [DATABASE],
    logs: [
      root(r("still waiting for AccessExclusiveLock on relation")),
      root(r("^\\d+ sessions waiting for locks on ")),
      root(r("^canceling statement due to lock timeout")),
      caller(r("^query on ({N}) timed out after \\d+ ms: UPDATE")),
      caller(r("^connection pool for ({N}): all connections busy")),
    ],
    metrics: [{ metric: "lock_waits", direction: "high" }],
    kb: /lock.wait|blocking (session|transaction)|holds (a|an exclusive) lock|behind (a|the|one) lock|(blocked|wait|waiting) on a lock|waiting on locks|holding the lock/i,
  },
  {
    fault: "dependency_timeout",
    kinds: [SERVICE],
    logs: [
      root(r("^worker pool exhausted: all threads busy")),
      root(r("^request queue full; rejecting with 503")),
      root(r("^call to {N} still waiting after \\d+ s \\(timeout")),
      caller(r("^call to ({N}) timed out after \\d+ ms$")),
      caller(r("^({N}) p99 latency \\d+ s; requests queued behind it")),
    ],
    metrics: [{ metric: "connection_usage", direction: "high" }],
    kb: /thread|every hop|slow (vendor|provider|partner|external)|(provider|vendor) is (slow|degraded)|waiting on (that|the|a) (vendor|provider)|takes? (seconds|tens of seconds)|last many seconds|sluggish third-party|third.party that has slowed|no longer answers promptly/i,
  },
  {
    fault: "quota_throttling",
    kinds: [VENDOR],
    logs: [
      root(r("HTTP 429 Too Many Requests: rate limit of")),
      root(r("% of requests throttled in the last minute \\(Retry-After")),
      root(r("^quota usage for account \\S+ at \\d+% of plan")),
      caller(r("^({N}) returned 429 Too Many Requests")),
      caller(r("% of calls to ({N}) throttled in the last minute")),
    ],
    metrics: [],
    kb: /429|quota|rate.limit/i,
  },
  {
    fault: "network_partition",
    kinds: [NETWORK],
    logs: [
      root(r("^BGP session with \\S+ down: hold timer expired")),
      root(r("% packet loss on the \\S+ path")),
      root(r("CRC errors rising")),
      infra(r("^dial tcp {N}:443: i/o timeout")),
      infra(r("^read from {N}: connection reset by peer$")),
      infra(r("^no route to host {N} \\(attempt")),
    ],
    metrics: [],
    kb: /\bzones?\b|inter-zone|packet loss|network partition|partition between/i,
  },
  {
    fault: "queue_poison_pill",
    kinds: [QUEUE],
    logs: [
      root(r("^consumer group \\S+: partition \\S+ offset \\S+ not committed")),
      root(r("^consumer group \\S+ lag \\d+k messages and growing")),
      root(r("redelivered to \\S+ \\d+ times")),
      caller(r("published to ({N}) over 10 minutes ago still have no fulfilment status")),
      callee(r("^failed to process message at offset")),
      callee(r("failed again; not committing, will be redelivered")),
    ],
    metrics: [
      { metric: "consumer_lag", direction: "high" },
      { metric: "queue_depth", direction: "high" },
    ],
    kb: /dead.letter|poison|malformed message|bad record|\b(one|single) partition|same (message )?offset|same failing message|record that always fails/i,
  },
  {
    fault: "stale_credentials",
    kinds: [SERVICE],
    logs: [
      root(r("password authentication failed for user")),
      root(r("reconnect failed \\(authentication\\)")),
      root(r("authentication failures in the last minute")),
      caller(r("^({N}) answered 500 Internal Server Error \\(\\d+ in the last minute\\)")),
      caller(r("^error rate from ({N}) rising: \\d+% of requests failed")),
    ],
    metrics: [],
    kb: /authentication|secret|rotation|credential/i,
  },
  {
    fault: "process_crash",
    kinds: [SERVICE],
    logs: [
      root(r("; core dumped$")),
      root(r("^main process exited, code=dumped")),
      root(r("instances down; remaining instances at full capacity")),
      caller(r("^connect to ({N}):\\d+ failed: connection refused")),
      caller(r("^no healthy upstream for ({N}) \\(")),
    ],
    metrics: [],
    kb: /connection refused|refused connections|crashe(s|d) on start|has (usually )?crashed|not running|not listening|nothing is listening|process is down|will not stay up/i,
  },
  {
    fault: "cache_memory_full",
    kinds: [CACHE],
    logs: [
      root(r("^used_memory at \\d+% of maxmemory")),
      root(r("^OOM command not allowed when used memory")),
      root(r("write commands rejected in the last minute \\(used_memory")),
      caller(r("^SET \\S+ on ({N}) failed: OOM command not allowed")),
      caller(r("^cache write to ({N}) failed; request served without caching")),
    ],
    metrics: [{ metric: "memory_usage", direction: "high" }],
    kb: /OOM command|maxmemory|eviction|refus(ing|es|ed) writes|writes refused|out-of-memory (refusals|errors)|in-memory (key )?store/i,
  },
  {
    fault: "slow_query",
    kinds: [DATABASE],
    logs: [
      root(r("^duration: [\\d.]+ ms\\s+statement: SELECT")),
      root(r("^Seq Scan on \\S+ \\(rows removed by filter")),
      root(r("^canceling statement due to statement timeout")),
      caller(r("^query on ({N}) timed out after \\d+ ms: SELECT")),
      caller(r("^({N}) p99 \\d+ ms for the \\S+ lookup")),
    ],
    metrics: [{ metric: "cpu_usage", direction: "high" }],
    kb: /one statement|index|cpu-bound/i,
  },
];

export const SIGNALS_BY_FAULT: ReadonlyMap<FaultWord, FaultSignals> = new Map(SIGNALS.map((s) => [s.fault, s]));
