/**
 * The written-answer graders are fair to honest wording: clock times in any common form,
 * relative times ("12 minutes after the page"), alternatives the writer rejected ("we considered
 * rolling back but ..."), everyday synonyms of fixes ("bounced the pods", "put the previous
 * Corefile back"), impact statements that name the services that matter rather than every
 * service that degraded a little, asides about unrelated noise, task priorities, timelines that
 * mention an earlier time again, and root-cause sections that refer back to the root the summary
 * named. Each case is paired with what must still not pay.
 */
import { describe, expect, it } from "vitest";
import type { Action } from "../gen/incident/v1/action_pb.js";
import { FaultKind, RemediationKind } from "../gen/incident/v1/enums_pb.js";
import { focusFactor, profile } from "../src/grading/concepts.js";
import { factsOf } from "../src/grading/episode/facts.js";
import { impactScore, servicesThatMatter } from "../src/grading/episode/impact.js";
import { EPISODE_GRADERS } from "../src/grading/episode/index.js";
import { statedTimes, timelineScore } from "../src/grading/episode/timeline.js";
import type { EpisodeRecord } from "../src/grading/record.js";
import { timeMentions } from "../src/grading/time-mentions.js";
import {
  ROOT,
  clock,
  diagnose,
  fix,
  fixtureSpec,
  inspect,
  play,
  postmortem,
  runbook,
  SERVICE_NAMES,
  type Played,
} from "./support/grading-fixture.js";
import { FAULT_TOPOLOGY, faultSpec } from "./support/fault-topology.js";

const HONEST_STEPS: readonly Action[] = [
  inspect(ROOT),
  diagnose(ROOT, FaultKind.CONNECTION_POOL_EXHAUSTION),
  fix(ROOT, RemediationKind.RAISE_LIMIT, {}, "raise max_connections on orders-db"),
  inspect("orders-service", "check that the callers recovered"),
  inspect(ROOT, "check the connection count stays down"),
];

/** 2024-05-14 13:00 UTC: the afternoon, so 12-hour times read differently from 24-hour ones. */
const AFTERNOON_MS = Date.UTC(2024, 4, 14, 13, 0, 0);

function played(startedAtMs?: number): Played {
  return play(HONEST_STEPS, startedAtMs === undefined ? {} : { spec: fixtureSpec({ startedAtMs }) });
}

/** The minutes of the four key events of a played fixture episode. */
function keyMinutes(p: Played): { onset: number; page: number; fix: number; recovered: number } {
  const fixMinute = p.record.steps.find((s) => s.remediation?.kind === "fixed")?.minute;
  const recovered = p.record.world.timeline.find((e) => e.kind === "mitigated")?.minute;
  if (fixMinute === undefined || recovered === undefined) throw new Error("the honest play did not fix and recover");
  return { onset: p.record.spec.onsetMinute, page: p.record.world.pageMinute, fix: fixMinute, recovered };
}

function timeline(record: EpisodeRecord, text: string): { score: number; detail: string } {
  return timelineScore(factsOf(record), text);
}

/** A time of day as "1:05 PM" (or "1:05pm" etc. through `style`). */
function twelveHour(minute: number, startedAtMs: number, style: (h: number, m: string, pm: boolean) => string): string {
  const d = new Date(startedAtMs + minute * 60_000);
  const h = d.getUTCHours();
  return style(h % 12 === 0 ? 12 : h % 12, String(d.getUTCMinutes()).padStart(2, "0"), h >= 12);
}

