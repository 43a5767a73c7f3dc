import type { FaultDefinition } from "../fault-types.js";

/**
 * The link between two zones degrades and fails. Calls that cross zones time out or are reset
 * while every pod stays Running; calls inside a zone are fine. More flows land on the failing path
 * as connections are re-established, so the loss grows until traffic is moved off it.
 */
export const networkPartition: FaultDefinition = {
  kind: "network_partition",
  title: "Network partition between zones",
  injectable: ["network"],
  trigger: { event: "external", description: "" },
  mechanism:
    "The {detail:link} between {zone} and {other_zone} started dropping packets and then failing. Calls that cross zones time out or are reset while every pod stays Running; calls inside one zone are fine, so only services that call across zones fail. As connections are re-established, more flows are hashed onto the failing path and the loss grows until traffic is moved off it.",
  growth: { shape: "ramp", minutesToFull: 24 },
  onsetBeforePage: [8, 14],
  effects: [
    { scope: "root", metric: "error_rate", op: "add", value: 60 },
    { scope: "root", metric: "latency_p99", op: "add", value: 400 },
  ],
  edgeEffects: [{ scope: "cross_zone", errorRate: 90, addedLatencyMs: 150 }],
  signature: ["error_rate", "latency_p99"],
  logs: {
    root: [
      { level: "ERROR", message: "BGP session with {detail:peer} down: hold timer expired" },
      { level: "WARN", message: "{detail:link}: {n}% packet loss on the {zone}-{other_zone} path" },
      { level: "ERROR", message: "interface {detail:interface}: CRC errors rising ({n}k in the last minute)" },
    ],
    callers: [
      { level: "ERROR", message: "dial tcp {callee}:443: i/o timeout" },
      { level: "ERROR", message: "read from {callee}: connection reset by peer" },
      { level: "WARN", message: "no route to host {callee} (attempt {n})" },
    ],
    recovery: [
      { level: "INFO", message: "traffic between {zone} and {other_zone} moved to the standby path; loss 0%" },
      { level: "INFO", message: "cross-zone error rate back to baseline" },
    ],
  },
  kb: {
    helpful: {
      title: "Errors only on calls that cross zones",
      tags: ["network", "zones", "failover"],
      content:
        "If every failing call crosses from one zone to another while calls within a zone succeed, and pods report Running, suspect the network between the zones: look for packet loss, link or BGP alarms on the fabric. Move traffic off the broken path: fail over to the standby link, or drain the affected zone so that each zone is served locally. Restarting applications does not help and drops the connections that still work. Keep replicas in every zone and a redundant path between them.",
    },
    misleading: {
      title: "Connection resets in application logs",
      tags: ["network", "restart"],
      content:
        "Connection resets and timeouts in an application's logs usually come from exhausted connection pools or stuck event loops in the application itself. Restart the affected services one at a time; if that does not help, reset the network's BGP sessions to clear stale routes.",
    },
  },
  remedies: [
    { kind: "failover", target: "root", effect: "durable", recoveryMinutes: 3 },
    { kind: "drain_node", target: "root", effect: "durable", recoveryMinutes: 4 },
  ],
  wrongFixes: [
    {
      kind: "restart",
      target: "root",
      intensityDelta: 0.3,
      sideEffects: [{ scope: "root", metric: "error_rate", op: "add", value: 30 }],
      sideEffectMinutes: 3,
    },
  ],
  details: {
    link: ["primary inter-zone transit link", "spine uplink pair", "cross-zone fibre path"],
    peer: ["10.255.0.2 (spine-2)", "10.255.1.1 (transit-a)"],
    interface: ["et-0/0/12", "xe-1/2/0"],
  },
  knowledge: {
    runbook: {
      diagnose: ["network_partition", "packet_loss"],
      mitigate: [["az_failover", "drain_node"]],
      verify: [["errors_recovered", "latency_recovered"]],
      escalate: [["escalate_oncall", "notify_stakeholders"]],
      optional: ["multi_az_redundancy", "user_facing_outage", "latency_spike", "error_rate_spike", "capacity_alerting", "connection_refused"],
      harmful: ["restart_service"],
    },
    postmortem: {
      rootCause: ["network_partition", "packet_loss"],
      trigger: [],
      actionItems: [["multi_az_redundancy", "az_failover"]],
      optional: ["drain_node", "capacity_alerting", "connection_refused"],
    },
  },
};
