/**
 * Log lines that belong to no failure mode: routine chatter of healthy nodes, the dependency
 * errors any failing node prints about its worst callee, the entry point's failed user requests,
 * and a noisy neighbour's complaint. Each has public and held-out paraphrases (see Paraphrases in
 * src/sim/vocabulary.ts), like the fault library's own lines.
 *
 * Placeholders besides {n}: {callee} and {timeout} (the failing edge), {method}, {path} and
 * {status} (a failed user request), {metric} and {minutes} (a noisy neighbour).
 */
import type { PhrasedText } from "./vocabulary.js";
import type { NodeKind } from "./model.js";

/** Routine lines by node kind. */
export const ROUTINE: Readonly<Record<NodeKind, readonly PhrasedText[]>> = {
  gateway: [
    {
      message: "health check passed for {n} upstream targets",
      paraphrases: {
        public: ["healthcheck ok targets={n}", "Health checks OK on {n} upstream targets"],
        held_out: ['{"healthcheck":"pass","targets":{n}}', "all {n} backends answered their probe"],
      },
    },
    {
      message: "reloaded TLS session cache ({n} entries)",
      paraphrases: {
        public: ["tls_session_cache reloaded entries={n}", "TLS session cache refreshed: {n} entries"],
        held_out: ['{"tls_session_cache":{"reloaded":true,"size":{n}}}', "session ticket store reloaded with {n} items"],
      },
    },
    {
      message: "rate limiter buckets rebalanced",
      paraphrases: {
        public: ["ratelimit buckets rebalanced", "Rate-limit buckets redistributed across nodes"],
        held_out: ['{"ratelimiter":"rebalance","ok":true}', "token buckets redistributed"],
      },
    },
  ],
  service: [
    {
      message: "handled {n}k requests in the last minute",
      paraphrases: {
        public: ["requests_1m={n}k", "Processed {n}k requests in 60 s"],
        held_out: ['{"throughput_1m":"{n}k"}', "{n}k requests served over the past minute"],
      },
    },
    {
      message: "GC pause {n} ms (young generation)",
      paraphrases: {
        public: ["[gc] young pause {n}ms", "GC (Allocation Failure) young collection {n} ms"],
        held_out: ['{"gc":"minor","pause_ms":{n}}', "minor collection stopped the world for {n} ms"],
      },
    },
    {
      message: "feature flags refreshed ({n} flags)",
      paraphrases: {
        public: ["flags refreshed count={n}", "Feature flags synced: {n}"],
        held_out: ['{"featureflags":{"synced":{n}}}', "pulled {n} flag definitions"],
      },
    },
  ],
  database: [
    {
      message: "checkpoint complete: wrote {n} buffers",
      paraphrases: {
        public: ["LOG:  checkpoint complete: wrote {n} buffers (0.1%)", "checkpoint buffers_written={n}"],
        held_out: ['{"checkpoint":"done","buffers":{n}}', "flushed {n} dirty pages at checkpoint"],
      },
    },
    {
      message: "autovacuum finished on a table with {n}k dead rows",
      paraphrases: {
        public: ["automatic vacuum done: {n}k dead tuples removed", "autovacuum dead_rows={n}k status=done"],
        held_out: ['{"vacuum":"auto","dead_tuples":"{n}k","state":"finished"}', "background cleanup reclaimed {n}k obsolete row versions"],
      },
    },
    {
      message: "replication lag {n} ms",
      paraphrases: {
        public: ["replica_lag_ms={n}", "Replication delay: {n} ms"],
        held_out: ['{"replica_delay_ms":{n}}', "standby is {n} ms behind the primary"],
      },
    },
  ],
  cache: [
    {
      message: "background save finished in {n} ms",
      paraphrases: {
        public: ["Background saving terminated with success ({n} ms)", "bgsave ok duration_ms={n}"],
        held_out: ['{"snapshot":"ok","ms":{n}}', "RDB snapshot written in {n} ms"],
      },
    },
    {
      message: "expired {n}k keys in the last minute",
      paraphrases: {
        public: ["expired_keys_1m={n}k", "{n}k keys expired over 60 s"],
        held_out: ['{"ttl_expired":"{n}k","window":"60s"}', "TTL reaper removed {n}k keys in the past minute"],
      },
    },
  ],
  queue: [
    {
      message: "partition leader election completed in {n} ms",
      paraphrases: {
        public: ["[Controller] leader election done in {n} ms", "leader_election duration_ms={n}"],
        held_out: ['{"election":"complete","ms":{n}}', "new partition leader chosen after {n} ms"],
      },
    },
    {
      message: "log segment rolled for partition {n}",
      paraphrases: {
        public: ["[Log partition={n}] Rolled new log segment", "segment_roll partition={n}"],
        held_out: ['{"segment":"rolled","partition":{n}}', "started a fresh segment file on partition {n}"],
      },
    },
  ],
  search: [
    {
      message: "merged {n} index segments",
      paraphrases: {
        public: ["merge done segments={n}", "[merge] {n} segments merged"],
        held_out: ['{"merge":{"segments":{n}}}', "combined {n} index segments into one"],
      },
    },
    {
      message: "refresh completed in {n} ms",
      paraphrases: {
        public: ["refresh took {n}ms", "index_refresh duration_ms={n}"],
        held_out: ['{"refresh_ms":{n}}', "searchers reopened after {n} ms"],
      },
    },
  ],
  vendor: [],
  network: [
    {
      message: "link utilisation {n}% on the inter-zone fabric",
      paraphrases: {
        public: ["fabric=inter-zone utilisation_pct={n}", "Inter-zone fabric at {n}% utilisation"],
        held_out: ['{"fabric":"cross-az","util_pct":{n}}', "cross-zone links carrying {n} percent of capacity"],
      },
    },
  ],
  dns: [
    {
      message: "{n}k queries served in the last minute",
      paraphrases: {
        public: ["queries_1m={n}k", "Served {n}k DNS queries in 60 s"],
        held_out: ['{"dns_queries":"{n}k","window":"1m"}', "answered {n}k lookups over the past minute"],
      },
    },
    {
      message: "upstream resolvers healthy ({n} ms median)",
      paraphrases: {
        public: ["upstreams=healthy median_ms={n}", "Upstream resolvers OK, median {n} ms"],
        held_out: ['{"upstreams":"ok","p50_ms":{n}}', "forwarders responding normally, typical reply in {n} ms"],
      },
    },
  ],
  config: [
    {
      message: "config sync finished: {n} services up to date",
      paraphrases: {
        public: ["sync complete services_current={n}", "Config sync done, {n} services current"],
        held_out: ['{"sync":"finished","in_sync":{n}}', "{n} services now carry the latest configuration"],
      },
    },
  ],
};

