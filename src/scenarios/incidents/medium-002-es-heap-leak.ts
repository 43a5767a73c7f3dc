import { buildPreset } from "./preset.js";

/** INC-MED-002: An Elasticsearch upgrade leaks heap; old-generation GC thrashes and searches time out. */
export const medium002 = buildPreset({
  id: "INC-MED-002",
  level: "medium",
  title: "Elasticsearch heap exhausted, GC thrashing",
  family: "web-shop",
  nodes: [
    { name: "api-gateway", kind: "gateway", role: "public HTTP gateway", aliases: ["gateway", "api gateway", "apigw"] },
    {
      name: "search-api",
      kind: "service",
      role: "search API in front of Elasticsearch",
      aliases: ["search api", "search service", "search-service"],
    },
    {
      name: "elasticsearch",
      kind: "search",
      role: "Elasticsearch cluster (3 data nodes, 16 GB heap each)",
      aliases: ["es", "elastic", "elasticsearch cluster", "es cluster", "search cluster"],
      version: "v8.13.2",
    },
    {
      name: "catalog-indexer",
      kind: "service",
      role: "writes product documents into Elasticsearch",
      aliases: ["indexer", "catalog indexer"],
    },
    { name: "redis-cache", kind: "cache", role: "search result cache", aliases: ["redis", "redis cache", "cache"] },
    { name: "deploy-controller", kind: "config", role: "deploys and config pushes" },
    { name: "coredns", kind: "dns", role: "cluster DNS" },
  ],
  calls: [
    ["api-gateway", "search-api", 450],
    ["api-gateway", "catalog-indexer", 60],
    ["search-api", "redis-cache", 450, 100, 0],
    ["search-api", "elasticsearch", 260, 1500, 1],
    ["catalog-indexer", "elasticsearch", 50, 3000, 2],
  ],
  fault: "memory_leak",
  root: "elasticsearch",
  onsetMinute: -24,
  startedAt: "2026-04-21T11:15:00Z",
  previousVersion: "v8.12.4",
  narrative: {
    alertTitle: "Elasticsearch Unresponsive",
    alertDescription:
      "Search latency at api-gateway above 500 ms (p99) for 10 minutes and es-data-2 failing health checks. Cached searches still answer; uncached searches time out.",
    openingLogs: [
      {
        atMinute: -240,
        level: "WARN",
        service: "elasticsearch",
        message: "[es-data-2] heap used 13.1gb/16gb after old collection; has not dropped below 80% for 6 hours",
      },
      {
        atMinute: -40,
        level: "WARN",
        service: "elasticsearch",
        message: "[es-data-2][gc][old] collection took 9.8s, heap 15.6gb/16gb -> 15.4gb/16gb",
      },
      {
        atMinute: -18,
        level: "WARN",
        service: "elasticsearch",
        message: "[es-data-2][gc][old] overhead: spent 14.2s collecting in the last 15s, heap 15.9gb/16gb",
      },
      {
        atMinute: -12,
        level: "ERROR",
        service: "search-api",
        message: "search 'garden chairs' timed out after 5000 ms (shard 4 on es-data-2)",
      },
      {
        atMinute: -12,
        level: "ERROR",
        service: "api-gateway",
        message: "GET /v1/search?q=garden+chairs -> 504 after 5003 ms (upstream: search-api)",
      },
      {
        atMinute: -7,
        level: "CRITICAL",
        service: "elasticsearch",
        message: "[es-data-2] fatal error in thread [elasticsearch[es-data-2][search][T#7]]: java.lang.OutOfMemoryError: Java heap space",
      },
      {
        atMinute: -5,
        level: "WARN",
        service: "elasticsearch",
        message: "[es-master-1] node-left {es-data-2} reason: followers check retry count exceeded; 14 shards unassigned",
      },
      {
        atMinute: 0,
        level: "CRITICAL",
        service: "api-gateway",
        message: "search p99 latency 9000 ms over the last 10 minutes, paging on-call",
      },
    ],
    kb: [
      {
        id: "KB-ES-101",
        title: "Elasticsearch heap exhaustion and GC thrashing",
        tags: ["elasticsearch", "jvm", "heap", "gc"],
        content:
          "A data node whose heap stays above 85% after old-generation collections is running out of memory. The JVM then collects almost continuously: CPU sits at 100%, searches stall and the node eventually throws OutOfMemoryError or is dropped from the cluster. Capture a heap dump (jmap -dump:live,format=b,file=/var/tmp/es.hprof <pid>) before anything else, so the leak can be found, then restart the node and wait for its shards to recover. Do not raise the heap past 31 GB; it only delays the next occurrence.",
      },
      {
        id: "KB-API-205",
        title: "Gateway search timeouts",
        tags: ["api-gateway", "search"],
        content:
          "The gateway returns 504 on /v1/search when search-api does not answer within 5 s. search-api only forwards queries, so check Elasticsearch health first. Scaling the gateway or search-api adds load without making searches faster.",
      },
    ],
  },
});
