/**
 * Pool articles about failing requests: errors that begin with a change, errors confined to one
 * service, to some call paths or everywhere at once, transport-level failures, fast refusals and
 * trouble with an outside provider.
 */
import type { KbPoolArticle } from "./types.js";

export const ERROR_ARTICLES: readonly KbPoolArticle[] = [
  {
    key: "errors-after-change",
    symptoms: ["errors", "change"],
    fits: ["bad_deploy", "config_push", "stale_credentials"],
    wordings: {
      public: {
        id: "KB-1604",
        title: "5xx that start with a change",
        tags: ["errors", "change-management", "rollback"],
        content:
          "Use this when a service's error rate steps up within a few minutes of something changing on it. Open the change log for the failing service before anything else and match the first bad minute to an entry. A new build that went live at that minute, with an exception in the logs that was not there before, points to the code: roll back to the previous version. A configuration or flag change with no new build points to the config: revert that change, since rolling the binary back keeps the bad value. A secret or credential rotation points to processes still holding the old value: restart them so they load the new one, and do not undo the rotation. Restarts and extra replicas do not help the first two.",
      },
      heldOut: [
        {
          id: "KB-5286",
          title: "Failure rate jumped right after a rollout, flag flip or key rotation",
          tags: ["incident-triage", "changes", "revert"],
          content:
            "Most outages follow a change, so line the onset up against the deployment and configuration history of whatever is returning server errors. Three kinds of change account for nearly all of these pages. If a fresh build began serving at the onset and its logs carry stack traces nobody saw yesterday, revert the release. If only settings moved (a flag, a limit, a rule) and the binary is the same, put the old settings back; redeploying the old build leaves the new settings in place. If the change was a rotated password or key, the failing processes probably cached the retired one: bounce them to pick up the current secret, and leave the rotation in place. Adding pods or bouncing a broken release changes nothing.",
        },
      ],
    },
  },
  {
    key: "errors-one-service",
    symptoms: ["errors"],
    fits: ["bad_deploy", "process_crash", "certificate_expiry", "stale_credentials"],
    wordings: {
      public: {
        id: "KB-5953",
        title: "One service failing while everything it calls looks healthy",
        tags: ["errors", "triage"],
        content:
          "When the errors begin at one service and its own dependencies answer normally, the fault is in that service or in how others connect to it. Look at three things. Its request rate and CPU: if both fell when the errors began and callers log 'connection refused', the process is not running; restart it, or roll back if it crashes on start. Its callers' logs: TLS handshake or x509 errors mean the certificate it presents is no longer accepted; renew and reload it. Its own logs: authentication failures against its stores after a credential change mean it holds a stale secret; restart it to reload. A new exception right after a deploy means a regression; roll back.",
      },
      heldOut: [
        {
          id: "KB-9864",
          title: "Errors isolated to a single component with clean dependencies",
          tags: ["localisation", "failures"],
          content:
            "If a single component is throwing errors and every downstream call it makes still succeeds, stop looking further down the graph. Narrow it with its own telemetry. Traffic and processor use collapsing together, with clients reporting refused connections, means the process is down: bring it back, and if it keeps dying at startup go back to the last good version. Clients failing during the TLS negotiation, with messages about certificate validity, means its serving certificate lapsed: issue a new one and reload. Access-denied responses from its datastores right after keys changed mean it is still presenting old credentials: a restart picks up the current ones. A stack trace that appeared with the latest release is a code regression: revert the release.",
        },
      ],
    },
  },
  {
    key: "errors-some-paths",
    symptoms: ["errors", "network"],
    fits: ["network_partition", "dns_failure", "certificate_expiry"],
    wordings: {
      public: {
        id: "KB-3410",
        title: "Errors on some call paths only",
        tags: ["errors", "network", "topology"],
        content:
          "If some callers fail and others are fine, map the failing calls on the topology before blaming any one service. Failures only on calls between two availability zones, while calls within a zone succeed, point at the network between zones: fail over or drain traffic away from the broken zone; restarting services does not fix a link. Failures on every call that needs a name lookup, with 'no such host' or resolver timeouts, point at DNS: revert the last resolver configuration change. Failures only on calls into one service, with TLS or x509 errors on the caller side, point at that service's certificate: renew it. In each case the services that log the errors are victims, not the cause.",
      },
      heldOut: [
        {
          id: "KB-3735",
          title: "Partial failure: which requests break and which don't",
          tags: ["partial-outage", "connectivity"],
          content:
            "A fault that breaks only a subset of requests leaves a pattern; draw it before you act. Group the failing edges by caller, callee and location. If every broken edge crosses from one availability zone to another and same-zone traffic is healthy, the inter-zone fabric is at fault: shift traffic off the affected zone or fail over. If every broken request failed while resolving a hostname (NXDOMAIN, lookup timeouts), the resolver is at fault, usually after an edit to its configuration: roll that edit back. If only clients of one backend fail, and they fail during the TLS negotiation, that backend's certificate has lapsed: reissue it. The components emitting the errors are rarely the ones to fix.",
        },
      ],
    },
  },
  {
    key: "errors-everywhere-at-once",
    symptoms: ["errors", "network", "change"],
    fits: ["dns_failure", "network_partition", "config_push"],
    wordings: {
      public: {
        id: "KB-5649",
        title: "Many services failing at the same minute",
        tags: ["errors", "shared-infrastructure", "outage"],
        content:
          "When unrelated services start failing within the same minute, look for something they all share rather than debugging each one. Three shared things break everything at once. Name resolution: 'no such host' in many logs and resolver latency up, often right after a change to the resolver's configuration; revert it. The network between zones: failures and latency only on cross-zone calls; fail over or drain the bad zone. A configuration push: a setting or rule rolled out to all instances at once, with CPU pinned or errors spiking the minute it was applied; revert the config (a binary rollback keeps the bad config). Restarting every service wastes time and adds cold-start load.",
      },
      heldOut: [
        {
          id: "KB-7448",
          title: "Simultaneous failures across unrelated components",
          tags: ["fleet-wide", "common-cause"],
          content:
            "Independent components do not break in the same minute by coincidence. Ask what they have in common and inspect that. If hostnames stopped resolving across the fleet, the cluster resolver is the common factor; check its change history and undo the latest edit. If the breakage follows zone boundaries, with cross-zone requests timing out or resetting and same-zone ones healthy, the interconnect is the common factor; move traffic away from the impaired zone. If a settings rollout reached every instance at once, the configuration is the common factor; look for processors maxed out or a burst of errors at the moment it applied, and roll the settings back rather than the build. Mass restarts only add noise.",
        },
      ],
    },
  },
  {
    key: "connections-refused-or-reset",
    symptoms: ["errors", "network"],
    fits: ["process_crash", "certificate_expiry", "network_partition", "connection_pool_exhaustion"],
    wordings: {
      public: {
        id: "KB-4886",
        title: "Connection refused, reset or failing the handshake",
        tags: ["connections", "tls", "errors"],
        content:
          "Connection-level errors say the call never reached application code. The exact error tells you where to look. 'Connection refused' from every caller of one service, with that service's traffic and CPU near zero: the process is not listening; restart it, and roll back if it crashes on start. TLS handshake failures or 'x509: certificate has expired': renew the callee's certificate; restarting callers does not help. Resets and timeouts only on calls that cross zones: a network fault between zones; fail over or drain the zone. A database that accepts the TCP connection but rejects the session because all connection slots are taken: free connections and cap client pools.",
      },
      heldOut: [
        {
          id: "KB-5391",
          title: "Calls failing before they reach the application",
          tags: ["transport", "handshake"],
          content:
            "When clients cannot even establish a session, skip the application logs and read the transport error. Refusals from a single backend whose request volume and processor use dropped to almost nothing: nothing is listening any more; start it again, and revert its last release if it will not stay up. Failed TLS negotiation citing certificate validity: the backend's certificate has run out; reissue and reload it, since bouncing clients changes nothing. Resets and timeouts confined to traffic between availability zones: the fabric between them is impaired; move traffic away from the affected zone. A database accepting sockets but turning sessions away because every slot is in use: release connections and limit each client's pool.",
        },
      ],
    },
  },
  {
    key: "requests-rejected",
    symptoms: ["errors"],
    fits: ["stale_credentials", "quota_throttling", "cache_memory_full", "disk_full"],
    wordings: {
      public: {
        id: "KB-2417",
        title: "Requests rejected by a dependency",
        tags: ["errors", "http-status", "limits"],
        content:
          "A dependency that answers quickly with a refusal is healthy enough to say no; read the status and the message. 401 or 403 from internal stores right after a secret rotation: the caller still uses the old credential; restart or redeploy the caller so it reads the new secret, and do not rotate again. 429 Too Many Requests from a provider: you are over your quota; back off, reduce retries on the callers, and ask for a higher limit. 'OOM command not allowed' from a cache: it is at its memory limit with eviction off; restore the eviction setting. 'No space left on device' on writes: the store's disk is full; free space or grow the volume.",
      },
      heldOut: [
        {
          id: "KB-3649",
          title: "Fast refusals from a backend",
          tags: ["refusals", "status-codes"],
          content:
            "Errors that come back immediately, with a clear status, come from a dependency that is up and deliberately declining work. The refusal names the reason. Unauthorized or forbidden responses starting when credentials were rotated: the client is still presenting the retired secret; reload it by restarting the client, and leave the new credential alone. Quota-exceeded responses from an external provider: the account's rate allowance is used up; slow down, trim the callers' retries, and request a larger allowance. Out-of-memory refusals from an in-memory store: its ceiling was reached with eviction disabled; bring back the previous eviction setting. Write failures reporting an out-of-space device: reclaim storage or extend the volume.",
        },
      ],
    },
  },
  {
    key: "provider-errors",
    symptoms: ["errors", "latency"],
    fits: ["quota_throttling", "dependency_timeout", "dns_failure", "third_party_outage"],
    wordings: {
      public: {
        id: "KB-8610",
        title: "A third-party API failing or slow",
        tags: ["vendors", "third-party", "errors"],
        content:
          "When calls to an outside provider fail, decide whether the problem is theirs, your account's, or your path to them. 429 responses and a call rate that has crept up: you are being throttled; back off, cut retries, and raise the quota with the provider. Fast 503s or connection resets for nearly every call, with nothing changed on your side: the provider is down; fail over to the secondary provider or switch the feature off, and open a ticket with them, since only they can fix it. Responses that take tens of seconds while your service's outbound connections are all busy: the provider is slow and you wait on it; shorten your timeout and switch off the feature that needs it. 'No such host' on the provider's hostname, together with internal names failing to resolve: it is your resolver; revert its recent change.",
      },
      heldOut: [
        {
          id: "KB-1559",
          title: "External vendor errors: theirs, ours, or in between",
          tags: ["integrations", "external-dependencies"],
          content:
            "Trouble with an outside vendor has a few usual explanations, and each calls for a different owner. Quota-exceeded responses while your request volume to them has been rising: your account is being rate-limited; ease off, reduce retrying, and ask the vendor for more headroom. Nearly every request refused at once with 'service unavailable' while your own deployments and settings are unchanged: the vendor is having an outage; route to the backup vendor or turn the dependent feature off, and raise it with the vendor, who alone can repair it. Requests that hang for many seconds until your outbound connections are exhausted: the vendor is degraded; reduce the deadline and flip the dependent feature off. Lookups of the vendor's hostname failing alongside internal names: the failure is in your own name resolution; roll back the latest resolver change.",
        },
      ],
    },
  },
  {
    key: "one-dependency-down-for-every-caller",
    symptoms: ["errors", "network"],
    fits: ["third_party_outage", "process_crash", "certificate_expiry", "dns_failure"],
    wordings: {
      public: {
        id: "KB-2738",
        title: "Every caller of one dependency failing at once",
        tags: ["errors", "dependencies", "blast-radius"],
        content:
          "If every service that calls one dependency starts failing in the same minute, the dependency is the place to look, and how the calls fail tells you why. Connection refused from all callers: its processes are not running; start them and check why they died. TLS handshake or x509 errors: its certificate expired; renew and reload it. 'No such host' for it and other names: name resolution broke; revert the resolver change. 503s or resets from an outside provider whose status page reports an incident, while nothing changed on your side: it is their outage; fail over to your secondary provider or degrade the feature, and escalate to the provider's support.",
      },
      heldOut: [
        {
          id: "KB-6092",
          title: "A shared dependency took all of its clients down together",
          tags: ["fan-in", "shared-dependency"],
          content:
            "Simultaneous failures across all clients of a single dependency localise the problem to that dependency; the failure message says what kind. Refused connections everywhere: nothing is listening, so bring the process back and find out why it exited. Certificate validation failures during negotiation: the serving certificate lapsed, so issue and load a new one. Host lookups failing for it and for unrelated internal names: the resolver is broken, so undo its latest configuration. Unavailable responses from an external vendor that is reporting an incident of its own, with no recent change by you: it is the vendor's outage, so switch traffic to the standby vendor or turn the feature off, and raise a case with the vendor.",
        },
      ],
    },
  },
  {
    key: "page-with-healthy-dashboards",
    symptoms: ["slow_burn", "change"],
    fits: ["false_alarm", "disk_full", "memory_leak", "queue_poison_pill"],
    wordings: {
      public: {
        id: "KB-4417",
        title: "Paged, but users are fine",
        tags: ["alerting", "triage", "no-impact"],
        content:
          "Sometimes a page arrives while error rates and latency at the edge look normal and nobody reports a problem. Read what the alert measured and compare it with the metric's usual level and documented threshold. A saturation metric creeping up over the last hour (disk filling, heap growing) is a slow burn that will hurt soon: act on it now. Consumer lag rising while user requests still succeed means background work is stuck on one poison message: skip it. If the paged metric is flat and normal and the alert's threshold is below that level, look for a recent change to the alerting rules: it is a false alarm. Put the threshold back and change nothing in the system.",
      },
      heldOut: [
        {
          id: "KB-8825",
          title: "An alert with no visible customer impact",
          tags: ["paging", "signal-quality"],
          content:
            "A page without customer impact still deserves a look, but not a fix by reflex. Start with the alert's own numbers: which metric, what value, what threshold, and how that threshold compares with the metric's long-run level. Steady growth in storage or memory use points to exhaustion on its way; deal with it before it bites. A backlog growing in a queue while the front door is healthy points to consumers stuck on a record they cannot process: move past that record. A metric sitting at its normal value while the rule fires anyway means the rule is wrong, often after someone edited the alert definitions; restore the previous threshold and leave the service untouched.",
        },
      ],
    },
  },
  {
    key: "page-after-config-change",
    symptoms: ["change", "errors"],
    fits: ["false_alarm", "config_push", "dns_failure", "cache_memory_full"],
    wordings: {
      public: {
        id: "KB-7350",
        title: "A page soon after a configuration change",
        tags: ["config", "change-management", "alerting"],
        content:
          "When a page follows a configuration change, find out what the change touched before reverting anything. A service's runtime configuration pushed to every instance at once, with CPU going to 100% right after: revert the push. The resolver's configuration (stub domains, forwarders), with lookups failing everywhere: revert the resolver change. A cache's memory or eviction settings, with writes refused: restore the previous eviction setting. Only the alerting rules, with the paged metric at its usual value: nothing is broken; it is a false alarm, so put the rule back and leave the system alone. Reverting config that did not cause the page adds risk without helping.",
      },
      heldOut: [
        {
          id: "KB-2269",
          title: "Alerts that follow a settings rollout",
          tags: ["settings", "rollouts", "paging"],
          content:
            "A settings rollout shortly before a page is a strong lead, but which settings matter. Application settings shipped to the whole fleet in one go, followed by processors pegged at full use: roll those settings back. Name-server settings such as stub or forwarding zones, followed by resolution failures across the board: restore the previous resolver settings. Memory ceiling or eviction settings on an in-memory store, followed by rejected writes: bring back the old eviction behaviour. Monitoring definitions only, while the measured value is where it always sits: the system is fine and the rule is wrong; restore the rule and do not touch production.",
        },
      ],
    },
  },
];
