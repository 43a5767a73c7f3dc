import type { FaultDefinition } from "../fault-types.js";

/**
 * The TLS certificate a service presents expires because its renewal had been failing quietly.
 * From that instant every new handshake fails; only connections opened before the expiry keep
 * working. Nothing was deployed. Renewing the certificate (and reloading it) is the fix.
 */
export const certificateExpiry: FaultDefinition = {
  kind: "certificate_expiry",
  title: "Expired TLS certificate",
  injectable: ["service", "search", "database"],
  trigger: { event: "certificate_expiry", description: "cert-manager: certificate {detail:cert_name} for {root} not renewed: {detail:renew_error}" },
  mechanism:
    "The serving certificate {detail:cert_name} of {root} expired at {detail:not_after}; its automatic renewal had been failing ({detail:renew_error}) and nobody was alerted. Every new TLS handshake to {root} now fails certificate verification, so callers cannot open connections; only connections opened before the expiry still work. Nothing was deployed and the network is fine.",
  growth: { shape: "step", minutesToFull: 1 },
  onsetBeforePage: [3, 8],
  effects: [
    { scope: "root", metric: "error_rate", op: "add", value: 60 },
    { scope: "root", metric: "request_rate", op: "multiply", value: 0.2 },
    { scope: "root", metric: "cpu_usage", op: "multiply", value: 0.6 },
  ],
  edgeEffects: [{ scope: "into_root", errorRate: 88 }],
  signature: ["error_rate"],
  logs: {
    root: [
      { level: "ERROR", message: "http: TLS handshake error from 10.{n}.4.19:5{n}12: remote error: tls: bad certificate" },
      { level: "WARN", message: "serving certificate {detail:cert_name} is outside its validity period (notAfter {detail:not_after})" },
      { level: "ERROR", message: "{n}00 TLS handshakes failed in the last minute; {n} sessions resumed" },
    ],
    callers: [
      { level: "ERROR", message: "x509: certificate has expired or is not yet valid: current time is after {detail:not_after} (connecting to {callee})" },
      { level: "ERROR", message: "tls: failed to verify certificate for {callee}: x509: certificate has expired" },
    ],
    recovery: [
      { level: "INFO", message: "serving certificate {detail:cert_name} reloaded; valid until {detail:new_not_after}" },
      { level: "INFO", message: "TLS handshakes succeeding again ({n}k in the last minute, 0 failures)" },
    ],
  },
  kb: {
    helpful: {
      title: "TLS handshakes failing with x509 errors",
      tags: ["tls", "certificates"],
      content:
        "Sudden, total handshake failures against one endpoint, with 'x509: certificate has expired' in the clients' logs and no deploy at that time, mean its certificate expired. Check the notAfter date of the certificate it serves and the renewal job's recent runs. Renew or reissue the certificate and reload the service so it serves the new one; connections recover at once. Add alerting on days-to-expiry and on failed renewals. Never work around it by turning off certificate verification in the clients.",
    },
    misleading: {
      title: "Connection errors between services",
      tags: ["network", "tls"],
      content:
        "Connection failures between two services are usually the network. Restart the calling service to reset its connection pools and DNS cache. If the errors mention certificates, set the client's TLS verification to skip until the network team has confirmed the path is healthy.",
    },
  },
  remedies: [
    { kind: "renew_certificate", target: "root", effect: "durable", recoveryMinutes: 2 },
  ],
  wrongFixes: [
    {
      kind: "restart",
      target: "root_callers",
      intensityDelta: 0,
      sideEffects: [{ scope: "root_callers", metric: "error_rate", op: "add", value: 25 }],
      sideEffectMinutes: 5,
    },
    {
      kind: "restart",
      target: "root",
      intensityDelta: 0,
      sideEffects: [{ scope: "root_callers", metric: "error_rate", op: "add", value: 10 }],
      sideEffectMinutes: 2,
    },
  ],
  details: {
    cert_name: ["internal-mtls-serving", "api-tls", "service-mesh-leaf"],
    not_after: ["Mar  2 13:52:00 2026 GMT", "Mar  2 13:50:00 2026 GMT"],
    new_not_after: ["May 31 13:55:00 2026 GMT", "Jun  1 14:00:00 2026 GMT"],
    renew_error: ["ACME challenge failed: 403 from the issuer", "issuer not ready: CA secret not found", "rate limited by the issuer"],
  },
  knowledge: {
    runbook: {
      diagnose: ["certificate_expiry"],
      mitigate: ["renew_certificate"],
      verify: [["tls_recovered", "errors_recovered"]],
      escalate: [["escalate_oncall", "notify_stakeholders"]],
      optional: ["cert_expiry_monitoring", "restart_service", "error_rate_spike", "user_facing_outage", "health_check", "connection_refused"],
      harmful: ["disable_tls_verification"],
    },
    postmortem: {
      rootCause: ["certificate_expiry"],
      trigger: ["certificate_expiry"],
      actionItems: ["cert_expiry_monitoring"],
      optional: ["renew_certificate", "restart_service", "user_facing_outage", "tls_recovered"],
    },
  },
};
