import type { FaultDefinition } from "../../sim/fault-types.js";

/**
 * The TLS certificate a service presents expires because its renewal had been failing quietly.
 * From that instant every new handshake fails; only connections opened before the expiry keep
 * working. Nothing was deployed. Renewing the certificate (and reloading it) is the fix.
 */
export const certificateExpiry: FaultDefinition = {
  kind: "certificate_expiry",
  title: "Expired TLS certificate",
  injectable: ["service", "search", "database"],
  occasionalHosts: ["cache", "queue"],
  trigger: {
    event: "certificate_expiry",
    description: "cert-manager: certificate {detail:cert_name} for {root} not renewed: {detail:renew_error}",
  },
  mechanism:
    "The serving certificate {detail:cert_name} of {root} expired at {expired_at}; its automatic renewal had been failing ({detail:renew_error}) and nobody was alerted. Every new TLS handshake to {root} now fails certificate verification, so callers cannot open connections; only connections opened before the expiry still work. Nothing was deployed and the network is fine.",
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
      {
        level: "ERROR",
        message: "http: TLS handshake error from 10.{n}.4.19:5{n}12: remote error: tls: bad certificate",
        paraphrases: {
          public: [
            "SSL_do_handshake() failed (SSL: error:0A000412:SSL routines::sslv3 alert bad certificate) while SSL handshaking, client: 10.{n}.4.19:5{n}12",
            "tls handshake failed peer=10.{n}.4.19:5{n}12 alert=bad_certificate",
          ],
          held_out: [
            '{"msg":"handshake aborted","remote":"10.{n}.4.19:5{n}12","tls_alert":"bad certificate"}',
            "client 10.{n}.4.19:5{n}12 rejected our certificate during the TLS handshake",
          ],
        },
      },
      {
        level: "WARN",
        message: "serving certificate {detail:cert_name} is outside its validity period (notAfter {expired_at})",
        paraphrases: {
          public: [
            'cert={detail:cert_name} status=expired not_after="{expired_at}"',
            "WARNING: certificate {detail:cert_name} expired at {expired_at}",
          ],
          held_out: [
            "the {detail:cert_name} keypair we present stopped being valid on {expired_at}",
            '{"certificate":"{detail:cert_name}","valid_until":"{expired_at}","is_valid":false}',
          ],
        },
      },
      {
        level: "ERROR",
        message: "{n}00 TLS handshakes failed in the last minute; {n} sessions resumed",
        paraphrases: {
          public: ["tls_handshake_failures_1m={n}00 resumed_sessions={n}", "TLS: {n}00 handshake failures/min, {n} resumptions"],
          held_out: [
            '{"tls":{"handshake_errors":{n}00,"resumed":{n}},"window":"1m"}',
            "in the past minute {n}00 clients could not complete a handshake ({n} reused an old session)",
          ],
        },
      },
    ],
    callers: [
      {
        level: "ERROR",
        message: "x509: certificate has expired or is not yet valid: current time is after {expired_at} (connecting to {callee})",
        paraphrases: {
          public: [
            "javax.net.ssl.SSLHandshakeException: PKIX path validation failed: java.security.cert.CertificateExpiredException: NotAfter: {expired_at} ({callee})",
            "SSL routines:tls_process_server_certificate:certificate verify failed: certificate has expired (host {callee}, notAfter {expired_at})",
          ],
          held_out: [
            "peer {callee} presented a certificate that lapsed at {expired_at}; handshake refused",
            '{"tls.peer":"{callee}","verify_error":"CERT_HAS_EXPIRED","not_after":"{expired_at}"}',
          ],
        },
      },
      {
        level: "ERROR",
        message: "tls: failed to verify certificate for {callee}: x509: certificate has expired",
        paraphrases: {
          public: [
            "curl: (60) SSL certificate problem: certificate has expired ({callee})",
            "upstream={callee} tls_verify=failed reason=cert_expired",
          ],
          held_out: [
            "remote {callee}: server certificate no longer valid, refusing to connect",
            '{"dest":"{callee}","tls_error":"expired_certificate"}',
          ],
        },
      },
    ],
    recovery: [
      {
        level: "INFO",
        message: "serving certificate {detail:cert_name} reloaded; valid until {renewed_until}",
        paraphrases: {
          public: [
            'cert={detail:cert_name} reloaded=true not_after="{renewed_until}"',
            "Loaded renewed certificate {detail:cert_name} (expires {renewed_until})",
          ],
          held_out: [
            "fresh {detail:cert_name} keypair in use, good through {renewed_until}",
            '{"certificate":"{detail:cert_name}","rotated":true,"valid_until":"{renewed_until}"}',
          ],
        },
      },
      {
        level: "INFO",
        message: "TLS handshakes succeeding again ({n}k in the last minute, 0 failures)",
        paraphrases: {
          public: ["tls_handshakes_1m={n}k failures=0", "TLS: {n}k handshakes/min, no failures"],
          held_out: [
            '{"tls":{"handshake_ok":"{n}k","handshake_errors":0}}',
            "clients negotiate TLS cleanly again, {n}k sessions in the past minute",
          ],
        },
      },
    ],
  },
  remedies: [{ kind: "renew_certificate", target: "root", effect: "durable", recoveryMinutes: 2 }],
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
    renew_error: ["ACME challenge failed: 403 from the issuer", "issuer not ready: CA secret not found", "rate limited by the issuer"],
  },
  knowledge: {
    runbook: {
      diagnose: ["certificate_expiry"],
      mitigate: ["renew_certificate"],
      verify: [["tls_recovered", "errors_recovered"]],
      escalate: [["escalate_oncall", "notify_stakeholders"]],
      optional: [
        "cert_expiry_monitoring",
        "restart_service",
        "error_rate_spike",
        "user_facing_outage",
        "health_check",
        "connection_refused",
      ],
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
