/**
 * What the heuristic agent knows about failure modes, as an experienced SRE would: which error
 * messages each one prints and who prints them, which metrics move, and which node kinds it
 * happens on. Written by hand from what the messages say (no ground truth of an episode is read):
 * "too many clients" is a database out of connection slots, "x509: certificate has expired" an
 * expired certificate, "No space left on device" a full disk.
 *
 * Different software prints the same failure in different words, so a pattern lists every wording
 * seen in training (public seeds) as alternatives. A pattern's role says whose problem a line shows:
 *   root     the service printing it is the one failing;
 *   caller   a service calling the failing one printed it; the capture group that took part in the
 *            match (the first one defined) names it;
 *   callee   a service the failing one calls printed it; the capture group, if any, names it;
 *   infra    a client of a shared infrastructure node (DNS, the network) printed it; the failing
 *            node is the system's node of that kind.
 */
import { FaultKind, ServiceKind } from "../../../gen/incident/v1/enums_pb.js";

/** A failure mode's word, e.g. "bad_deploy": the proto's FaultKind value names, lower case. */
export type FaultWord = Lowercase<Exclude<keyof typeof FaultKind, "UNSPECIFIED">>;

export type Role = "root" | "caller" | "callee" | "infra";

interface LogPattern {
  role: Role;
  re: RegExp;
}

/** A metric reading on the failing node that points at this failure mode. */
interface MetricCue {
  metric: string;
  /** "high": at or past the threshold; "low": at or under the threshold (floor metrics). */
  direction: "high" | "low";
}

