import { buildPreset } from "./preset.js";

/** INC-EASY-002: The payment backend segfaults and stays down; nginx answers 502 on /api/payments. */
export const easy002 = buildPreset({
  id: "INC-EASY-002",
  level: "easy",
  title: "Payment backend crashed behind nginx",
  family: "payments",
  nodes: [
    {
      name: "nginx-ingress",
      kind: "gateway",
      role: "edge reverse proxy and load balancer",
      aliases: ["nginx", "ingress", "nginx ingress", "ingress controller"],
    },
    {
      name: "payment-service",
      kind: "service",
      role: "card payment API (systemd unit on pay-01)",
      aliases: ["payments", "payment service", "payment backend", "payment-svc"],
    },
    {
      name: "checkout-web",
      kind: "service",
      role: "checkout web application",
      aliases: ["checkout", "checkout web", "checkout frontend", "storefront"],
    },
    {
      name: "ledger-db",
      kind: "database",
      role: "PostgreSQL database for payment records",
      aliases: ["ledger", "ledger database", "ledger db"],
    },
    { name: "fraud-check", kind: "service", role: "fraud scoring service", aliases: ["fraud", "fraud service", "fraud check"] },
    { name: "deploy-controller", kind: "config", role: "deploys and config pushes" },
    { name: "coredns", kind: "dns", role: "cluster DNS" },
  ],
  calls: [
    ["nginx-ingress", "checkout-web", 700],
    ["nginx-ingress", "payment-service", 260],
    ["payment-service", "ledger-db", 240, 1000, 1],
    ["payment-service", "fraud-check", 200, 800, 1],
  ],
  fault: "process_crash",
  root: "payment-service",
  onsetMinute: -6,
  startedAt: "2026-03-17T09:05:00Z",
  narrative: {
    alertTitle: "Nginx Elevated 502 Bad Gateway",
    alertDescription:
      "nginx-ingress has answered more than 2% of requests with 502 Bad Gateway for 5 minutes. The failing requests are on /api/payments/*; browsing and cart pages load normally.",
    openingLogs: [
      {
        atMinute: -7,
        level: "ERROR",
        service: "payment-service",
        message: "worker pid 4121: SIGSEGV in libtokenizer.so while parsing card token response (capture request {n})",
      },
      {
        atMinute: -7,
        level: "CRITICAL",
        service: "payment-service",
        message: "systemd: payment-service.service: main process exited, code=dumped, status=11/SEGV (exit status 139), core dumped",
      },
      {
        atMinute: -7,
        level: "WARN",
        service: "payment-service",
        message: "systemd: payment-service.service: failed with result 'core-dump'; Restart=no, unit stays inactive",
      },
      {
        atMinute: -6,
        level: "ERROR",
        service: "nginx-ingress",
        message:
          'connect() failed (111: Connection refused) while connecting to upstream, upstream: "http://10.0.3.21:8443/api/payments/capture"',
      },
      {
        atMinute: -6,
        level: "ERROR",
        service: "checkout-web",
        message: "order {n}: payment capture failed: 502 Bad Gateway from /api/payments/capture",
      },
      { atMinute: -3, level: "WARN", service: "nginx-ingress", message: "no live upstreams while connecting to upstream payment_backend" },
      { atMinute: -1, level: "INFO", service: "fraud-check", message: "scored 0 transactions in the last minute (usual: 240)" },
      { atMinute: 0, level: "CRITICAL", service: "nginx-ingress", message: "502 rate 45% over the last 5 minutes, paging on-call" },
    ],
    kb: [
      {
        id: "KB-NGX-001",
        title: "What an nginx 502 is telling you",
        tags: ["nginx", "502", "upstream"],
        content:
          "A 502 Bad Gateway means nginx could not get a valid answer from the backend it proxies to. 'Connection refused' (errno 111) in the nginx error log means nothing is listening on the upstream port, which almost always means the backend process is down. Check the backend host (systemctl status, journalctl) instead of nginx; reloading nginx does not bring a dead backend back.",
      },
      {
        id: "KB-PAY-005",
        title: "payment-service operations",
        tags: ["payment-service", "systemd"],
        content:
          "payment-service runs as the systemd unit payment-service.service on pay-01. To bring it back: systemctl restart payment-service, then systemctl status payment-service and curl http://localhost:8443/healthz. If it died on a signal, keep the core file under /var/lib/systemd/coredump for the payments team before it is rotated.",
      },
    ],
  },
});