describe("clock times in the forms people write", () => {
  it.each([
    ["at 1:05 PM the page fired", 13 * 60 + 5],
    ["1:05pm page", 13 * 60 + 5],
    ["1 PM: first errors", 13 * 60],
    ["9.05am", 9 * 60 + 5],
    ["13:05 UTC", 13 * 60 + 5],
    ["1305Z", 13 * 60 + 5],
    ["0905 UTC", 9 * 60 + 5],
    ["09:10Z errors", 9 * 60 + 10],
    ["09:05:30", 9 * 60 + 5.5],
    ["1:05 PM PST", 21 * 60 + 5],
  ])("%s", (text, minutes) => {
    const read = timeMentions(text);
    expect(read).toHaveLength(1);
    expect(read[0]).toMatchObject({ kind: "clock", minutesOfDay: minutes });
  });

  it("reads an ISO timestamp as an instant and a range as both of its ends", () => {
    expect(timeMentions("2024-05-14T13:05:00Z rollback")).toEqual([
      { kind: "instant", index: 0, end: 20, epochMs: Date.UTC(2024, 4, 14, 13, 5) },
    ]);
    expect(timeMentions("09:05–09:20 errors").map((m) => (m.kind === "clock" ? m.minutesOfDay : -1))).toEqual([545, 560]);
  });

  it.each([
    "deployed v1.4.2 and v2.10.3",
    "errors peaked at 43.8% and 12.5 percent",
    "for 12 minutes, and again within 3 minutes",
    "p99 at 2 s with a 2000 ms timeout",
    "scaled from 6 to 24 replicas, 1305 errors in the log, port 5432",
    "a few minutes later it recovered",
    "it happened 20 minutes ago",
    "the incident of 2024-05-14 and the one on March 2",
  ])("reads no time in %s", (text) => {
    expect(timeMentions(text)).toEqual([]);
  });

  const p = played(AFTERNOON_MS);
  const k = keyMinutes(p);
  const hhmm = (m: number): string => clock(m, AFTERNOON_MS);
  const story = (at: (m: number) => string): string =>
    [
      `${at(k.onset)} autoscaler scaled orders-service from 6 to 24 replicas.`,
      `${at(k.page)} paged for errors on api-gateway.`,
      `${at(k.fix)} raised max_connections on orders-db.`,
      `${at(k.recovered)} error rates back to normal.`,
    ].join("\n");
  const baseline = timeline(p.record, story(hhmm));

  it("an afternoon incident's 24-hour timeline covers every key event", () => {
    expect(baseline.score, baseline.detail).toBe(1);
  });

  it.each([
    ["12-hour with a space", (m: number) => twelveHour(m, AFTERNOON_MS, (h, mm, pm) => `${h}:${mm} ${pm ? "PM" : "AM"}`)],
    ["12-hour glued, lower case", (m: number) => twelveHour(m, AFTERNOON_MS, (h, mm, pm) => `${h}:${mm}${pm ? "pm" : "am"}`)],
    ["12-hour with dots", (m: number) => twelveHour(m, AFTERNOON_MS, (h, mm, pm) => `${h}:${mm} ${pm ? "p.m." : "a.m."}`)],
    ["24-hour with UTC", (m: number) => `${hhmm(m)} UTC`],
    ["military Zulu", (m: number) => `${hhmm(m).replace(":", "")}Z`],
    ["ISO timestamps", (m: number) => new Date(AFTERNOON_MS + m * 60_000).toISOString().replace(".000", "")],
  ])("%s scores as the 24-hour timeline does", (_name, at) => {
    const graded = timeline(p.record, story(at));
    expect(graded.score, `${graded.detail}\n${story(at)}`).toBe(baseline.score);
  });

  it("version numbers, percentages and durations next to the times add no times", () => {
    const noisy = story(hhmm).replace("replicas.", "replicas (v1.4.2, 43.8% errors for 12 minutes, p99 at 2 s).");
    expect(statedTimes(factsOf(p.record), noisy)).toHaveLength(4);
    expect(timeline(p.record, noisy).score).toBe(1);
  });
});

