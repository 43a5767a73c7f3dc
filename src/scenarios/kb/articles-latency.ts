/**
 * Pool articles about slow requests: latency while CPU idles, one slow hop downstream, a slow
 * minority of requests, exhausted pools, and trouble right after maintenance on a data store.
 */
import type { KbPoolArticle } from "./types.js";

export const LATENCY_ARTICLES: readonly KbPoolArticle[] = [
  {
    key: "latency-healthy-cpu",
    symptoms: ["latency", "saturation"],
    fits: ["db_lock_contention", "dependency_timeout", "connection_pool_exhaustion"],
    wordings: {
      public: {
        id: "KB-3683",
        title: "Latency up, CPU flat",
        tags: ["latency", "waiting", "capacity"],
        content:
          "Slow responses with idle CPU mean requests are waiting, not working. Find what they wait on. On a database: if lock waits are climbing and queries sit behind one long transaction or a migration, end the blocking session (and pause the migration); raising connection limits only queues more work behind the lock. If connections are at the maximum without lock waits, clients are out of slots: find who holds them, cap pool sizes, or add capacity on the calling side. If the service's outbound calls to one external API take seconds, its workers are tied up waiting on that provider: lower the timeout, fail fast or switch off the feature that calls it. Adding CPU does nothing in any of these cases.",
      },
      heldOut: [
        {
          id: "KB-4342",
          title: "Slow responses on an idle host",
          tags: ["p99", "blocked-requests"],
          content:
            "When p99 climbs but processors sit mostly unused, the time is spent waiting. Work out on what. Requests queued behind a lock show up as a growing lock-wait count on the database, usually with one long-running transaction or schema change at the head of the queue; terminate that session and hold the change. A database whose client sessions are all in use, with no lock queue, has run out of slots: identify the callers hogging them, shrink their pools, or scale the callers. A service whose requests to an outside vendor now last many seconds has its worker threads parked on that vendor: cut the deadline, add a circuit breaker, or disable the dependent feature. More cores will not help.",
        },
      ],
    },
  },
  {
    key: "slow-dependency",
    symptoms: ["latency"],
    fits: ["dependency_timeout", "slow_query", "db_lock_contention"],
    wordings: {
      public: {
        id: "KB-1668",
        title: "A dependency that answers slowly",
        tags: ["latency", "tracing", "dependencies"],
        content:
          "Traces show where the time goes. When most of a request's duration sits in one downstream call, work out why that dependency is slow. A third-party API that takes seconds to answer, while your service's connection pool to it is full: protect yourself first with shorter timeouts, fewer retries or by switching off the feature that calls it, and open a ticket with the provider. A database that got slow after a schema change, CPU-bound on one statement: look at the query plan; a missing index makes every call scan the table, so add the index, and kill the runaway queries as relief. A database that is slow but idle, with lock waits: find the blocking transaction and end it.",
      },
      heldOut: [
        {
          id: "KB-9030",
          title: "Time spent downstream: one slow hop",
          tags: ["traces", "downstream"],
          content:
            "Start from a sampled trace and find the span that eats the request. If that span is an outbound call to a vendor and the connections to it are all busy, the vendor is slow and your callers queue behind it: tighten the deadline, stop retrying, or turn the integration off behind its flag while you contact the vendor. If the span is a query and the database has been burning processor time since a migration, one statement probably lost its index and now reads the whole table: check the plan, create the index, and terminate the long runners meanwhile. If the database is slow yet mostly idle and sessions are waiting on locks, kill the session holding the lock.",
        },
      ],
    },
  },
  {
    key: "after-data-store-maintenance",
    symptoms: ["change", "latency"],
    fits: ["cache_stampede", "db_lock_contention", "slow_query", "cache_memory_full"],
    wordings: {
      public: {
        id: "KB-3469",
        title: "Trouble right after maintenance on a data store",
        tags: ["maintenance", "migrations", "caches"],
        content:
          "Planned work on a database or cache (a migration, a flush, a settings change) is a common trigger. Match the kind of work to the symptom. A schema migration followed by queries waiting on locks: the migration holds a lock; kill the blocking session and rerun it later with a lock timeout. A migration followed by one statement eating the database CPU: it dropped or invalidated an index; add it back. A cache flush or restart followed by a collapsed hit ratio and a busy database: warm the cache and shed load; do not flush again. A cache config change followed by memory at the limit and refused writes: revert the change.",
      },
      heldOut: [
        {
          id: "KB-1457",
          title: "Datastore maintenance gone wrong",
          tags: ["planned-work", "schema-changes"],
          content:
            "If a store had planned work shortly before the page, assume the work is involved until shown otherwise, and let the symptom tell you which way. Sessions piling up in lock waits behind a schema change: that change holds an exclusive lock; terminate it and reschedule it with a lock timeout. One query pattern monopolising processors after a schema change: an index was lost; rebuild it. Hit rate near zero on the caching tier after it was cleared or rebooted, with the database behind it overloaded: repopulate the cache and throttle callers, and do not clear it again. Memory at its ceiling with writes refused after a cache settings edit: roll the edit back.",
        },
      ],
    },
  },
  {
    key: "tail-latency",
    symptoms: ["latency"],
    fits: ["network_partition", "memory_leak", "cache_stampede", "dns_failure", "false_alarm"],
    wordings: {
      public: {
        id: "KB-1894",
        title: "p99 up while the median is fine",
        tags: ["latency", "percentiles"],
        content:
          "A high p99 with a normal p50 means a slow minority of requests. Find what that minority has in common. Requests that cross zones, with resets and timeouts on inter-zone calls: the link between zones is failing; fail over or drain. Requests served by one service whose memory keeps growing: long garbage-collection pauses from a leak that came with its last release; roll back. Requests that miss the cache: if the hit ratio dropped after a flush, the misses go to the database; warm the cache. Requests that resolve a hostname first: resolver timeouts add seconds to each lookup; check the resolver's recent config change and revert it. And if the p99 alert fires while the p99 graph sits where it always does, the rule is at fault, not the service: check the alerting rules for a recent threshold change and put it back.",
      },
      heldOut: [
        {
          id: "KB-8314",
          title: "A slow minority of requests",
          tags: ["tail", "outliers"],
          content:
            "Median latency that looks healthy next to a bad 99th percentile means most requests are fine and some are very slow. Split the slow ones by attribute. If they are the ones travelling between availability zones, the inter-zone path is degraded; steer traffic away from the affected zone. If they all land on one process whose heap has been growing, they are stalling in garbage collection; the leak came with a release, so revert it. If they are cache misses, and the hit rate fell when the cache was emptied, they are queueing on the database; refill the cache. If each of them does a fresh name lookup, the resolver is timing out; undo its latest configuration change. If the page claims a bad 99th percentile that the dashboards do not show, someone has edited the alerting rules: restore the old threshold and leave the service be.",
        },
      ],
    },
  },
  {
    key: "requests-stuck-waiting",
    symptoms: ["latency", "saturation"],
    fits: ["connection_pool_exhaustion", "dependency_timeout", "db_lock_contention", "queue_poison_pill"],
    wordings: {
      public: {
        id: "KB-9466",
        title: "Requests stuck waiting: pools and workers exhausted",
        tags: ["pools", "threads", "latency"],
        content:
          "When a service's connection pool or worker pool is full and new requests queue, the pool is the symptom; the cause is whatever keeps the slots busy. Slots held by database sessions that wait on a lock: end the blocking transaction. Slots held because the database itself ran out of connections after a traffic surge: free sessions and cap the callers' pools, or scale the callers; restarting the database drops everything at once. Slots held by calls to a slow vendor: shorten the timeout and fail fast. Consumer workers all busy on the same failing message: skip it. Raising pool sizes only lets more requests wait.",
      },
      heldOut: [
        {
          id: "KB-9934",
          title: "Exhausted pools: what is holding the slots",
          tags: ["concurrency", "saturation"],
          content:
            "A full pool tells you requests are waiting, not why. Look at what each occupied slot is doing. If the sessions are blocked on a lock in the database, the blocker is the problem; terminate its transaction. If the database refuses new sessions because its own cap was reached when traffic rose, release idle sessions and make every client use a smaller pool, or add callers; a database restart would drop every session at once. If the slots are parked on requests to a third party that has slowed down, apply a shorter deadline so they fail fast. If consumer workers are all retrying one record that always fails, step over that record. Larger pools just hold more waiting requests.",
        },
      ],
    },
  },
];
