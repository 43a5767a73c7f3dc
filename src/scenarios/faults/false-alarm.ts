import type { FaultDefinition } from "../../sim/fault-types.js";

/**
 * Nothing is broken. A change to the alerting rules set the p99 latency threshold of one service
 * below its normal latency (a dropped zero), so the rule pages on healthy
 * readings. The right response is restraint: confirm the service and its users are fine, find the
 * rule change, put the threshold back (or silence the alert), and change nothing in the system.
 * Restarting, rolling back or scaling a healthy service only adds risk.
 */
export const falseAlarm: FaultDefinition = {
  kind: "false_alarm",
  title: "False alarm from a misconfigured alert rule",
  injectable: ["service", "gateway"],
  trigger: {
    event: "config_change",
    description:
      'alerting: rule "{root} p99 latency" threshold changed to {misfire_threshold} ms (was {real_threshold} ms) by {detail:author}',
  },
  mechanism:
    "A change to the alerting rules set the p99 latency threshold of {root} to {misfire_threshold} ms instead of {real_threshold} ms ({detail:slip}). {root}'s latency is where it always is, below {real_threshold} ms but above the new threshold, so the rule fires on healthy readings and pages on-call. Users are not affected and nothing in the system needs fixing.",
  growth: { shape: "step", minutesToFull: 1 },
  onsetBeforePage: [3, 8],
  effects: [],
  edgeEffects: [],
  signature: [],
  logs: {
    root: [],
    callers: [],
    recovery: [],
  },
  // Putting the rule's threshold back is the one change that belongs to this incident.
  remedies: [{ kind: "revert_config", target: "root", effect: "durable", recoveryMinutes: 1 }],
  wrongFixes: [],
  details: {
    author: ["a monitoring-as-code change", "a dashboard import", "the quarterly SLO review"],
    slip: [
      "a zero dropped when the rule was edited",
      "a value typed into the wrong field of the rule template",
      "a copy-paste from another service's rule file",
    ],
  },
  knowledge: {
    runbook: {
      // Is anything actually wrong? What changed in the alerting?
      diagnose: [
        ["no_user_impact", "health_check", "check_dashboards"],
        ["alert_misconfigured", "false_alarm"],
      ],
      mitigate: [["restore_alert_threshold", "config_revert"]],
      verify: [["alert_cleared", "no_user_impact"]],
      escalate: [["notify_stakeholders", "escalate_oncall"]],
      optional: [
        "alert_rule_review",
        "monitor_recovery",
        "check_logs",
        "latency_spike",
        "alert_fired",
        "capacity_alerting",
        "config_change",
      ],
      harmful: ["restart_service", "rollback_deploy", "scale_out", "flush_cache"],
    },
    postmortem: {
      rootCause: [["alert_misconfigured"], ["false_alarm", "no_user_impact"]],
      trigger: [["alert_misconfigured", "config_change"]],
      actionItems: [["alert_rule_review"]],
      optional: [
        "restore_alert_threshold",
        "config_revert",
        "alert_cleared",
        "no_user_impact",
        "capacity_alerting",
        "alert_fired",
        "latency_spike",
      ],
    },
  },
  response: { restraint: true },
  misconfiguredAlert: { metric: "latency_p99", thresholdOverReal: 0.1 },
};
