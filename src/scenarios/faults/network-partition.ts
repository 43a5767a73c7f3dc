import type { FaultDefinition } from "../../sim/fault-types.js";

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
      {
        level: "ERROR",
        message: "BGP session with {detail:peer} down: hold timer expired",
        paraphrases: {
          public: [
            "%BGP-5-ADJCHANGE: neighbor {detail:peer} Down BGP Notification sent: hold time expired",
            'bgp neighbor={detail:peer} state=Idle reason="Hold Timer Expired"',
          ],
          held_out: [
            '{"proto":"bgp","peer":"{detail:peer}","transition":"Established->Idle","cause":"keepalives missed"}',
            "lost the routing adjacency with {detail:peer}: no keepalive within the hold interval",
          ],
        },
      },
      {
        level: "WARN",
        message: "{detail:link}: {n}% packet loss on the {zone}-{other_zone} path",
        paraphrases: {
          public: [
            'probe path={zone}->{other_zone} link="{detail:link}" loss_pct={n}',
            "{detail:link} dropping {n}% of packets between {zone} and {other_zone}",
          ],
          held_out: [
            '{"link":"{detail:link}","src_zone":"{zone}","dst_zone":"{other_zone}","drop_ratio_pct":{n}}',
            "{n} in 100 probes from {zone} to {other_zone} over {detail:link} got no reply",
          ],
        },
      },
      {
        level: "ERROR",
        message: "interface {detail:interface}: CRC errors rising ({n}k in the last minute)",
        paraphrases: {
          public: ["%LINK-3-ERROR: {detail:interface} input CRC errors {n}k/min", "ifname={detail:interface} crc_errors_1m={n}k"],
          held_out: [
            '{"if":"{detail:interface}","fcs_errors_per_min":"{n}k"}',
            "frame checksum failures climbing on {detail:interface}: {n}k in 60 s",
          ],
        },
      },
    ],
    callers: [
      {
        level: "ERROR",
        message: "dial tcp {callee}:443: i/o timeout",
        paraphrases: {
          public: ["connect ETIMEDOUT {callee}:443", "upstream={callee}:443 error=connect_timeout"],
          held_out: ["TCP connect to {callee} port 443 got no SYN-ACK", '{"dial":"{callee}:443","err":"timed out"}'],
        },
      },
      {
        level: "ERROR",
        message: "read from {callee}: connection reset by peer",
        paraphrases: {
          public: [
            "recv() failed (104: Connection reset by peer) while reading response header from upstream {callee}",
            "upstream={callee} error=ECONNRESET phase=read",
          ],
          held_out: ["{callee} tore down the socket while we were reading", '{"peer":"{callee}","socket":"reset during read"}'],
        },
      },
      {
        level: "WARN",
        message: "no route to host {callee} (attempt {n})",
        paraphrases: {
          public: ["connect EHOSTUNREACH {callee} (attempt {n})", "upstream={callee} error=no_route attempt={n}"],
          held_out: ['{"dest":"{callee}","errno":"host unreachable","try":{n}}', "{callee} unreachable from this zone, try {n}"],
        },
      },
    ],
    recovery: [
      {
        level: "INFO",
        message: "traffic between {zone} and {other_zone} moved to the standby path; loss 0%",
        paraphrases: {
          public: [
            "path={zone}<->{other_zone} active=standby loss_pct=0",
            "Failover complete: {zone}-{other_zone} traffic on the standby link, no loss",
          ],
          held_out: [
            '{"zones":"{zone}/{other_zone}","route":"backup","drop_ratio_pct":0}',
            "{zone} and {other_zone} talk over the backup route now without dropping packets",
          ],
        },
      },
      {
        level: "INFO",
        message: "cross-zone error rate back to baseline",
        paraphrases: {
          public: ["cross_zone_errors=baseline", "Inter-zone errors back to normal"],
          held_out: ['{"inter_az_error_ratio":"nominal"}', "calls between zones succeed as usual again"],
        },
      },
    ],
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
      optional: [
        "multi_az_redundancy",
        "user_facing_outage",
        "latency_spike",
        "error_rate_spike",
        "capacity_alerting",
        "connection_refused",
      ],
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
