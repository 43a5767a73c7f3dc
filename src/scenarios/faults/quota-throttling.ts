import type { FaultDefinition } from "../../sim/fault-types.js";

/**
 * A third-party API throttles our account: a new job pushed the account's call rate past its
 * quota, the provider answers the excess with 429, and our immediate retries keep the account over
 * quota. User requests that need the provider fail.
 */
export const quotaThrottling: FaultDefinition = {
  kind: "quota_throttling",
  title: "Third-party API quota exceeded",
  injectable: ["vendor"],
  trigger: { event: "config_change", description: "cron: enabled scheduled job {detail:job} on {caller} (calls {root})" },
  mechanism:
    "A newly enabled job, {detail:job} on {caller}, pushed our account's calls to {root} past its quota of {detail:limit} requests per second. {root} answers the excess with 429 Too Many Requests; {caller} retries them at once instead of honouring Retry-After, which keeps the account over quota, and user requests that need {root} fail.",
  growth: { shape: "ramp", minutesToFull: 6 },
  onsetBeforePage: [5, 12],
  effects: [
    { scope: "root", metric: "error_rate", op: "add", value: 45 },
    { scope: "root", metric: "request_rate", op: "multiply", value: 1.5 },
  ],
  edgeEffects: [{ scope: "into_root", callMultiplier: 1.3 }],
  signature: ["error_rate"],
  logs: {
    root: [
      {
        level: "ERROR",
        message: "HTTP 429 Too Many Requests: rate limit of {detail:limit} requests per second exceeded for account {detail:account}",
        paraphrases: {
          public: [
            "status=429 account={detail:account} limit_rps={detail:limit} error=rate_limit_exceeded",
            '{"error":{"type":"rate_limit_error","message":"Rate limit of {detail:limit} req/s exceeded","account":"{detail:account}"}}',
          ],
          held_out: [
            "account {detail:account} is over its {detail:limit} rps allowance; answering Too Many Requests",
            "throttle: {detail:account} exceeded {detail:limit}/s, responding 429 with a retry hint",
          ],
        },
      },
      {
        level: "WARN",
        message: "account {detail:account}: {n}% of requests throttled in the last minute (Retry-After: 1)",
        paraphrases: {
          public: [
            "throttled_pct={n} account={detail:account} retry_after=1s",
            "{detail:account}: {n}% throttled over 60 s, Retry-After 1",
          ],
          held_out: [
            '{"acct":"{detail:account}","limited_share":"{n}%","backoff_hint_s":1}',
            "{n} percent of calls by {detail:account} were held back by the limiter in the past minute",
          ],
        },
      },
      {
        level: "WARN",
        message: "quota usage for account {detail:account} at 1{n}% of plan",
        paraphrases: {
          public: ["quota_used_pct=1{n} account={detail:account} plan=standard", "Usage for {detail:account}: 1{n}% of plan quota"],
          held_out: [
            '{"account":"{detail:account}","consumption_of_plan":"1{n}%"}',
            "{detail:account} has used 1{n} percent of what its plan allows",
          ],
        },
      },
    ],
    callers: [
      {
        level: "ERROR",
        message: "{callee} returned 429 Too Many Requests (quota exceeded for account {detail:account}); retrying",
        paraphrases: {
          public: [
            "upstream={callee} status=429 account={detail:account} action=retry",
            "RateLimitError from {callee}: quota exceeded for {detail:account}, will retry",
          ],
          held_out: [
            '{"provider":"{callee}","http":429,"acct":"{detail:account}","next":"retry"}',
            "{callee} throttled us (account {detail:account} over quota); sending again",
          ],
        },
      },
      {
        level: "WARN",
        message: "{n}% of calls to {callee} throttled in the last minute",
        paraphrases: {
          public: ["upstream={callee} throttled_pct={n} window=1m", "{callee} throttling: {n}% of calls in 60 s"],
          held_out: [
            '{"provider":"{callee}","rate_limited_pct":{n}}',
            "the provider {callee} turned away {n} percent of our calls in the past minute",
          ],
        },
      },
    ],
    recovery: [
      {
        level: "INFO",
        message: "account {detail:account}: requests within quota, no 429 in the last minute",
        paraphrases: {
          public: ["account={detail:account} status_429=0 window=1m", "{detail:account} back under its rate limit; no 429 for 60 s"],
          held_out: [
            '{"acct":"{detail:account}","limited":0,"within_plan":true}',
            "{detail:account} stays inside its allowance, nothing throttled in the past minute",
          ],
        },
      },
      {
        level: "INFO",
        message: "throttled responses back to 0%",
        paraphrases: {
          public: ["throttled_pct=0", "Throttling stopped (0%)"],
          held_out: ['{"rate_limited_pct":0}', "the limiter lets every call through again"],
        },
      },
    ],
  },
  remedies: [
    { kind: "raise_limit", target: "root", effect: "durable", recoveryMinutes: 2 },
    { kind: "tune_retries", target: "root_callers", effect: "durable", recoveryMinutes: 4 },
    {
      kind: "shed_load",
      target: "root_callers",
      effect: "relief",
      recoveryMinutes: 2,
      reliefMinutes: 8,
    },
  ],
  wrongFixes: [
    {
      kind: "scale",
      target: "root_callers",
      intensityDelta: 0.2,
      sideEffects: [{ scope: "root", metric: "error_rate", op: "add", value: 20 }],
      sideEffectMinutes: 6,
    },
    {
      kind: "restart",
      target: "root_callers",
      intensityDelta: 0.1,
      sideEffects: [{ scope: "root", metric: "error_rate", op: "add", value: 15 }],
      sideEffectMinutes: 3,
    },
  ],
  details: {
    job: ["card-vault-resync", "nightly-refund-reconciliation", "saved-card-verification"],
    limit: ["200", "150", "300"],
    account: ["acct_7Hq2LmZ", "acct_19PxKe4", "acct_3RtY8sW"],
  },
  knowledge: {
    runbook: {
      // The account is over its quota; what raised our call rate (a new job, a traffic change).
      diagnose: [
        ["quota_exceeded", "rate_limited"],
        ["new_batch_job", "check_traffic_source"],
      ],
      // More quota, or fewer calls: pause the batch work, back off, shed non-essential calls.
      mitigate: [["request_quota_increase", "raise_rate_limit", "pause_client", "exponential_backoff", "cap_retries", "load_shedding"]],
      verify: [["errors_recovered", "request_rate_normal"]],
      escalate: [["vendor_support", "escalate_oncall", "notify_stakeholders"]],
      optional: ["provider_outage", "third_party_latency", "capacity_alerting", "config_change"],
      harmful: ["scale_out"],
    },
    postmortem: {
      rootCause: ["quota_exceeded"],
      trigger: [["new_batch_job", "config_change"]],
      actionItems: [["exponential_backoff", "cap_retries", "request_quota_increase", "load_shedding"], "capacity_alerting"],
      optional: ["provider_outage", "pause_client", "vendor_support", "third_party_latency", "raise_rate_limit", "check_traffic_source"],
    },
  },
};
