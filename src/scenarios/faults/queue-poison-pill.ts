import type { FaultDefinition } from "../../sim/fault-types.js";

/**
 * One malformed message blocks a partition: the consumer fails on it, does not commit the offset,
 * and gets it redelivered forever. Its threads spin on the same message (busy consumers, high CPU),
 * the partition makes no progress and consumer lag grows while producers keep publishing.
 */
export const queuePoisonPill: FaultDefinition = {
  kind: "queue_poison_pill",
  title: "Poison message blocking a queue",
  injectable: ["queue"],
  trigger: { event: "external", description: "" },
  mechanism:
    "A malformed message landed on partition {detail:partition} of {root}. {callee} fails on it ({detail:error}), does not commit its offset, and receives it again and again; its threads spin on that one message, so the partition makes no progress and consumer lag grows while producers keep publishing. Consumer CPU is high, which makes the consumer look short of capacity.",
  growth: { shape: "ramp", minutesToFull: 3 },
  onsetBeforePage: [18, 26],
  effects: [
    { scope: "root_callees", metric: "connection_usage", op: "toward", value: 96 },
    { scope: "root_callees", metric: "cpu_usage", op: "multiply", value: 2.6 },
    { scope: "root", metric: "queue_depth", op: "multiply", value: 20 },
  ],
  edgeEffects: [],
  signature: ["consumer_lag"],
  logs: {
    root: [
      {
        level: "WARN",
        message: "consumer group {detail:group}: partition {detail:partition} offset {detail:offset} not committed for {n} minutes",
        paraphrases: {
          public: [
            "group={detail:group} partition={detail:partition} committed_offset={detail:offset} stuck_minutes={n}",
            "[GroupCoordinator] {detail:group}-{detail:partition}: commit stalled at offset {detail:offset} for {n}m",
          ],
          held_out: [
            '{"group":"{detail:group}","tp":"{detail:partition}","last_commit":{detail:offset},"stalled_for":"{n}m"}',
            "{detail:group} has not moved past offset {detail:offset} on partition {detail:partition} in {n} minutes",
          ],
        },
      },
      {
        level: "WARN",
        message: "consumer group {detail:group} lag {n}k messages and growing",
        paraphrases: {
          public: ["group={detail:group} lag={n}k trend=up", "Consumer lag for {detail:group}: {n}k (increasing)"],
          held_out: [
            '{"group":"{detail:group}","backlog":"{n}k","growing":true}',
            "{detail:group} is falling further behind: {n}k unread messages",
          ],
        },
      },
      {
        level: "ERROR",
        message: "message at offset {detail:offset} (partition {detail:partition}) redelivered to {detail:group} {n}0 times",
        paraphrases: {
          public: [
            "redelivery_count={n}0 offset={detail:offset} partition={detail:partition} group={detail:group}",
            "Message {detail:partition}@{detail:offset} delivered {n}0 times to {detail:group} without ack",
          ],
          held_out: [
            '{"offset":{detail:offset},"partition":{detail:partition},"deliveries":{n}0,"consumer":"{detail:group}"}',
            "{detail:group} keeps receiving the same record ({detail:partition}/{detail:offset}), already {n}0 times",
          ],
        },
      },
    ],
    callers: [
      {
        level: "WARN",
        message: "orders published to {callee} over 10 minutes ago still have no fulfilment status ({n}0 orders)",
        paraphrases: {
          public: [
            "unfulfilled_orders={n}0 topic_host={callee} age>10m",
            "{n}0 orders sent to {callee} more than 10 min ago are still unprocessed",
          ],
          held_out: [
            '{"queue":"{callee}","orders_without_status":{n}0,"older_than":"10m"}',
            "no fulfilment update for {n}0 orders handed to {callee} over ten minutes back",
          ],
        },
      },
    ],
    callees: [
      {
        level: "ERROR",
        message: "failed to process message at offset {detail:offset} (partition {detail:partition}): {detail:error}",
        paraphrases: {
          public: [
            'consume error offset={detail:offset} partition={detail:partition} err="{detail:error}"',
            "Error handling record {detail:partition}@{detail:offset}: {detail:error}",
          ],
          held_out: [
            '{"handler":"failed","partition":{detail:partition},"offset":{detail:offset},"exception":"{detail:error}"}',
            "record {detail:offset} on partition {detail:partition} could not be handled: {detail:error}",
          ],
        },
      },
      {
        level: "WARN",
        message: "message at offset {detail:offset} failed again; not committing, will be redelivered (attempt {n}81)",
        paraphrases: {
          public: [
            "nack offset={detail:offset} commit=false attempt={n}81",
            "Offset {detail:offset} failed (attempt {n}81); leaving it uncommitted for redelivery",
          ],
          held_out: [
            '{"offset":{detail:offset},"ack":false,"retry":{n}81}',
            "skipping commit of {detail:offset} after yet another failure, try {n}81",
          ],
        },
      },
    ],
    recovery: [
      {
        level: "INFO",
        message: "offset {detail:offset} moved to the dead-letter topic; partition {detail:partition} consuming again",
        paraphrases: {
          public: [
            "dlq_publish offset={detail:offset} partition={detail:partition} resumed=true",
            "Sent offset {detail:offset} to the DLQ; partition {detail:partition} resumed",
          ],
          held_out: [
            '{"parked":{detail:offset},"partition":{detail:partition},"consumer":"running"}',
            "the bad record {detail:offset} was parked aside and partition {detail:partition} flows again",
          ],
        },
      },
      {
        level: "INFO",
        message: "consumer group {detail:group} lag falling ({n}k messages behind)",
        paraphrases: {
          public: ["group={detail:group} lag={n}k trend=down", "Consumer lag for {detail:group}: {n}k (decreasing)"],
          held_out: ['{"group":"{detail:group}","backlog":"{n}k","growing":false}', "{detail:group} is catching up, {n}k messages to go"],
        },
      },
    ],
  },
  remedies: [{ kind: "skip_message", target: "root", effect: "durable", recoveryMinutes: 6 }],
  wrongFixes: [
    {
      kind: "restart",
      target: "root",
      intensityDelta: 0,
      sideEffects: [{ scope: "root_callers", metric: "error_rate", op: "add", value: 15 }],
      sideEffectMinutes: 4,
    },
    {
      kind: "flush_cache",
      target: "root",
      intensityDelta: 0,
      sideEffects: [{ scope: "root_callers", metric: "error_rate", op: "add", value: 30 }],
      sideEffectMinutes: 3,
    },
    {
      kind: "restart",
      target: "root_callees",
      intensityDelta: 0,
      sideEffects: [{ scope: "root_callees", metric: "connection_usage", op: "toward", value: 100 }],
      sideEffectMinutes: 4,
    },
  ],
  details: {
    partition: ["7", "3", "11"],
    offset: ["48213377", "9120455", "1733902"],
    group: ["fulfilment-consumers", "order-processors"],
    error: ["unknown schema version 4", "JsonParseException: Unexpected end-of-input", "NullPointerException in LineItemMapper"],
  },
  knowledge: {
    runbook: {
      diagnose: ["consumer_lag", "poison_message"],
      mitigate: ["dead_letter_queue"],
      verify: ["backlog_draining"],
      escalate: [["escalate_oncall", "notify_stakeholders"]],
      optional: ["check_logs", "message_validation", "cpu_saturation", "add_partitions", "capacity_alerting", "lost_notifications"],
      harmful: ["purge_queue", "restart_service"],
    },
    postmortem: {
      rootCause: ["poison_message"],
      trigger: [],
      actionItems: ["dead_letter_queue", "message_validation"],
      // The consumers spin on the message (the mechanism above): their threads busy, their
      // connections saturated.
      optional: [
        "consumer_lag",
        "jobs_delayed",
        "backlog_draining",
        "capacity_alerting",
        "lost_notifications",
        "thread_pool_exhaustion",
        "check_db_connections",
      ],
    },
  },
};
