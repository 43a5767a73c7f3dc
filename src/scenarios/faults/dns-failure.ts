import type { FaultDefinition } from "../../sim/fault-types.js";

/**
 * A resolver config push breaks resolution of internal names. Clients keep answering from cached
 * records until their TTLs run out, so failures spread over half an hour, across every service at
 * once. The services that fail look guilty; the resolver is what they have in common.
 */
export const dnsFailure: FaultDefinition = {
  kind: "dns_failure",
  title: "Internal DNS resolution failing",
  injectable: ["dns"],
  trigger: { event: "config_change", description: "pushed resolver config to {root}: {detail:change}" },
  mechanism:
    "A config push to {root} ({detail:change}) broke resolution of internal service names. Lookups now return SERVFAIL or NXDOMAIN, or time out. Clients keep using cached records until their TTLs expire, so the failures spread over the next half hour: every service fails the calls whose target it can no longer resolve. The failing services look guilty; the resolver is what they share.",
  growth: { shape: "ramp", minutesToFull: 30 },
  onsetBeforePage: [8, 14],
  effects: [
    { scope: "root", metric: "error_rate", op: "add", value: 70 },
    { scope: "root", metric: "latency_p99", op: "add", value: 900 },
    { scope: "root", metric: "cpu_usage", op: "multiply", value: 1.6 },
  ],
  edgeEffects: [{ scope: "all", errorRate: 40 }],
  signature: ["error_rate", "latency_p99"],
  logs: {
    root: [
      {
        level: "ERROR",
        message: "[ERROR] plugin/errors: 2 {detail:host}. A: read udp 10.0.0.{n}:53->10.0.0.2:53: i/o timeout",
        paraphrases: {
          public: [
            "[ERROR] plugin/errors: 2 {detail:host}. AAAA: read udp 10.0.0.{n}:41235->10.0.0.2:53: i/o timeout",
            "query={detail:host} type=A upstream=10.0.0.2:53 client=10.0.0.{n} error=timeout",
          ],
          held_out: [
            "forwarding {detail:host} IN A to 10.0.0.2 timed out (asked by 10.0.0.{n})",
            '{"qname":"{detail:host}.","qtype":"A","rcode":"SERVFAIL","upstream_err":"timeout","src":"10.0.0.{n}"}',
          ],
        },
      },
      {
        level: "WARN",
        message: "SERVFAIL for {n}% of queries for *.svc.cluster.local in the last minute",
        paraphrases: {
          public: [
            "rcode=SERVFAIL share={n}% zone=svc.cluster.local window=1m",
            'coredns_dns_responses_total{rcode="SERVFAIL"} at {n}% of responses for svc.cluster.local',
          ],
          held_out: [
            "{n} percent of lookups in svc.cluster.local answered with server failure over 60 s",
            '{"zone":"svc.cluster.local","servfail_ratio_pct":{n}}',
          ],
        },
      },
      {
        level: "ERROR",
        message: "[ERROR] plugin/forward: no healthy upstreams for zone svc.cluster.local",
        paraphrases: {
          public: [
            "[WARNING] plugin/health: all upstreams for svc.cluster.local marked down",
            "forward zone=svc.cluster.local healthy_upstreams=0",
          ],
          held_out: [
            "every resolver upstream for svc.cluster.local failed its health probe",
            '{"plugin":"forward","zone":"svc.cluster.local","upstreams_up":0}',
          ],
        },
      },
    ],
    callers: [
      {
        level: "ERROR",
        message: "dial tcp: lookup {detail:host} on 10.96.0.10:53: no such host",
        paraphrases: {
          public: ["getaddrinfo ENOTFOUND {detail:host}", "java.net.UnknownHostException: {detail:host}: Name or service not known"],
          held_out: [
            "could not resolve '{detail:host}' (NXDOMAIN from 10.96.0.10)",
            '{"error":"name_not_resolved","host":"{detail:host}","resolver":"10.96.0.10"}',
          ],
        },
      },
      {
        level: "ERROR",
        message: "dial tcp: lookup {detail:host} on 10.96.0.10:53: read udp: i/o timeout",
        paraphrases: {
          public: ["getaddrinfo EAI_AGAIN {detail:host}", 'lookup_host={detail:host} resolver=10.96.0.10:53 error="i/o timeout"'],
          held_out: [
            "resolver 10.96.0.10 gave no answer for {detail:host} before the deadline",
            '{"dns_query":"{detail:host}","nameserver":"10.96.0.10","result":"timeout"}',
          ],
        },
      },
      {
        level: "WARN",
        message: "name resolution for {detail:host} failed; retrying with the cached address ({n} s old)",
        paraphrases: {
          public: [
            "dns_refresh_failed host={detail:host} using_cached=true cache_age_s={n}",
            "Resolving {detail:host} failed, falling back to the stale cached IP ({n}s old)",
          ],
          held_out: [
            "keeping the last known IP of {detail:host} ({n} s old) since it cannot be re-resolved",
            '{"host":"{detail:host}","resolve":"failed","fallback":"stale_entry","age_s":{n}}',
          ],
        },
      },
    ],
    recovery: [
      {
        level: "INFO",
        message: "[INFO] Reloading complete; forwarding svc.cluster.local to healthy upstreams",
        paraphrases: {
          public: [
            "[INFO] plugin/reload: Running configuration restored; svc.cluster.local answered again",
            "reload=ok zone=svc.cluster.local upstreams_healthy=all",
          ],
          held_out: [
            "resolver config rolled back, svc.cluster.local queries answered normally",
            '{"event":"reload","status":"complete","zone":"svc.cluster.local"}',
          ],
        },
      },
      {
        level: "INFO",
        message: "SERVFAIL rate back to 0% over the last 5 minutes",
        paraphrases: {
          public: ["rcode=SERVFAIL share=0% window=5m", "No SERVFAIL responses in 5 minutes"],
          held_out: ['{"servfail_ratio_pct":0,"window":"5m"}', "server failures gone from resolver answers for five minutes"],
        },
      },
    ],
  },
  remedies: [{ kind: "revert_config", target: "root", effect: "durable", recoveryMinutes: 3 }],
  wrongFixes: [
    {
      kind: "restart",
      target: "root",
      intensityDelta: 0.3,
      sideEffects: [{ scope: "root", metric: "error_rate", op: "add", value: 20 }],
      sideEffectMinutes: 3,
    },
  ],
  details: {
    change: [
      "forward . 10.0.0.2 (an upstream resolver decommissioned last week)",
      "stub zone svc.cluster.local now forwarded to 10.0.0.2",
      "Corefile rewritten; the kubernetes plugin block for cluster.local dropped, queries forwarded to 10.0.0.2",
    ],
    host: ["db-primary.svc.cluster.local", "api-internal.svc.cluster.local", "cache-primary.svc.cluster.local"],
  },
  knowledge: {
    runbook: {
      diagnose: ["dns_resolution_failure", "config_change"],
      mitigate: ["config_revert"],
      verify: [["errors_recovered", "dns_recovered"]],
      escalate: [["escalate_oncall", "notify_stakeholders"]],
      optional: [
        "staged_config_rollout",
        "dns_redundancy",
        "restart_service",
        "error_rate_spike",
        "user_facing_outage",
        "latency_spike",
        "rollback_deploy",
        "bad_deploy",
        "deploy_safety",
      ],
      harmful: ["hardcode_ip"],
    },
    postmortem: {
      rootCause: ["dns_resolution_failure"],
      trigger: ["config_change"],
      actionItems: [["staged_config_rollout", "dns_redundancy"]],
      optional: [
        "config_revert",
        "user_facing_outage",
        "bad_deploy",
        "deploy_safety",
        "dns_recovered",
        "errors_recovered",
        "rollback_deploy",
      ],
    },
  },
};