/** Dependency errors any failing node may print about its worst callee. */
export const CASCADE: readonly PhrasedText[] = [
  {
    message: "call to {callee} failed after {timeout} ms: deadline exceeded",
    paraphrases: {
      public: [
        "rpc error: code = DeadlineExceeded desc = {callee} after {timeout}ms",
        "upstream={callee} error=deadline_exceeded elapsed_ms={timeout}",
      ],
      held_out: [
        '{"callee":"{callee}","status":"DEADLINE_EXCEEDED","budget_ms":{timeout}}',
        "{callee} ran past the {timeout} ms deadline, call dropped",
      ],
    },
  },
  {
    message: "upstream {callee} returned 503 ({n} failures in the last minute)",
    paraphrases: {
      public: ["upstream={callee} status=503 failures_1m={n}", "{callee}: 503 Service Unavailable, {n} failures/min"],
      held_out: ['{"upstream":"{callee}","code":503,"fails_1m":{n}}', "{callee} keeps replying 503 ({n} failed calls in 60 s)"],
    },
  },
  {
    message: "circuit breaker for {callee} is open",
    paraphrases: {
      public: ["CircuitBreaker '{callee}' changed state from CLOSED to OPEN", "breaker={callee} state=open"],
      held_out: ['{"breaker":"{callee}","state":"OPEN"}', "calls to {callee} short-circuited: breaker tripped"],
    },
  },
  {
    message: "retrying request to {callee} after a failed attempt",
    paraphrases: {
      public: ["retry upstream={callee} reason=previous_attempt_failed", "Retrying {callee} (previous attempt failed)"],
      held_out: ['{"retrying":"{callee}","after":"failure"}', "sending the request to {callee} once more after it failed"],
    },
  },
];

/** The entry point's line for a user request that failed because of an upstream. */
export const GATEWAY_FAILURE: PhrasedText = {
  message: "{method} /api/{path} -> {status} (upstream {callee})",
  paraphrases: {
    public: [
      '"{method} /api/{path} HTTP/1.1" {status} upstream={callee}',
      "method={method} path=/api/{path} status={status} upstream={callee}",
    ],
    held_out: [
      '{"req":"{method} /api/{path}","status":{status},"upstream":"{callee}"}',
      "{status} for {method} /api/{path}, upstream {callee} failed",
    ],
  },
};

/** A red herring running hot on one metric. */
export const NOISY_NEIGHBOR: PhrasedText = {
  message: "{metric} high for the last {minutes} minutes",
  paraphrases: {
    public: ["resource={metric} state=high duration_min={minutes}", "High {metric} sustained for {minutes} minutes"],
    held_out: ['{"resource":"{metric}","elevated_for_min":{minutes}}', "{metric} has stayed elevated for {minutes} minutes"],
  },
};