describe("relative times are placed on the episode's clock", () => {
  const p = played();
  const k = keyMinutes(p);
  const facts = factsOf(p.record);

  it("anchors on the page, the previous time, the deploy and the fix", () => {
    const text = [
      `${clock(k.onset)} UTC: the autoscaler scaled orders-service to 24 replicas.`,
      `${k.page - k.onset} minutes later the page fired.`,
      `${k.fix - k.page} minutes after the page we raised max_connections.`,
      `Errors were back to normal ${k.recovered - k.fix} minutes after the fix.`,
    ].join(" ");
    expect(statedTimes(facts, text).map((t) => t.minute)).toEqual([k.onset, k.page, k.fix, k.recovered]);
    expect(timeline(p.record, text).score).toBe(1);
  });

  it("reads number words, 'before', and page+Nm", () => {
    const text = `The page fired at ${clock(k.page)}. The change went out seven minutes before the page. We raised the limit at page+${k.fix - k.page}m.`;
    expect(statedTimes(facts, text).map((t) => t.minute)).toEqual([k.page, k.page - 7, k.fix]);
  });

  it("a time anchored on an event never matches that event itself", () => {
    // "0 minutes after onset" says nothing about when the onset was.
    for (const cheat of [
      `Errors began 0 minutes after onset; the page came ${k.page - k.onset} minutes after onset.`,
      "Errors began at onset+0m. One minute later the database refused connections.",
    ]) {
      expect(timeline(p.record, cheat).detail, cheat).toMatch(/onset \d\d:\d\d missed/);
    }
  });

  it("a wrong relative time misses like a wrong clock time", () => {
    const text = `${clock(k.page)} paged. 30 minutes after the page we raised max_connections.`;
    expect(timeline(p.record, text).detail).toMatch(/fix \d\d:\d\d missed/);
  });
});

describe("rejected alternatives are not claims", () => {
  const graded = (edit: (s: Record<string, string>) => void): { raw: number; notes: string[] } => {
    const before = play(HONEST_STEPS);
    const k = keyMinutes(before);
    const sections: Record<string, string> = {
      summary: "orders-db ran out of connection slots after orders-service scaled out; orders failed for about twenty minutes.",
      timeline: `${clock(k.onset)} orders-service scaled to 24 replicas. ${clock(k.page)} page. ${clock(k.fix)} raised max_connections. ${clock(k.recovered)} recovered.`,
      rootCause:
        "The 24 orders-service replicas together passed max_connections on orders-db, so the connection pool was exhausted and new sessions were refused.",
      impact: `Orders failed. ${before.record.world.impact.map((i) => `${i.service} peaked at ${i.peakErrorRate.toFixed(1)}% errors`).join(", ")}.`,
      actionItems:
        "Put a connection pooler in front of orders-db, cap the pool size per instance, and alert on connection usage above 80%.",
      resolution: "We raised max_connections on orders-db.",
    };
    edit(sections);
    const g = EPISODE_GRADERS.hard.grade(play([...HONEST_STEPS, postmortem(sections, before.world.severity(), ROOT)]).record);
    return { raw: g.raw, notes: g.notes };
  };

  it.each([
    "We considered rolling back orders-service but raised max_connections on orders-db instead.",
    "Rather than rolling back orders-service we raised max_connections on orders-db.",
    "We ruled out a rollback and raised max_connections on orders-db.",
    "A rollback of orders-service was ruled out; we raised max_connections on orders-db.",
    "Instead of rolling back, we raised max_connections on orders-db.",
    "Rolling back orders-service would not have helped, so we raised max_connections on orders-db.",
  ])("%s -> no contradiction", (resolution) => {
    const g = graded((s) => (s.resolution = resolution));
    expect(
      g.notes.filter((n) => n.includes("contradiction")),
      g.notes.join("\n"),
    ).toEqual([]);
  });

  it("a claim of a rollback that never ran is still a contradiction", () => {
    const g = graded((s) => (s.resolution = "We rolled back orders-service and raised max_connections on orders-db."));
    expect(
      g.notes.some((n) => n.includes("rollback") && n.includes("never applied")),
      g.notes.join("\n"),
    ).toBe(true);
  });

  const runbookOf = (extra: string): { score: number; notes: string[] } => {
    const steps = [
      "Check the connection count on orders-db against max_connections in pg_stat_activity.",
      "Find which caller holds the connections and whether its replica count just jumped.",
      extra,
      "Verify the error rate on orders-service falls back under 5% for ten minutes.",
    ];
    const g = EPISODE_GRADERS.medium.grade(play([runbook(steps, ROOT)]).record);
    return { score: g.components.find((c) => c.name === "runbook")?.score ?? -1, notes: g.notes };
  };

  it.each([
    "Rather than restarting the database, terminate the idle sessions with pg_terminate_backend.",
    "Terminate the idle sessions with pg_terminate_backend instead of restarting the database.",
    "Do not restart the database; terminate the idle sessions with pg_terminate_backend.",
  ])("runbook: %s -> no harmful-step penalty", (step) => {
    const r = runbookOf(step);
    expect(
      r.notes.filter((n) => n.includes("makes this fault worse")),
      r.notes.join("\n"),
    ).toEqual([]);
  });

  it("runbook: recommending the restart still costs", () => {
    const r = runbookOf("Restart the database so the idle sessions are dropped.");
    expect(
      r.notes.some((n) => n.includes("restart_service, which makes this fault worse")),
      r.notes.join("\n"),
    ).toBe(true);
    expect(r.score).toBeLessThan(runbookOf("Terminate the idle sessions with pg_terminate_backend.").score);
  });
});

