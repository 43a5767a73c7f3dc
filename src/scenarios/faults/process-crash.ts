import type { FaultDefinition } from "../../sim/fault-types.js";

/**
 * A service's processes die and are not brought back: nothing listens on its port, callers get
 * connection refused, and the few instances left serving are overloaded. Starting it again is the
 * fix; scaling a service that crashes on the same input adds more crashes.
 */
export const processCrash: FaultDefinition = {
  kind: "process_crash",
  title: "Service processes crashed and not restarted",
  injectable: ["service"],
  occasionalHosts: ["database", "cache", "queue", "search"],
  trigger: { event: "external", description: "" },
  mechanism:
    "Most of {root}'s processes died with {detail:signal} in {detail:component} and were not started again, because {detail:supervisor}. Nothing listens on their port: callers get connection refused, every request routed to a dead instance fails, and the few instances left take all the traffic.",
  growth: { shape: "step", minutesToFull: 1 },
  onsetBeforePage: [4, 9],
  effects: [
    { scope: "root", metric: "error_rate", op: "add", value: 75 },
    { scope: "root", metric: "cpu_usage", op: "multiply", value: 0.4 },
    { scope: "root", metric: "request_rate", op: "multiply", value: 0.3 },
  ],
  edgeEffects: [],
  signature: ["error_rate"],
  logs: {
    root: [
      {
        level: "CRITICAL",
        message: "{detail:signal} in {detail:component}; core dumped",
        paraphrases: {
          public: [
            "Fatal signal {detail:signal} raised in {detail:component} (core dumped)",
            "systemd-coredump: process terminated by {detail:signal} in {detail:component}; core file written",
          ],
          held_out: [
            '{"crash":{"signal":"{detail:signal}","frame":"{detail:component}","dump":true}}',
            "the process died of {detail:signal} inside {detail:component}, leaving a core file",
          ],
        },
      },
      {
        level: "ERROR",
        message: "main process exited, code=dumped; not restarting: {detail:supervisor}",
        paraphrases: {
          public: [
            "Main process exited, code=dumped, status=11/SEGV; no restart scheduled ({detail:supervisor})",
            'exit_reason=dumped restart=false why="{detail:supervisor}"',
          ],
          held_out: [
            '{"supervisor":"stopped","child_exit":"crash","restart":"skipped","because":"{detail:supervisor}"}',
            "service stayed down after the crash since {detail:supervisor}",
          ],
        },
      },
      {
        level: "WARN",
        message: "{n} instances down; remaining instances at full capacity",
        paraphrases: {
          public: ["instances_down={n} remaining_utilisation=100%", "{n} replicas unavailable; survivors at full capacity"],
          held_out: ['{"replicas_lost":{n},"others":"saturated"}', "with {n} instances gone, the ones left are running flat out"],
        },
      },
    ],
    callers: [
      {
        level: "ERROR",
        message: "connect to {callee}:8443 failed: connection refused (ECONNREFUSED)",
        paraphrases: {
          public: ["connect ECONNREFUSED {callee}:8443", "java.net.ConnectException: Connection refused ({callee}:8443)"],
          held_out: ["nothing listening on {callee}:8443, the TCP connect was turned away", '{"dial":"{callee}:8443","err":"port closed"}'],
        },
      },
      {
        level: "ERROR",
        message: "no healthy upstream for {callee} ({n} endpoints unreachable)",
        paraphrases: {
          public: [
            "upstream connect error or disconnect/reset before headers. reset reason: connection failure ({callee}, {n} hosts ejected)",
            "cluster={callee} healthy_endpoints=0 unreachable={n}",
          ],
          held_out: [
            '{"lb_target":"{callee}","live_backends":0,"down":{n}}',
            "load balancer has no live backend for {callee} ({n} marked down)",
          ],
        },
      },
    ],
    recovery: [
      {
        level: "INFO",
        message: "{root} started; listening on :8443",
        paraphrases: {
          public: ["Started {root}.service; bound to 0.0.0.0:8443", 'msg="server started" service={root} addr=:8443'],
          held_out: ['{"service":"{root}","state":"serving","port":8443}', "{root} is up again and accepting connections on port 8443"],
        },
      },
      {
        level: "INFO",
        message: "health checks passing on all instances",
        paraphrases: {
          public: ["healthy_instances=all", "All instances report healthy"],
          held_out: ['{"ready":"all","failing_probes":0}', "every replica answers its readiness probe"],
        },
      },
    ],
  },
  remedies: [
    { kind: "restart", target: "root", effect: "durable", recoveryMinutes: 2 },
    { kind: "rollback", target: "root", effect: "durable", recoveryMinutes: 4 },
  ],
  wrongFixes: [
    {
      kind: "scale",
      target: "root",
      intensityDelta: 0,
      sideEffects: [
        { scope: "root", metric: "error_rate", op: "add", value: 20 },
        { scope: "root", metric: "latency_p99", op: "multiply", value: 2 },
      ],
      sideEffectMinutes: 5,
    },
    {
      kind: "restart",
      target: "root_callers",
      intensityDelta: 0,
      sideEffects: [{ scope: "root_callers", metric: "error_rate", op: "add", value: 30 }],
      sideEffectMinutes: 2,
    },
  ],
  details: {
    signal: ["SIGSEGV (segmentation fault)", "SIGABRT", "SIGBUS"],
    component: ["the TLS session cache (libssl)", "the protobuf decoder", "the image resize library"],
    supervisor: ["its unit has Restart=no", "the supervisor gave up after 5 restarts in 10 s", "the pod restart policy is Never"],
  },
  knowledge: {
    runbook: {
      diagnose: ["process_crash", "connection_refused"],
      // Start it again (and roll back if the last change makes it crash).
      mitigate: [["restart_service", "rollback_deploy"]],
      verify: [["health_check", "errors_recovered"]],
      escalate: [["escalate_oncall", "notify_stakeholders"]],
      // Callers' breakers open and their connections drop while it is down, traffic to it falls, and
      // a supervisor restarts with backoff: all of it is what a crash looks like.
      optional: [
        "auto_restart",
        "crash_analysis",
        "error_rate_spike",
        "user_facing_outage",
        "bad_deploy",
        "circuit_breaker",
        "connections_recovered",
        "exponential_backoff",
        "request_rate_normal",
      ],
      harmful: ["scale_out"],
    },
    postmortem: {
      rootCause: ["process_crash"],
      trigger: [],
      actionItems: ["auto_restart", "crash_analysis"],
      optional: ["connection_refused", "restart_service", "health_check", "rollback_deploy", "capacity_alerting"],
    },
  },
};
