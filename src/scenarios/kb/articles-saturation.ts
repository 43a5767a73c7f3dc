/**
 * Pool articles about resources running out: a shared store at its ceiling, a hot database,
 * request volume above user demand, a growing backlog, memory or CPU climbing, and incidents
 * that build up over half an hour.
 */
import type { KbPoolArticle } from "./types.js";

export const SATURATION_ARTICLES: readonly KbPoolArticle[] = [
  {
    key: "saturated-shared-resource",
    symptoms: ["saturation", "errors"],
    fits: ["connection_pool_exhaustion", "disk_full", "cache_memory_full"],
    wordings: {
      public: {
        id: "KB-5492",
        title: "A shared resource at 100%",
        tags: ["saturation", "limits", "storage"],
        content:
          "Errors from many callers of one backing store usually mean a finite resource on it has run out. Check which gauge sits at its ceiling. Connections at the configured maximum, with clients reporting 'too many clients' or pool timeouts: terminate idle sessions, then raise the limit or cap client pools; restarting the database drops every session and the reconnect storm makes it worse. Disk at 100% with 'No space left on device' on writes: free space (old logs, expired segments) or grow the volume; never delete data files. Memory at the configured cap on a cache, with writes refused: the eviction policy or memory limit is wrong; restore the previous setting. Flushing or restarting the cache empties it onto whatever sits behind it.",
      },
      heldOut: [
        {
          id: "KB-8771",
          title: "Backing store out of headroom",
          tags: ["capacity", "ceilings"],
          content:
            "Find which limit was reached before touching anything: on a shared store several callers fail together once a single gauge hits its ceiling. Session count pinned at the server's cap, callers waiting on their pools: kill idle or stuck sessions, bound every client's pool, and only then consider a higher cap; a restart disconnects everyone and they all reconnect at once. Storage volume full, writes failing with ENOSPC: reclaim space by rotating logs or expiring old segments, or expand the volume, but keep your hands off live data files. An in-memory store at its memory ceiling rejecting new keys: the eviction or memory setting that changed recently is the culprit; put it back. Wiping the store just shifts its load to the system behind it.",
        },
      ],
    },
  },
  {
    key: "database-running-hot",
    symptoms: ["saturation", "latency"],
    fits: ["slow_query", "cache_stampede", "retry_storm"],
    wordings: {
      public: {
        id: "KB-1564",
        title: "Database CPU high and queries slow",
        tags: ["database", "cpu", "load"],
        content:
          "A database near 100% CPU is often the victim. Before tuning it, ask where the load came from: compare the queries per second it serves with what users send. If the query rate is unchanged but one statement dominates the time since a schema change, that statement lost an index: add it back, and kill the long-running copies for relief. If the query rate jumped right after a cache in front of it was emptied or restarted and the cache hit ratio collapsed, the cache is sending its misses through: warm the cache and shed load on the callers until the hit ratio recovers; do not flush it again. If one caller is sending several times its usual calls because it retries without backoff, tune its retries.",
      },
      heldOut: [
        {
          id: "KB-9619",
          title: "Hot primary: find the source of the load",
          tags: ["datastore", "overload"],
          content:
            "Saturated database processors tell you where the pain is, not where it started. First compare incoming query volume to the user request rate. Same volume, one query shape consuming nearly all the time, and a migration shortly before: an index is gone or unused; recreate it and terminate the runaway executions meanwhile. Volume up sharply just after the cache layer lost its contents, with hits down and misses flowing through: rebuild the cache gradually and throttle callers until it is warm; clearing it a second time resets the clock. Volume multiplied from a single client that re-sends failed calls immediately: fix that client's retry policy (fewer attempts, backoff, jitter). Scaling the database up hides all three.",
        },
      ],
    },
  },
  {
    key: "traffic-above-demand",
    symptoms: ["traffic", "saturation"],
    fits: ["retry_storm", "cache_stampede", "quota_throttling"],
    wordings: {
      public: {
        id: "KB-1513",
        title: "More traffic to a dependency than users send",
        tags: ["traffic", "retries", "load"],
        content:
          "If a backend sees several times the requests that users generate, the extra calls are being made inside the system. Find who sends them. Retries: a caller retrying immediately and without a budget multiplies every failure; its CPU climbs and its outbound call rate is far above its inbound rate. Cut its retries and add backoff; restarting it restarts the storm. Cache misses: if a cache lost its contents, every miss lands on the store behind it; warm the cache and shed load. Rate limits: a provider answering 429 Too Many Requests invites retries that make the throttling worse; back off, request a higher quota, and shed non-essential calls. Adding capacity downstream only buys a few minutes.",
      },
      heldOut: [
        {
          id: "KB-8794",
          title: "Amplified request volume inside the system",
          tags: ["amplification", "request-volume"],
          content:
            "Calls per second to an internal or external backend that far exceed user demand are being manufactured by your own services. Trace them to the sender. A client re-issuing failed calls in a tight loop shows outbound volume several times its inbound volume and high processor use of its own; lower its attempt count and add exponential backoff with jitter, since a bounce only resets the loop. An emptied caching tier forwards every lookup to the store behind it; repopulate the cache and throttle callers while it fills. A vendor returning quota-exceeded responses (HTTP 429) provokes more attempts, which deepens the throttling; slow down, negotiate a larger allowance, and drop optional traffic. Extra replicas downstream merely delay the collapse.",
        },
      ],
    },
  },
  {
    key: "growing-backlog",
    symptoms: ["backlog", "saturation"],
    fits: ["queue_poison_pill", "disk_full", "dependency_timeout"],
    wordings: {
      public: {
        id: "KB-4951",
        title: "Consumer lag keeps growing",
        tags: ["queues", "consumers", "lag"],
        content:
          "A backlog that only grows means consumers are not finishing messages. Find out why before adding consumers. If lag grows on one partition and its consumer logs the same message offset failing again and again, a malformed message is blocking it: skip the message or move it to the dead-letter queue, then fix the producer. Purging the whole topic loses good data. If the broker's disk is full and publishes fail, nothing can move: free space by expiring old segments or grow the volume. If consumers are busy but each message waits on a slow external call, the backlog follows that provider's latency: lower the call's timeout or disable the dependent step.",
      },
      heldOut: [
        {
          id: "KB-9376",
          title: "Messages piling up faster than they are processed",
          tags: ["streaming", "backpressure"],
          content:
            "Unprocessed messages accumulate when consumption stalls; scaling the consumer group rarely helps until you know why. Check whether the lag sits on a single partition: a consumer that crashes or errors on the same offset repeatedly is stuck on one bad record, and the fix is to step past it (or park it in a dead-letter topic) and chase the producer that wrote it, not to drop the topic. Check the broker's storage: at full capacity it refuses appends and the pipeline freezes; expire retention or add space. Check how long each message takes: when every one waits on a sluggish third-party call, shorten that deadline or switch the step off.",
        },
      ],
    },
  },
  {
    key: "memory-climbing",
    symptoms: ["saturation", "slow_burn"],
    fits: ["memory_leak", "cache_memory_full", "dependency_timeout"],
    wordings: {
      public: {
        id: "KB-3768",
        title: "Memory climbing steadily",
        tags: ["memory", "oom", "capacity"],
        content:
          "A memory graph that climbs for tens of minutes is a leak, a cap, or a pile-up. Tell them apart by the shape and the owner. A service whose memory rises after a release until garbage collection eats the CPU and pods are OOM-killed has a leak: roll back; a restart or a higher limit only buys time. A cache whose memory reaches its maxmemory and then refuses writes ('OOM command not allowed') has a wrong eviction policy or limit, usually from a config change: revert it; flushing the cache pushes its load onto the database. A service whose memory grows together with in-flight requests, because calls to a slow provider never return, is holding buffers: fix the timeout.",
      },
      heldOut: [
        {
          id: "KB-7303",
          title: "Resident memory trending up for half an hour",
          tags: ["heap", "growth"],
          content:
            "Ask who owns the growing memory and what it is holding. An application process that has grown since its latest build, with collection pauses getting longer and the kernel eventually killing it, is leaking: deploy the previous build, and treat restarts or bigger limits as stopgaps. An in-memory key store sitting exactly at its configured ceiling and answering writes with out-of-memory errors is not leaking at all; a recent settings change most likely removed eviction or lowered the ceiling, so restore it rather than wiping the store. A service whose memory tracks the number of requests it has open, all waiting on a vendor that no longer answers promptly, needs a tighter deadline on that call.",
        },
      ],
    },
  },
  {
    key: "cpu-pinned",
    symptoms: ["saturation", "change"],
    fits: ["config_push", "slow_query", "retry_storm", "memory_leak"],
    wordings: {
      public: {
        id: "KB-5129",
        title: "CPU pinned at 100%",
        tags: ["cpu", "saturation"],
        content:
          "Saturated CPU has four common causes here, and each has a tell. A configuration push just before the spike, on every instance at once (for example a new rule or regular expression evaluated per request): revert the config. A database spending its CPU on one statement since a schema migration: add the missing index; killing the query only relieves it. A service whose outbound call rate is a multiple of its inbound rate: it is retrying in a loop; cap retries and add backoff. A service whose memory rose first, with garbage-collection pauses taking the CPU: a leak; roll back the release. Adding replicas spreads the same problem over more machines.",
      },
      heldOut: [
        {
          id: "KB-3536",
          title: "Processors maxed out: what is burning the cycles",
          tags: ["compute", "hot-path"],
          content:
            "Look at what else moved just before the processors hit the ceiling. Settings rolled out to the whole fleet in one step, such as an expensive matching rule now evaluated on each request, mean the configuration is burning the cycles; roll the settings back. A database consumed by a single query shape after a migration needs that query's index restored; terminating the query helps only for a while. A client whose outgoing requests are several times its incoming ones is stuck re-sending; limit attempts and space them out. A process whose heap grew first and now spends its time collecting garbage has been leaking since its last release; revert the release. More machines won't fix any of these.",
        },
      ],
    },
  },
  {
    key: "slow-burn",
    symptoms: ["slow_burn", "saturation"],
    fits: ["memory_leak", "disk_full", "queue_poison_pill", "cache_memory_full"],
    wordings: {
      public: {
        id: "KB-5506",
        title: "Getting worse for half an hour",
        tags: ["trends", "saturation", "capacity"],
        content:
          "Incidents that ramp up over twenty or thirty minutes are usually a resource being used up, not a sudden break. Plot the saturation gauges of everything in the failing path and look for the one with a steady slope. Memory of a service rising since its last release: a leak; roll back. Disk of a database or broker heading to 100%: free space or grow the volume before writes fail. Consumer lag rising on one partition while the others keep up: one message is stuck; skip it. Memory of a cache creeping to its limit after a config change: restore the limit or eviction policy. Restarts reset the slope for a while and hide the cause.",
      },
      heldOut: [
        {
          id: "KB-7701",
          title: "Gradual degradation: follow the slope",
          tags: ["creeping", "utilisation"],
          content:
            "When things decay steadily instead of falling off a cliff, something is filling up. Line up the utilisation graphs along the failing path and find the one that has been climbing the whole time. Process memory growing since the most recent build means a leak; deploy the build before it. A volume under a database or message broker approaching full will soon stop accepting writes; expire or rotate what can go, or add capacity. Lag that grows on a single partition while its siblings stay current means a record the consumer cannot process; move past it. An in-memory store edging toward its ceiling since a settings change needs that setting put back. Bouncing processes resets the graph and nothing else.",
        },
      ],
    },
  },
];