describe("everyday synonyms of fixes express their concepts", () => {
  const expressed = (text: string): Set<string> => new Set(profile(text).expressed.keys());
  it.each([
    ["We put the previous Corefile back.", "config_revert"],
    ["Put the old config back on the resolvers.", "config_revert"],
    ["Rolled the config back to the last known good config.", "config_revert"],
    ["The transit link failure split the two zones.", "network_partition"],
    ["The zones could not reach each other.", "network_partition"],
    ["We bounced the pods.", "restart_service"],
    ["We recycled the pods.", "restart_service"],
    ["Did a rolling restart of the workers.", "restart_service"],
    ["We rolled the release back.", "rollback_deploy"],
    ["Redeployed the previous build.", "rollback_deploy"],
    ["We renewed the cert.", "renew_certificate"],
    ["We reissued the cert.", "renew_certificate"],
    ["Issued a fresh cert and reloaded nginx.", "renew_certificate"],
    ["The certificate lapsed overnight.", "certificate_expiry"],
    ["Put the index back.", "create_index"],
    ["Pre-loaded the hot keys.", "cache_warming"],
  ])("%s -> %s", (text, id) => {
    expect(expressed(text).has(id), [...expressed(text)].join(", ")).toBe(true);
  });

  it.each([
    ["The config change came back clean in review.", "config_revert"],
    ["We split traffic across zones evenly.", "network_partition"],
    ["Each zone can reach the database.", "network_partition"],
    ["The old config had a limit of 100.", "config_revert"],
    ["The release notes mention a new index.", "rollback_deploy"],
    ["Recycling bins were full.", "restart_service"],
    ["The new certificate authority bundle is in the repo.", "certificate_expiry"],
  ])("%s does not express %s", (text, id) => {
    expect(expressed(text).has(id)).toBe(false);
  });
});