interface FaultSignals {
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
/** One message in any of the ways it was seen printed: each source is one wording, {N} a service name. */
const r = (...sources: string[]): RegExp => new RegExp(sources.map((s) => `(?:${s.replace(/\{N\}/g, N)})`).join("|"));

export const SIGNALS: readonly FaultSignals[] = [
  {
    fault: "bad_deploy",
    kinds: [SERVICE, GATEWAY],
    logs: [
      root(
        r(
          "^unhandled \\S+ in .+ \\(build v[\\d.]+\\)",
          '^level=error msg="unhandled exception" error=".+" component=".+" build=v[\\d.]+',
          "^Uncaught .+ while running .+; release v[\\d.]+",
        ),
      ),
      root(r("^\\S+ /\\S* -> 500 Internal Server Error: ", "^method=\\S+ path=\\S+ status=500 error=", '^"\\S+ /\\S* HTTP/1\\.1" 500 - ')),
      root(
        r(
          "requests failed in .+ during the last minute; none before v[\\d.]+ started",
          '^error_count=\\d+ window=60s component=".+" first_seen_build=v[\\d.]+',
          "^\\d+ failures/min in .+ since v[\\d.]+ went live",
        ),
      ),
      caller(
        r(
          "^({N}) answered 500 Internal Server Error for ",
          "^upstream_status=500 upstream=({N}) path=",
          "^HTTP 500 from ({N}) on \\S+ x\\d+",
        ),
      ),
      caller(
        r(
          "^error rate from upstream ({N}) above 30%; passing failures through",
          "^upstream=({N}) error_ratio>0\\.30 action=propagate",
          "^({N}) failing more than 30% of calls; errors are being returned to clients",
        ),
      ),
    ],
    metrics: [{ metric: "error_rate", direction: "high" }],
    kb: /new build|fresh build|regression|new exception|stack trace|deployed just before/i,
  },
  {
    fault: "config_push",
    kinds: [SERVICE, GATEWAY],
    logs: [
      root(
        r(
          "^config reloaded: .+\\(applied to all instances\\)",
          '^level=warn msg="dynamic config applied" change=',
          "^Applied new runtime configuration to every instance: ",
        ),
      ),
      root(
        r(
          "^request handler timed out after \\d+ ms; worker CPU at 100%",
          "^handler_timeout_ms=\\d+ worker_cpu=100% queued=\\d+",
          "^Request exceeded the \\d+ s handler deadline; workers pegged at 100% CPU",
        ),
      ),
      root(
        r(
          "^503 Service Unavailable: request queue full, shedding",
          "^load_shed=true reason=queue_full status=503",
          "^Shedding load with 503: request queue is full",
        ),
      ),
      caller(
        r(
          "^upstream ({N}) returned 503 Service Unavailable \\(",
          "^upstream=({N}) status=503 count_1m=\\d+$",
          "^({N}) is shedding requests: \\d+ x 503",
        ),
      ),
      caller(
        r(
          "^call to ({N}) timed out after \\d+ ms$",
          "^upstream=({N}) error=timeout elapsed_ms=\\d+$",
          "^Timeout calling ({N}) \\(\\d+ ms\\)$",
        ),
      ),
    ],
    metrics: [{ metric: "cpu_usage", direction: "high" }],
    kb: /config(uration)? push|flag change|settings (moved|rollout|rolled out)|(all|every) instances? at once/i,
  },
  {
    fault: "connection_pool_exhaustion",
    kinds: [DATABASE],
    logs: [
      root(
        r(
          "^FATAL: sorry, too many clients already",
          "^FATAL:\\s+53300: sorry, too many clients already",
          "^ERROR 1040 \\(08004\\): Too many connections",
        ),
      ),
      root(
        r(
          "short of max_connections; remaining slots reserved",
          "^backends within \\d+ of max_connections; only superuser_reserved_connections",
          "^WARNING: only \\d+ connection slots left before max_connections",
        ),
      ),
      root(
        r(
          "^remaining connection slots are reserved for non-replication superuser",
          "^FATAL:\\s+remaining connection slots are reserved for roles with the SUPERUSER",
          "^connection authorized=false reason=reserved_slots_only",
        ),
      ),
      caller(
        r(
          "^could not acquire a connection to ({N}) within \\d+ ms",
          "^HikariPool-\\d+ - Connection is not available, request timed out after \\d+ms \\(({N}), \\d+ waiting\\)",
          "^pool=({N}) acquire_timeout_ms=\\d+ waiters=\\d+",
        ),
      ),
      caller(
        r(
          "^query to ({N}) failed: too many clients already",
          "^pq: sorry, too many clients already \\(host=({N})\\)",
          '^db=({N}) op=query error="too many clients already"',
        ),
      ),
    ],
    metrics: [{ metric: "connection_usage", direction: "high" }],
    kb: /too many clients|max_connections|connection slots|out of slots|ran out of connections|connections (are )?at the (configured )?maximum|session count pinned|every slot is in use|sessions are all in use|own cap was reached/i,
  },
  {
    fault: "memory_leak",
    kinds: [SERVICE, SEARCH],
    logs: [
      root(
        r(
          "^heap after full GC still \\d+% above the previous cycle",
          "^\\[gc\\] old gen after full collection \\+\\d+% vs previous",
          "^heap_after_gc_growth_pct=\\d+ retained_by=",
        ),
      ),
      root(r("^GC overhead: \\d+% of the last minute", "^\\[gc\\] pause time \\d+% of wall clock", "^gc_time_ratio=\\d+% window=1m")),
      root(r("OutOfMemoryError: Java heap space", "JavaScript heap out of memory")),
      root(
        r(
          "^container {N} OOMKilled \\(memory limit",
          "^Memory cgroup out of memory: killed process in container {N}",
          "^reason=OOMKilled container={N} limit=",
        ),
      ),
      caller(
        r(
          "^({N}) p99 latency \\d+ ms, above the 800 ms budget",
          "^upstream=({N}) p99_ms=\\d+ budget_ms=800",
          "^Slow upstream ({N}): p99 \\d+ ms \\(budget 800 ms\\)",
        ),
      ),
      caller(
        r(
          "^request to ({N}) failed: connection reset by peer \\(upstream instance restarted\\)",
          '^upstream=({N}) error=ECONNRESET note="instance restarted"',
          "^read ECONNRESET from ({N}) \\(pod restarted mid-request\\)",
        ),
      ),
    ],
    metrics: [{ metric: "memory_usage", direction: "high" }],
    kb: /leak|garbage.collection|heap/i,
  },
  {
    fault: "certificate_expiry",
    kinds: [SERVICE, SEARCH, DATABASE],
    logs: [
      root(
        r(
          "TLS handshake error from .*bad certificate",
          "SSL_do_handshake\\(\\) failed .*bad certificate",
          "^tls handshake failed peer=\\S+ alert=bad_certificate",
        ),
      ),
      root(
        r(
          "^serving certificate .+ is outside its validity period",
          "^cert=\\S+ status=expired not_after=",
          "^WARNING: certificate \\S+ expired at ",
        ),
      ),
      root(
        r(
          "TLS handshakes failed in the last minute",
          "^tls_handshake_failures_1m=\\d+ resumed_sessions=\\d+",
          "^TLS: \\d+ handshake failures/min",
        ),
      ),
      caller(
        r(
          "x509: certificate has expired .*\\(connecting to ({N})\\)",
          "CertificateExpiredException: NotAfter: .+ \\(({N})\\)$",
          "certificate verify failed: certificate has expired \\(host ({N}), notAfter",
        ),
      ),
      caller(
        r(
          "^tls: failed to verify certificate for ({N}): x509",
          "^curl: \\(60\\) SSL certificate problem: certificate has expired \\(({N})\\)",
          "^upstream=({N}) tls_verify=failed reason=cert_expired",
        ),
      ),
    ],
    metrics: [],
    kb: /x509|certificate|tls handshake/i,
  },
  {
    fault: "dns_failure",
    kinds: [DNS],
    logs: [
      root(r("plugin/errors: 2 \\S+ (?:A|AAAA): read udp", "^query=\\S+ type=A upstream=[\\d.:]+ client=[\\d.]+ error=timeout")),
      root(
        r(
          "^SERVFAIL for \\d+% of queries",
          "^rcode=SERVFAIL share=\\d+% zone=",
          '^coredns_dns_responses_total\\{rcode="SERVFAIL"\\} at \\d+% of responses',
        ),
      ),
      root(
        r(
          "plugin/forward: no healthy upstreams",
          "plugin/health: all upstreams for \\S+ marked down",
          "^forward zone=\\S+ healthy_upstreams=0",
        ),
      ),
      infra(
        r(
          "^dial tcp: lookup \\S+ on [\\d.]+:53: (no such host|read udp: i/o timeout)",
          "^getaddrinfo (?:ENOTFOUND|EAI_AGAIN) \\S+",
          "^java\\.net\\.UnknownHostException: \\S+: Name or service not known",
          '^lookup_host=\\S+ resolver=[\\d.:]+ error="i/o timeout"',
        ),
      ),
      infra(
        r(
          "^name resolution for \\S+ failed; retrying with the cached address",
          "^dns_refresh_failed host=\\S+ using_cached=true",
          "^Resolving \\S+ failed, falling back to the stale cached IP",
        ),
      ),
    ],
    metrics: [],
    kb: /no such host|resolver|dns|name resolution/i,
  },
  {
    fault: "disk_full",
    kinds: [DATABASE, QUEUE],
    logs: [
      root(r("^data volume \\S+ \\d+% of free space left", "^WARNING: filesystem \\S+ has only \\d+% free", "^disk_free_pct=\\d+ mount=")),
      root(
        r(
          "^could not write to file .+: No space left on device",
          "^write\\(.+\\) failed: errno 28 \\(No space left on device\\)",
          "^IOError writing .+: \\[Errno 28\\] No space left on device",
        ),
      ),
      root(
        r(
          "^ENOSPC: no space left on device, write",
          "^fs\\.write failed code=ENOSPC mount=",
          "^XFS \\(\\S+\\): ENOSPC reserving blocks on ",
        ),
      ),
      caller(
        r(
          "^write to ({N}) failed: could not extend file: No space left on device",
          '^db=({N}) sqlstate=53100 error="could not extend file"',
          "^INSERT on ({N}) failed: PSQLException: could not extend file",
        ),
      ),
      caller(
        r(
          "^({N}) rejected a commit; retrying \\(attempt",
          "^commit to ({N}) failed, retry \\d+",
          "^db=({N}) op=commit result=rejected attempt=\\d+",
        ),
      ),
    ],
    metrics: [{ metric: "disk_usage", direction: "high" }],
    kb: /no space left|disk|enospc|out-of-space|storage volume|(grow|expand|extend) the volume|a volume under|broker's storage/i,
  },
  {
    fault: "cache_stampede",
    kinds: [CACHE],
    logs: [
      root(
        r(
          "^keyspace_misses up \\d+x in the last minute",
          "^# Keyspace db0:keys=\\d+ \\(was [\\d.]+M\\); keyspace_misses x\\d+",
          "^misses_growth=\\d+x keys=\\d+ previous_keys=",
        ),
      ),
      root(r("^hit ratio \\d+% over the last minute", "^keyspace_hit_ratio=\\d+% window=1m", "^Cache hit rate: \\d+% \\(last 60 s\\)")),
      root(
        r(
          "^client output buffers full for \\d+ clients waiting on misses",
          "^output buffer limit reached for \\d+ clients blocked on cache misses",
          "^clients_closed=\\d+ reason=output_buffer_limit cause=miss_backlog",
        ),
      ),
      caller(
        r(
          "^cache miss on ({N}) for \\S+; loading from the database",
          "^cache=miss host=({N}) key=\\S+ fallback=db",
          "^MISS ({N}) \\S+ -> reading through to the database",
        ),
      ),
      caller(
        r(
          "after a cache miss on ({N}) timed out \\(database overloaded\\)",
          "^cache_fill_timeout prefix=\\S+ cache=({N}) cause=db_overload",
          "^Read-through for \\S+ \\(missed on ({N})\\) timed out: database overloaded",
        ),
      ),
    ],
    metrics: [{ metric: "cache_hit_ratio", direction: "low" }],
    kb: /stampede|cold cache|warm the cache|(refill|repopulate|rebuild) the cache|hit (ratio|rate) (collapsed|dropped|fell|near zero)/i,
  },
  {
    fault: "retry_storm",
    kinds: [SERVICE],
    logs: [
      root(
        r(
          "^call to {N} failed \\(503\\), retrying immediately",
          "^retry attempt=\\d+ max=\\w+ upstream={N} status=503 backoff=0ms",
          "^Retrying {N} right away after 503",
        ),
      ),
      root(
        r(
          "^gave up on {N} after \\d+ attempts in \\d+ ms",
          "^retries_exhausted upstream={N} attempts=\\w+ elapsed_ms=\\d+",
          "^RetryError: {N} still failing after \\w+ attempts",
        ),
      ),
      root(
        r(
          "^outbound calls to {N}: \\d+x the inbound request rate",
          "^fanout_ratio=\\d+ upstream={N}",
          "^Sending \\d+x more requests to {N} than we receive",
        ),
      ),
      caller(
        r(
          "^upstream ({N}) returned 503 after retrying internally",
          "^upstream=({N}) status=503 retried_upstream=true",
          "^({N}): 503 after its own retries",
        ),
      ),
      caller(r("^({N}) p99 latency \\d+ ms$", "^upstream=({N}) p99_ms=\\d+$", "^p99 of ({N}): \\d+ ms$")),
      callee(
        r(
          "^request queue full \\(\\d+ waiting\\); answering 503",
          "^queue_full waiting=\\d+ status=503",
          "^Rejecting with 503: \\d+ requests queued",
        ),
      ),
      callee(
        r(
          "^request rate \\d+x normal, most of it from ({N})",
          "^inbound_rps_factor=\\d+ top_client=({N})",
          "^Traffic at \\d+x baseline, mostly from ({N})",
        ),
      ),
    ],
    metrics: [{ metric: "cpu_usage", direction: "high" }],
    kb: /retry storm|traffic nobody sent|retr(ies|ying) (immediately|at once|in a loop|without)|re-?(issuing|sending|sends) failed|stuck re-sending|retry policy|tight loop/i,
  },
  {
    fault: "db_lock_contention",
    kinds: [DATABASE],
    logs: [
      root(
        r(
          "still waiting for AccessExclusiveLock on relation",
          "^lock_wait pid=\\d+ mode=AccessExclusiveLock relation=",
          "^pid \\d+ blocked: AccessExclusiveLock requested on ",
        ),
      ),
      root(
        r(
          "^\\d+ sessions waiting for locks on ",
          "^lock_waiters=\\d+ relation=\\S+ oldest_wait_s=\\d+",
          "^Lock queue on \\S+: \\d+ sessions blocked",
        ),
      ),
      root(
        r(
          "^canceling statement due to lock timeout",
          "^ERROR:\\s+55P03: canceling statement due to lock timeout",
          "^Lock wait timeout exceeded; try restarting transaction",
        ),
      ),
      caller(
        r(
          "^query on ({N}) timed out after \\d+ ms: UPDATE",
          "^db=({N}) op=UPDATE table=\\S+ error=timeout",
          "^QueryTimeoutException: UPDATE \\S+ on ({N}) exceeded \\d+ ms",
        ),
      ),
      caller(
        r(
          "^connection pool for ({N}): all connections busy",
          "^pool=({N}) active=max idle=0 waiting=\\d+",
          "^HikariPool\\(({N})\\) - Pool stats \\(active=all, idle=0, waiting=\\d+\\)",
        ),
      ),
    ],
    metrics: [{ metric: "lock_waits", direction: "high" }],
    kb: /lock.wait|blocking (session|transaction)|holds (a|an exclusive) lock|behind (a|the|one) lock|(blocked|wait|waiting) on a lock|waiting on locks|holding the lock/i,
  },
  {
    fault: "dependency_timeout",
    kinds: [SERVICE],
    logs: [
      root(
        r(
          "^worker pool exhausted: all threads busy",
          "^thread_pool active=max idle=0 blocked_on=",
          "^All request threads in use; \\d+ blocked on calls to ",
        ),
      ),
      root(
        r(
          "^request queue full; rejecting with 503",
          "^accept_queue=full status=503 queued=\\d+",
          "^RejectedExecutionException: queue capacity reached \\(\\d+ queued\\), returning 503",
        ),
      ),
      root(
        r(
          "^call to {N} still waiting after \\d+ s \\(timeout",
          "^slow_call upstream={N} elapsed_s=\\d+ timeout=",
          "^Still waiting on {N}: \\d+s elapsed, timeout ",
        ),
      ),
      caller(
        r(
          "^call to ({N}) timed out after \\d+ ms$",
          "^upstream=({N}) error=timeout elapsed_ms=\\d+$",
          "^Timeout calling ({N}) \\(\\d+ ms\\)$",
        ),
      ),
      caller(
        r(
          "^({N}) p99 latency \\d+ s; requests queued behind it",
          "^upstream=({N}) p99_s=\\d+ queueing=true",
          "^({N}) p99 at \\d+s, requests piling up behind it",
        ),
      ),
    ],
    metrics: [{ metric: "connection_usage", direction: "high" }],
    kb: /thread|every hop|slow (vendor|provider|partner|external)|(provider|vendor) is (slow|degraded)|waiting on (that|the|a) (vendor|provider)|takes? (seconds|tens of seconds)|last many seconds|sluggish third-party|third.party that has slowed|no longer answers promptly/i,
  },
  {
    fault: "quota_throttling",
    kinds: [VENDOR],
    logs: [
      root(
        r(
          "HTTP 429 Too Many Requests: rate limit of",
          "^status=429 account=\\S+ limit_rps=\\d+ error=rate_limit_exceeded",
          '"type":"rate_limit_error","message":"Rate limit of \\d+ req/s exceeded"',
        ),
      ),
      root(
        r(
          "% of requests throttled in the last minute \\(Retry-After",
          "^throttled_pct=\\d+ account=\\S+ retry_after=1s",
          "^\\S+: \\d+% throttled over 60 s, Retry-After 1",
        ),
      ),
      root(
        r(
          "^quota usage for account \\S+ at \\d+% of plan",
          "^quota_used_pct=\\d+ account=\\S+ plan=",
          "^Usage for \\S+: \\d+% of plan quota",
        ),
      ),
      caller(
        r(
          "^({N}) returned 429 Too Many Requests",
          "^upstream=({N}) status=429 account=\\S+ action=retry",
          "^RateLimitError from ({N}): quota exceeded for ",
        ),
      ),
      caller(
        r(
          "% of calls to ({N}) throttled in the last minute",
          "^upstream=({N}) throttled_pct=\\d+ window=1m",
          "^({N}) throttling: \\d+% of calls in 60 s",
        ),
      ),
    ],
    metrics: [],
    kb: /429|quota|rate.limit/i,
  },
  {
    fault: "network_partition",
    kinds: [NETWORK],
    logs: [
      root(
        r(
          "^BGP session with \\S+ down: hold timer expired",
          "^%BGP-5-ADJCHANGE: neighbor .+ Down BGP Notification sent: hold time expired",
          '^bgp neighbor=.+ state=Idle reason="Hold Timer Expired"',
        ),
      ),
      root(
        r(
          "% packet loss on the \\S+ path",
          '^probe path=\\S+->\\S+ link=".+" loss_pct=\\d+',
          " dropping \\d+% of packets between \\S+ and \\S+$",
        ),
      ),
      root(r("CRC errors rising", "^%LINK-3-ERROR: \\S+ input CRC errors \\d+k/min", "^ifname=\\S+ crc_errors_1m=\\d+k")),
      infra(r("^dial tcp {N}:443: i/o timeout", "^connect ETIMEDOUT {N}:443", "^upstream={N}:443 error=connect_timeout")),
      infra(
        r(
          "^read from {N}: connection reset by peer$",
          "^recv\\(\\) failed \\(104: Connection reset by peer\\) while reading response header from upstream {N}$",
          "^upstream={N} error=ECONNRESET phase=read$",
        ),
      ),
      infra(
        r("^no route to host {N} \\(attempt", "^connect EHOSTUNREACH {N} \\(attempt \\d+\\)", "^upstream={N} error=no_route attempt=\\d+"),
      ),
    ],
    metrics: [],
    kb: /\bzones?\b|inter-zone|packet loss|network partition|partition between/i,
  },
  {
    fault: "queue_poison_pill",
    kinds: [QUEUE],
    logs: [
      root(
        r(
          "^consumer group \\S+: partition \\S+ offset \\S+ not committed",
          "^group=\\S+ partition=\\S+ committed_offset=\\S+ stuck_minutes=\\d+",
          "^\\[GroupCoordinator\\] \\S+: commit stalled at offset \\S+ for \\d+m",
        ),
      ),
      root(
        r(
          "^consumer group \\S+ lag \\d+k messages and growing",
          "^group=\\S+ lag=\\d+k trend=up",
          "^Consumer lag for \\S+: \\d+k \\(increasing\\)",
        ),
      ),
      root(
        r(
          "redelivered to \\S+ \\d+ times",
          "^redelivery_count=\\d+ offset=\\S+ partition=\\S+ group=",
          "^Message \\S+ delivered \\d+ times to \\S+ without ack",
        ),
      ),
      caller(
        r(
          "published to ({N}) over 10 minutes ago still have no fulfilment status",
          "^unfulfilled_orders=\\d+ topic_host=({N}) age>10m",
          "^\\d+ orders sent to ({N}) more than 10 min ago are still unprocessed",
        ),
      ),
      callee(
        r("^failed to process message at offset", "^consume error offset=\\S+ partition=\\S+ err=", "^Error handling record \\d+@\\d+: "),
      ),
      callee(
        r(
          "failed again; not committing, will be redelivered",
          "^nack offset=\\S+ commit=false attempt=\\d+",
          "failed \\(attempt \\d+\\); leaving it uncommitted for redelivery",
        ),
      ),
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
      root(
        r(
          "password authentication failed for user",
          '^db=\\S+ sqlstate=28P01 user=\\S+ error="password authentication failed"',
          "^Access denied for user '.+' to \\S+ \\(using password: YES\\)",
        ),
      ),
      root(
        r(
          "reconnect failed \\(authentication\\)",
          "^pool=\\S+ retired_max_lifetime=\\d+ reconnect=auth_failed",
          "connections retired \\(maxLifetime\\); new connection rejected: authentication failed",
        ),
      ),
      root(
        r(
          "authentication failures in the last minute",
          "^db=\\S+ usable_connections=0 auth_failures_1m=\\d+",
          "^Request failed: no connection to \\S+ \\(\\d+ auth failures/min\\)",
        ),
      ),
      caller(
        r(
          "^({N}) answered 500 Internal Server Error \\(\\d+ in the last minute\\)",
          "^upstream=({N}) status=500 count_1m=\\d+$",
          "^HTTP 500 from ({N}) x\\d+ in the last minute$",
        ),
      ),
      caller(
        r(
          "^error rate from ({N}) rising: \\d+% of requests failed",
          "^upstream=({N}) error_pct=\\d+ trend=up",
          "^Error rate from ({N}) at \\d+% and climbing",
        ),
      ),
    ],
    metrics: [],
    kb: /authentication|secret|rotation|credential/i,
  },
  {
    fault: "process_crash",
    kinds: [SERVICE],
    logs: [
      root(
        r(
          "; core dumped$",
          "^Fatal signal .+ raised in .+ \\(core dumped\\)$",
          "^systemd-coredump: process terminated by .+; core file written$",
        ),
      ),
      root(r("^main process exited, code=dumped", "^Main process exited, code=dumped, status=", "^exit_reason=dumped restart=false")),
      root(
        r(
          "instances down; remaining instances at full capacity",
          "^instances_down=\\d+ remaining_utilisation=100%",
          "^\\d+ replicas unavailable; survivors at full capacity",
        ),
      ),
      caller(
        r(
          "^connect to ({N}):\\d+ failed: connection refused",
          "^connect ECONNREFUSED ({N}):\\d+",
          "^java\\.net\\.ConnectException: Connection refused \\(({N}):\\d+\\)",
        ),
      ),
      caller(
        r(
          "^no healthy upstream for ({N}) \\(",
          "reset reason: connection failure \\(({N}), \\d+ hosts ejected\\)",
          "^cluster=({N}) healthy_endpoints=0 unreachable=\\d+",
        ),
      ),
    ],
    metrics: [],
    kb: /connection refused|refused connections|crashe(s|d) on start|has (usually )?crashed|not running|not listening|nothing is listening|process is down|will not stay up/i,
  },
  {
    fault: "cache_memory_full",
    kinds: [CACHE],
    logs: [
      root(
        r(
          "^used_memory at \\d+% of maxmemory",
          "^# Memory used_memory_pct=\\d+ maxmemory=\\S+ maxmemory_policy=noeviction",
          "^Memory at \\d+% of maxmemory \\(\\S+\\), noeviction policy",
        ),
      ),
      root(
        r(
          "^OOM command not allowed when used memory",
          "^ERR OOM command not allowed when used memory",
          "^write rejected err=OOM used_memory>maxmemory",
        ),
      ),
      root(
        r(
          "write commands rejected in the last minute \\(used_memory",
          "^rejected_writes_1m=\\d+k used_memory=",
          "^\\d+k writes refused over 60 s, memory at ",
        ),
      ),
      caller(
        r(
          "^SET \\S+ on ({N}) failed: OOM command not allowed",
          "OOM command not allowed when used memory > 'maxmemory' \\(SET \\S+ on ({N})\\)$",
          "^cache=({N}) op=SET key=\\S+ err=OOM",
        ),
      ),
      caller(
        r(
          "^cache write to ({N}) failed; request served without caching",
          "^cache=({N}) op=write result=failed fallback=uncached",
          "^Cache write to ({N}) failed, continuing uncached",
        ),
      ),
    ],
    metrics: [{ metric: "memory_usage", direction: "high" }],
    kb: /OOM command|maxmemory|eviction|refus(ing|es|ed) writes|writes refused|out-of-memory (refusals|errors)|in-memory (key )?store/i,
  },
  {
    fault: "slow_query",
    kinds: [DATABASE],
    logs: [
      root(
        r(
          "^duration: [\\d.]+ ms\\s+statement: SELECT",
          "^# Query_time: [\\d.]+\\s+Rows_examined: \\d+\\s+SELECT",
          "^slow_query duration_ms=\\d+ table=\\S+ filter=",
        ),
      ),
      root(
        r(
          "^Seq Scan on \\S+ \\(rows removed by filter",
          "^auto_explain: Seq Scan on \\S+ Filter: .+ Rows Removed by Filter: \\d+",
          "^plan=SeqScan table=\\S+ filter_col=\\S+ rows_removed=\\d+",
        ),
      ),
      root(
        r(
          "^canceling statement due to statement timeout",
          "^ERROR:\\s+57014: canceling statement due to statement timeout",
          "^Query execution was interrupted, maximum statement execution time exceeded",
        ),
      ),
      caller(
        r(
          "^query on ({N}) timed out after \\d+ ms: SELECT",
          "^db=({N}) op=SELECT table=\\S+ where=\\S+ error=timeout",
          "^QueryTimeoutException: SELECT .+ on ({N}) exceeded \\d+ ms",
        ),
      ),
      caller(r("^({N}) p99 \\d+ ms for the \\S+ lookup", "^db=({N}) query=\\S+_lookup p99_ms=\\d+", "^\\S+ lookups on ({N}): p99 \\d+ ms")),
    ],
    metrics: [{ metric: "cpu_usage", direction: "high" }],
    kb: /one statement|index|cpu-bound/i,
  },
  {
    // The provider's own outage: its answers are fast 503s and resets, its status page says so.
    fault: "third_party_outage",
    kinds: [VENDOR],
    logs: [
      root(
        r(
          "^HTTP 503 Service Unavailable from {N}: the provider reports a service disruption",
          "^status=503 upstream={N} provider_incident=",
          '"status":503,"provider":"[\\w.-]+","error":"Service Unavailable"',
        ),
      ),
      root(
        r(
          "^upstream connect error or disconnect/reset before headers while calling {N}",
          "^reset reason: connection termination, upstream={N}",
          "^{N}: connection reset by peer before response headers",
        ),
      ),
      root(r("^{N} status: ", "^status page of {N}: ", "^provider_status={N} state=")),
      caller(
        r(
          "^({N}) returned 503 Service Unavailable for \\d+ of the last 100 calls",
          "^calls to ({N}): \\d+/100 failed with 503",
          "^dependency=({N}) status=503 failed_last_100=",
        ),
      ),
      caller(
        r(
          "^circuit breaker for ({N}) opened after repeated 503",
          "^breaker ({N}) state=OPEN reason=consecutive_503",
          "^circuit to ({N}) is now open \\(too many 503s\\)",
        ),
      ),
    ],
    metrics: [],
    kb: /provider is down|their outage|provider's outage|secondary provider/i,
  },
  {
    // Nothing is broken: the page's own threshold sits below the metric's usual level.
    fault: "false_alarm",
    kinds: [SERVICE, GATEWAY],
    logs: [],
    metrics: [],
    kb: /false alarm|alerting rules|the rule is at fault/i,
  },
];

export const SIGNALS_BY_FAULT: ReadonlyMap<FaultWord, FaultSignals> = new Map(SIGNALS.map((s) => [s.fault, s]));
