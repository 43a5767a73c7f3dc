import type { ScenarioTemplate } from "../types.js";

/**
 * The payment backend's process died on a segmentation fault and systemd did not bring it back.
 * The loud symptom is nginx answering 502 Bad Gateway; the quiet one is a payment process whose
 * CPU reads exactly zero.
 */
export const easy002: ScenarioTemplate = {
  id: "INC-EASY-002",
  level: "easy",
  title: "Payment backend crashed behind nginx",
  services: [
    { name: "nginx-ingress", aliases: ["nginx", "ingress", "nginx ingress", "ingress controller"], role: "edge reverse proxy and load balancer" },
    { name: "payment-service", aliases: ["payments", "payment service", "payment backend", "payment-svc"], role: "card payment API (systemd unit on pay-01)" },
    { name: "checkout-web", aliases: ["checkout", "checkout web", "checkout frontend", "storefront"], role: "checkout web application" },
    { name: "ledger-db", aliases: ["ledger", "ledger database", "ledger db"], role: "PostgreSQL database for payment records" },
    { name: "fraud-check", aliases: ["fraud", "fraud service", "fraud check"], role: "fraud scoring service" },
  ],
  alert: {
    id: "ALT-002",
    title: "Nginx Elevated 502 Bad Gateway",
    severity: "P2",
    affectedServices: ["nginx-ingress", "payment-service"],
    description:
      "nginx-ingress has answered more than 2% of requests with 502 Bad Gateway for 5 minutes. The failing requests are on /api/payments/*; browsing and cart pages load normally.",
  },
  metrics: [
    { service: "nginx-ingress", metric: "http_502_rate", unit: "%", threshold: 2, direction: "above", baseline: 0.1, atPage: 45, driftPerMinute: 0.4, worst: 55, noise: 0.03 },
    { service: "nginx-ingress", metric: "upstream_connect_errors", unit: "count", threshold: 10, direction: "above", baseline: 0, atPage: 310, driftPerMinute: 4, worst: 420, noise: 0.05 },
    { service: "payment-service", metric: "cpu_usage", unit: "%", threshold: 80, direction: "above", baseline: 22, atPage: 0, driftPerMinute: 0, worst: 0, noise: 0 },
    { service: "payment-service", metric: "process_up", unit: "count", threshold: 1, direction: "below", baseline: 1, atPage: 0, driftPerMinute: 0, worst: 0, noise: 0 },
    { service: "checkout-web", metric: "payment_success_rate", unit: "%", threshold: 95, direction: "below", baseline: 98.6, atPage: 3.5, driftPerMinute: 0.2, worst: 0, noise: 0.05 },
    { service: "ledger-db", metric: "cpu_usage", unit: "%", threshold: 80, direction: "above", baseline: 14, atPage: 6, driftPerMinute: 0, worst: 6, noise: 0.05 },
  ],
  openingLogs: [
    { atMinute: -7, level: "ERROR", service: "payment-service", message: "worker pid 4121: SIGSEGV in libtokenizer.so while parsing card token response (capture request {n})", trace: "crash" },
    { atMinute: -7, level: "CRITICAL", service: "payment-service", message: "systemd: payment-service.service: main process exited, code=dumped, status=11/SEGV (exit status 139), core dumped", trace: "crash" },
    { atMinute: -7, level: "WARN", service: "payment-service", message: "systemd: payment-service.service: failed with result 'core-dump'; Restart=no, unit stays inactive" },
    { atMinute: -6, level: "ERROR", service: "nginx-ingress", message: "connect() failed (111: Connection refused) while connecting to upstream, upstream: \"http://10.0.3.21:8443/api/payments/capture\"", trace: "pay" },
    { atMinute: -6, level: "ERROR", service: "checkout-web", message: "order {n}: payment capture failed: 502 Bad Gateway from /api/payments/capture", trace: "pay" },
    { atMinute: -3, level: "WARN", service: "nginx-ingress", message: "no live upstreams while connecting to upstream payment_backend" },
    { atMinute: -1, level: "INFO", service: "fraud-check", message: "scored 0 transactions in the last minute (usual: 240)" },
    { atMinute: 0, level: "CRITICAL", service: "nginx-ingress", message: "502 rate 45% over the last 5 minutes, paging on-call" },
  ],
  activeLogs: [
    { level: "ERROR", service: "nginx-ingress", message: "connect() failed (111: Connection refused) while connecting to upstream payment_backend (10.0.3.21:8443)", trace: "req" },
    { level: "ERROR", service: "checkout-web", message: "order {n}: payment step failed with 502 Bad Gateway; customer shown 'please try again'", trace: "req" },
    { level: "WARN", service: "nginx-ingress", message: "no live upstreams while connecting to upstream payment_backend" },
    { level: "WARN", service: "payment-service", message: "systemd: payment-service.service is inactive (dead) since the core dump {n} minutes ago" },
    { level: "INFO", service: "checkout-web", message: "{n} customers abandoned checkout at the payment step in the last minute" },
  ],
  recoveryLogs: [
    { level: "INFO", service: "payment-service", message: "systemd: started payment-service.service; listening on 0.0.0.0:8443" },
    { level: "INFO", service: "nginx-ingress", message: "upstream payment_backend 10.0.3.21:8443 is back in rotation" },
    { level: "INFO", service: "checkout-web", message: "payment success rate 99% over the last 3 minutes" },
  ],
  backgroundLogs: [
    { level: "INFO", service: "ledger-db", message: "checkpoint complete: wrote {n} buffers" },
    { level: "INFO", service: "nginx-ingress", message: "GET /catalog 200 in {n} ms" },
    { level: "DEBUG", service: "fraud-check", message: "model cache refreshed ({n} rules)" },
  ],
  kb: [
    {
      id: "KB-NGX-001",
      title: "What an nginx 502 is telling you",
      tags: ["nginx", "502", "upstream"],
      content:
        "A 502 Bad Gateway means nginx could not get a valid answer from the backend it proxies to. " +
        "'Connection refused' (errno 111) in the nginx error log means nothing is listening on the upstream port, which almost always means the backend process is down. " +
        "Check the backend host (systemctl status, journalctl) instead of nginx; reloading nginx does not bring a dead backend back.",
    },
    {
      id: "KB-PAY-005",
      title: "payment-service operations",
      tags: ["payment-service", "systemd"],
      content:
        "payment-service runs as the systemd unit payment-service.service on pay-01. " +
        "To bring it back: systemctl restart payment-service, then systemctl status payment-service and curl http://localhost:8443/healthz. " +
        "If it died on a signal, keep the core file under /var/lib/systemd/coredump for the payments team before it is rotated.",
    },
  ],
  truth: {
    rootService: "payment-service",
    faultClass: "process_crash",
    rootCause:
      "The payment-service process crashed with a segmentation fault in a native library while parsing a card-token response. Its systemd unit had Restart=no, so it stayed down; nginx found nothing listening on the upstream port and answered 502 for every payment request.",
    severity: "P2",
  },
  fix: {
    targets: ["payment-service"],
    concepts: ["restart_service"],
    recoveryMinutes: 6,
    feedback: "payment-service is running again and listening on 8443; nginx is putting it back in rotation.",
  },
  harmfulFixes: [
    {
      concept: "restart_service",
      targets: ["nginx-ingress"],
      feedback: "nginx-ingress restarted: in-flight requests for every site were dropped, and payment requests still find no backend.",
      worsens: ["nginx-ingress/http_502_rate", "checkout-web/payment_success_rate"],
    },
    {
      concept: "scale_out",
      targets: ["nginx-ingress", "checkout-web"],
      feedback: "More front-end capacity came up, but every payment request still ends at a dead backend.",
      worsens: ["nginx-ingress/upstream_connect_errors"],
    },
  ],
  runbook: {
    diagnose: ["connection_refused", "process_crash"],
    mitigate: ["restart_service"],
    verify: ["health_check", "errors_recovered"],
    optional: ["auto_restart", "crash_analysis", "payment_failures"],
    harmful: ["scale_out"],
  },
  postmortem: {
    summary: ["process_crash", "error_rate_spike"],
    root_cause: ["process_crash", "connection_refused"],
    timeline: ["incident_began", "alert_fired", "incident_mitigated"],
    impact: ["payment_failures"],
    action_items: ["auto_restart", "crash_analysis"],
    optional: ["restart_service", "connection_refused"],
  },
};