describe("impact recall is measured against the services that matter", () => {
  // A DNS failure on the 15-node fixture degrades 7 services; users feel it at the gateway.
  const spec = faultSpec("dns_failure");
  const p = play([inspect(spec.root), inspect("edge-gateway"), inspect(spec.root)], { spec });
  const facts = factsOf(p.record);
  const peak = (service: string): string => `${p.record.world.impact.find((i) => i.service === service)?.peakErrorRate.toFixed(1)}%`;
  const matter = servicesThatMatter(facts);

  it("the services that matter are the root, the degraded entry point and the worst hit", () => {
    expect(p.record.world.impact.length).toBeGreaterThan(matter.length);
    expect(matter).toContain(spec.root);
    expect(matter).toContain("edge-gateway");
  });

  const honest = `DNS lookups failed across the platform: cluster-dns answered SERVFAIL (${peak("cluster-dns")} errors), edge-gateway returned up to ${peak("edge-gateway")} errors to users and storefront-service up to ${peak("storefront-service")}.`;

  it("naming the gateway, the root and the worst hit is full recall", () => {
    const graded = impactScore(facts, honest);
    expect(graded.score, graded.detail).toBeGreaterThanOrEqual(0.95);
  });

  it("listing every service costs precision; naming nothing that matters earns little", () => {
    const everyone = impactScore(facts, `${honest} Affected: ${FAULT_TOPOLOGY.nodes.map((n) => n.name).join(", ")}.`);
    expect(everyone.score).toBeLessThan(impactScore(facts, honest).score - 0.1);
    const sideShow = impactScore(facts, `fulfilment-worker peaked at ${peak("fulfilment-worker")} errors.`);
    expect(sideShow.score, sideShow.detail).toBeLessThan(0.7);
  });

  it("on the small fixture, naming the three degraded services still scores full", () => {
    const small = play(HONEST_STEPS);
    const text = small.record.world.impact.map((i) => `${i.service} peaked at ${i.peakErrorRate.toFixed(1)}%`).join(", ");
    expect(impactScore(factsOf(small.record), text).score).toBe(1);
    const all = impactScore(factsOf(small.record), `${text}; affected: ${SERVICE_NAMES.join(", ")}`);
    expect(all.score).toBeLessThan(1);
  });
});

describe("asides, disowned mentions and negation headings are not claims", () => {
  const expressed = (text: string): Set<string> => new Set(profile(text).expressed.keys());
  it.each([
    [
      "Unrelated: file-service OOM kills and an expired certificate on auth-service; tickets filed.",
      ["out_of_memory", "certificate_expiry"],
    ],
    ["FYI: other noise in the logs (e.g. auth failures against assets-db) is a separate problem.", ["stale_credentials"]],
    ["If lock waits are high, this is a different problem (locking runbook).", ["lock_contention"]],
    [
      "One KB article suggests restarting the callers and turning off verification; we did neither.",
      ["restart_service", "disable_tls_verification"],
    ],
    [
      "Restarting the database would have dropped every session and caused a reconnect stampede, so we did not.",
      ["restart_service", "cache_stampede"],
    ],
    ["The KB says to restart the callers, but we didn't.", ["restart_service"]],
    ["DON'T: turn off TLS verification in any client.", ["disable_tls_verification"]],
    ["Do not:\n- restart the database\n- scale out orders-service", ["restart_service", "scale_out"]],
    ["We did not follow the 'overloaded, scale out' KB article.", ["scale_out"]],
    ["Restarting the pods or raising the memory limit were both on the table.", ["restart_service", "raise_memory_limit"]],
    ["Restarting the affected services was not attempted.", ["restart_service"]],
    ["Nothing was deployed and the network was healthy.", ["bad_deploy"]],
  ])("%s", (text, ids) => {
    for (const id of ids) expect(expressed(text).has(id), `${id} in ${[...expressed(text)].join(", ")}`).toBe(false);
  });

  it.each([
    ["file-service OOM kills and an expired certificate on auth-service.", ["out_of_memory", "certificate_expiry"]],
    ["Many unrelated services start failing with 'no such host' at once.", ["dns_resolution_failure"]],
    ["DON'T wait: roll back the deploy first.", ["rollback_deploy"]],
    ["Don't restart the database:\nRaise max_connections on orders-db.", ["raise_connection_limit"]],
    ["We restarted the callers and turned off TLS verification.", ["restart_service", "disable_tls_verification"]],
  ])("%s still says it", (text, ids) => {
    for (const id of ids) expect(expressed(text).has(id), `${id} in ${[...expressed(text)].join(", ")}`).toBe(true);
  });

  const runbookScore = (steps: readonly string[]): number =>
    EPISODE_GRADERS.medium.grade(play([runbook(steps, ROOT)]).record).components.find((c) => c.name === "runbook")?.score ?? -1;
  const honestSteps = [
    "Check the connection count on orders-db against max_connections in pg_stat_activity.",
    "Find which caller holds the connections and whether its replica count just jumped.",
    "Raise max_connections on orders-db so the sessions fit.",
    "Verify the error rate on orders-service falls back under 5% for ten minutes.",
  ];

  it("a ticket for unrelated noise neither earns nor costs a runbook", () => {
    const noise =
      "Unrelated noise seen meanwhile: a certificate expired on redis-cache and catalog-service retries without backoff; ticket it.";
    expect(runbookScore([...honestSteps, noise])).toBeCloseTo(runbookScore(honestSteps), 6);
  });

  it("keywords wrapped in asides earn nothing", () => {
    const wrapped = honestSteps.map((s) => `Unrelated to this incident: ${s}`);
    const g = EPISODE_GRADERS.medium.grade(play([runbook(wrapped, ROOT)]).record);
    expect(g.components.find((c) => c.name === "runbook")?.detail).toMatch(/coverage 0\.00/);
  });

  it("opening with what the page looks like does not put verification first", () => {
    const opening = "Page looks like: orders-service errors while orders-db query p99 stays under 100 ms.";
    const g = EPISODE_GRADERS.medium.grade(play([runbook([opening, ...honestSteps], ROOT)]).record);
    const detail = g.components.find((c) => c.name === "runbook")?.detail ?? "";
    expect(detail).toMatch(/order 1\.00/);
  });
});

