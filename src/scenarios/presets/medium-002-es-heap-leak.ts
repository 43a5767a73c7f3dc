import type { ScenarioTemplate } from "../types.js";

/**
 * A memory leak on an Elasticsearch data node: the old generation fills, the JVM spends its time
 * in back-to-back full collections, CPU pins at 100% and searches time out. The gateway's search
 * latency is what pages.
 */
export const medium002: ScenarioTemplate = {
  id: "INC-MED-002",
  level: "medium",
  title: "Elasticsearch heap exhausted, GC thrashing",
  services: [
    { name: "api-gateway", aliases: ["gateway", "api gateway", "apigw"], role: "public HTTP gateway" },
    { name: "search-api", aliases: ["search api", "search service", "search-service"], role: "search API in front of Elasticsearch" },
    { name: "elasticsearch", aliases: ["es", "elastic", "elasticsearch cluster", "es cluster", "search cluster"], role: "Elasticsearch cluster (3 data nodes, 16 GB heap each)" },
    { name: "catalog-indexer", aliases: ["indexer", "catalog indexer"], role: "writes product documents into Elasticsearch" },
    { name: "redis-cache", aliases: ["redis", "redis cache", "cache"], role: "search result cache" },
  ],
  alert: {
    id: "ALT-102",
    title: "Elasticsearch Unresponsive",
    severity: "P2",
    affectedServices: ["elasticsearch", "api-gateway"],
    description:
      "Search latency at api-gateway above 500 ms (p99) for 10 minutes and es-data-2 failing health checks. Cached searches still answer; uncached searches time out.",
  },
  metrics: [
    { service: "elasticsearch", metric: "jvm_heap_usage", unit: "%", threshold: 85, direction: "above", baseline: 58, atPage: 99.5, driftPerMinute: 0.02, worst: 99.9, noise: 0.002 },
    { service: "elasticsearch", metric: "cpu_usage", unit: "%", threshold: 80, direction: "above", baseline: 34, atPage: 100, driftPerMinute: 0, worst: 100, noise: 0 },
    { service: "elasticsearch", metric: "old_gc_time_per_min", unit: "ms", threshold: 5000, direction: "above", baseline: 180, atPage: 52000, driftPerMinute: 300, worst: 58000, noise: 0.03 },
    { service: "elasticsearch", metric: "cluster_nodes", unit: "count", threshold: 3, direction: "below", baseline: 3, atPage: 2, driftPerMinute: 0, worst: 2, noise: 0 },
    { service: "api-gateway", metric: "search_latency", unit: "ms", threshold: 500, direction: "above", baseline: 85, atPage: 9000, driftPerMinute: 150, worst: 15000, noise: 0.05 },
    { service: "search-api", metric: "timeouts_per_min", unit: "count", threshold: 5, direction: "above", baseline: 0, atPage: 240, driftPerMinute: 5, worst: 600, noise: 0.06 },
    { service: "redis-cache", metric: "hit_ratio", unit: "%", threshold: 60, direction: "below", baseline: 78, atPage: 77, driftPerMinute: 0, worst: 77, noise: 0.02 },
  ],
  openingLogs: [
    { atMinute: -240, level: "WARN", service: "elasticsearch", message: "[es-data-2] heap used 13.1gb/16gb after old collection; has not dropped below 80% for 6 hours" },
    { atMinute: -40, level: "WARN", service: "elasticsearch", message: "[es-data-2][gc][old] collection took 9.8s, heap 15.6gb/16gb -> 15.4gb/16gb" },
    { atMinute: -18, level: "WARN", service: "elasticsearch", message: "[es-data-2][gc][old] overhead: spent 14.2s collecting in the last 15s, heap 15.9gb/16gb" },
    { atMinute: -12, level: "ERROR", service: "search-api", message: "search 'garden chairs' timed out after 5000 ms (shard 4 on es-data-2)", trace: "s1" },
    { atMinute: -12, level: "ERROR", service: "api-gateway", message: "GET /v1/search?q=garden+chairs -> 504 after 5003 ms (upstream: search-api)", trace: "s1" },
    { atMinute: -7, level: "CRITICAL", service: "elasticsearch", message: "[es-data-2] fatal error in thread [elasticsearch[es-data-2][search][T#7]]: java.lang.OutOfMemoryError: Java heap space" },
    { atMinute: -5, level: "WARN", service: "elasticsearch", message: "[es-master-1] node-left {es-data-2} reason: followers check retry count exceeded; 14 shards unassigned" },
    { atMinute: 0, level: "CRITICAL", service: "api-gateway", message: "search p99 latency 9000 ms over the last 10 minutes, paging on-call" },
  ],
  activeLogs: [
    { level: "WARN", service: "elasticsearch", message: "[es-data-2][gc][old] collection took {n}.4s, heap 15.9gb/16gb -> 15.8gb/16gb" },
    { level: "ERROR", service: "search-api", message: "search request timed out after 5000 ms waiting on es-data-2 ({n} shards pending)", trace: "q" },
    { level: "ERROR", service: "api-gateway", message: "GET /v1/search -> 504 after 5004 ms (upstream: search-api)", trace: "q" },
    { level: "WARN", service: "elasticsearch", message: "[es-master-1] cluster health yellow: {n} replica shards unassigned" },
    { level: "WARN", service: "elasticsearch", message: "[es-data-2] rejected search request: circuit breaker [parent] data too large, heap 15.9gb/16gb" },
  ],
  recoveryLogs: [
    { level: "INFO", service: "elasticsearch", message: "[es-data-2] started; heap 4.2gb/16gb" },
    { level: "INFO", service: "elasticsearch", message: "[es-master-1] node-join {es-data-2}; shards recovering" },
    { level: "INFO", service: "elasticsearch", message: "[es-master-1] cluster health green, 0 unassigned shards" },
    { level: "INFO", service: "api-gateway", message: "search p99 latency 140 ms over the last 5 minutes" },
  ],
  backgroundLogs: [
    { level: "INFO", service: "catalog-indexer", message: "indexed {n}0 product updates" },
    { level: "INFO", service: "redis-cache", message: "background save finished in {n} ms" },
    { level: "DEBUG", service: "search-api", message: "cache hit for query hash {n}a9" },
  ],
  kb: [
    {
      id: "KB-ES-101",
      title: "Elasticsearch heap exhaustion and GC thrashing",
      tags: ["elasticsearch", "jvm", "heap", "gc"],
      content:
        "A data node whose heap stays above 85% after old-generation collections is running out of memory. The JVM then collects almost continuously: CPU sits at 100%, searches stall and the node eventually throws OutOfMemoryError or is dropped from the cluster. " +
        "Capture a heap dump (jmap -dump:live,format=b,file=/var/tmp/es.hprof <pid>) before anything else, so the leak can be found, then restart the node and wait for its shards to recover. " +
        "Do not raise the heap past 31 GB; it only delays the next occurrence.",
    },
    {
      id: "KB-API-205",
      title: "Gateway search timeouts",
      tags: ["api-gateway", "search"],
      content:
        "The gateway returns 504 on /v1/search when search-api does not answer within 5 s. search-api only forwards queries, so check Elasticsearch health first. Scaling the gateway or search-api adds load without making searches faster.",
    },
  ],
  truth: {
    rootService: "elasticsearch",
    faultClass: "jvm_memory_leak",
    rootCause:
      "A memory leak on data node es-data-2 kept old-generation heap from being reclaimed. Heap reached 99.5%, the JVM spent nearly all its time in full GC (CPU 100%), search threads stalled, the node hit OutOfMemoryError and left the cluster, and searches routed to it timed out at the gateway.",
    severity: "P2",
  },
  fix: {
    targets: ["elasticsearch"],
    concepts: ["restart_service"],
    recoveryMinutes: 10,
    feedback: "es-data-2 restarted with an empty heap; it rejoined the cluster and its shards are recovering.",
  },
  harmfulFixes: [
    {
      concept: "scale_out",
      targets: ["api-gateway", "search-api"],
      feedback: "More front-end replicas send more queries to the same struggling node.",
      worsens: ["elasticsearch/cpu_usage", "api-gateway/search_latency"],
    },
    {
      concept: "raise_memory_limit",
      targets: ["elasticsearch"],
      feedback: "The heap setting changed but the node still has to restart to apply it, and a larger heap only delays the next exhaustion.",
      worsens: ["api-gateway/search_latency"],
    },
  ],
  runbook: {
    diagnose: ["jvm_heap_exhaustion", "gc_thrashing"],
    mitigate: ["heap_dump", "restart_service"],
    verify: ["cluster_health", "latency_recovered"],
    optional: ["memory_leak", "out_of_memory", "node_left_cluster", "process_crash"],
    harmful: ["scale_out", "raise_memory_limit"],
  },
  postmortem: {
    summary: ["out_of_memory", "latency_spike"],
    root_cause: ["memory_leak", "gc_thrashing"],
    timeline: ["incident_began", "alert_fired", "incident_mitigated"],
    impact: ["latency_spike"],
    action_items: ["heap_dump", "capacity_alerting"],
    optional: ["jvm_heap_exhaustion", "node_left_cluster", "restart_service", "cluster_health", "process_crash"],
  },
};