describe("postmortem timelines, priorities and impact read what the writer meant", () => {
  const p = played();
  const k = keyMinutes(p);
  const facts = factsOf(p.record);

  it("percentages and addresses are not clock times", () => {
    expect(timeMentions("error rate stepped from 0.25% to 38%")).toEqual([]);
    expect(timeMentions("lookup orders-db on 10.96.0.10:53: no such host")).toEqual([]);
  });

  it("a relative time that glosses the clock time before it restates it", () => {
    const text = `${clock(k.page)} UTC (${k.page - k.onset} minutes after the scale-out): paged. ${clock(k.fix)}, ${k.fix - k.page} minutes after the page: raised max_connections.`;
    expect(statedTimes(facts, text).map((t) => t.minute)).toEqual([k.page, k.fix]);
  });

  it("an entry that mentions an earlier time neither costs nor breaks the order", () => {
    const text = [
      `${clock(k.onset)} orders-service scaled to 24 replicas.`,
      `${clock(k.page)} paged; the change list shows the scale-out at ${clock(k.onset)}.`,
      `${clock(k.fix)} raised max_connections.`,
      `${clock(k.recovered)} recovered.`,
    ].join("\n");
    const graded = timeline(p.record, text);
    expect(graded.score, graded.detail).toBe(1);
  });

  it("copies of one time cannot fish for the key events around it", () => {
    const once = timeline(p.record, `${clock(k.page)} paged.`);
    const copies = timeline(p.record, Array.from({ length: 4 }, () => `${clock(k.page)} paged.`).join("\n"));
    expect(copies.score, copies.detail).toBeLessThanOrEqual(once.score);
  });

  const severityNotes = (actionItems: string, summarySuffix = ""): string[] => {
    const sections = {
      summary: `orders-db ran out of connection slots after orders-service scaled out.${summarySuffix}`,
      rootCause: "orders-service replicas together passed max_connections on orders-db, so the connection pool was exhausted.",
      actionItems,
    };
    return EPISODE_GRADERS.hard
      .grade(play([...HONEST_STEPS, postmortem(sections, "P3", ROOT)]).record)
      .notes.filter((n) => n.includes("severity_assessment"));
  };

  it("task priorities in the action items are not a severity", () => {
    expect(severityNotes("1. Put a pooler in front of orders-db. (DBA, P1)\n2. Alert on connection usage. (SRE, P2)")).toEqual([]);
    expect(severityNotes("Put a pooler in front of orders-db.", " We rated it P1.")).toHaveLength(1);
  });

  const dns = faultSpec("dns_failure");
  const dnsPlay = play([inspect(dns.root), inspect("edge-gateway"), inspect(dns.root)], { spec: dns });
  const dnsFacts = factsOf(dnsPlay.record);
  const peak = (service: string): string => `${dnsPlay.record.world.impact.find((i) => i.service === service)?.peakErrorRate.toFixed(1)}%`;
  const honest = `cluster-dns answered SERVFAIL (${peak("cluster-dns")} errors), edge-gateway returned up to ${peak("edge-gateway")} errors to users and storefront-service up to ${peak("storefront-service")}.`;
  const calmService =
    FAULT_TOPOLOGY.nodes.map((n) => n.name).find((n) => !dnsPlay.record.world.impact.some((i) => i.service === n) && n !== dns.root) ?? "";

  it("a service said not to be hurt, thresholds and baselines cost nothing", () => {
    const base = impactScore(dnsFacts, honest);
    const more = impactScore(
      dnsFacts,
      `${honest} ${calmService} was unaffected and stayed at its usual 0.2% error rate. Gateway errors crossed the 5% alerting threshold within a minute.`,
    );
    expect(more.score, more.detail).toBeCloseTo(base.score, 6);
  });

  it("services declared unaffected earn no recall", () => {
    const all = FAULT_TOPOLOGY.nodes.map((n) => n.name).join(", ");
    const graded = impactScore(dnsFacts, `${all} were unaffected.`);
    expect(graded.score, graded.detail).toBe(0);
  });

  const rootCauseNote = (rootCause: string, summary: string, target: string): string => {
    const sections = { summary, rootCause, timeline: `${clock(k.page)} paged.` };
    const notes = EPISODE_GRADERS.hard.grade(play([...HONEST_STEPS, postmortem(sections, "P2", target)]).record).notes;
    return notes.find((n) => n.startsWith("postmortem root_cause")) ?? "";
  };
  const byReference =
    "The new replicas together passed max_connections, so the connection pool was exhausted and new sessions were refused.";

  it("a root-cause section may refer back to the root the summary named", () => {
    expect(rootCauseNote(byReference, "orders-db ran out of connection slots after orders-service scaled out.", ROOT)).toMatch(
      /names the root by reference/,
    );
  });

  it("but not when target_service is another service, nor after a hedged summary", () => {
    expect(rootCauseNote(byReference, "orders-db ran out of connection slots after orders-service scaled out.", "orders-service")).toMatch(
      /root not named/,
    );
    expect(rootCauseNote(byReference, "Either orders-db or redis-cache ran out of connections.", ROOT)).toMatch(/root not named/);
  });
});

describe("the focus factor tolerates a stray concept more in longer texts, never a carpet", () => {
  it("one foreign concept in a short text, two from 200 words, never three", () => {
    expect(focusFactor(6, 1, 40)).toBe(1);
    expect(focusFactor(6, 2, 40)).toBeLessThan(1);
    expect(focusFactor(6, 2, 220)).toBe(1);
    expect(focusFactor(6, 3, 5000)).toBeLessThan(1);
    // Padding does not soften a carpet: past the tolerance, every foreign concept counts.
    expect(focusFactor(6, 30, 5000)).toBe(focusFactor(6, 30, 0));
  });
});
