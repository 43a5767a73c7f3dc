/**
 * The v2 episode graders (src/grading/episode) on trajectories played against a simulated
 * incident (test/support/grading-fixture.ts): honest play scores high, cheating policies score
 * low, and the targeted rules (hop distance, evidence cap, time discount, timeline facts,
 * contradictions, impact F1, determinism) do what they say.
 */
import { describe, expect, it } from "vitest";
import type { Action } from "../gen/incident/v1/action_pb.js";
import { ActionType, FaultKind, RemediationKind } from "../gen/incident/v1/enums_pb.js";
import { EPISODE_GRADERS } from "../src/grading/episode/index.js";
import type { Grade } from "../src/grading/grade.js";
import type { EpisodeRecord } from "../src/grading/record.js";
import { CONCEPTS } from "../src/scenarios/lexicon.js";
import type { Level } from "../src/sim/vocabulary.js";
import { IncidentWorld } from "../src/sim/incident-world.js";
import {
  ROOT,
  SERVICE_NAMES,
  action,
  clock,
  diagnose,
  fix,
  fixtureSpec,
  inspect,
  play,
  postmortem,
  runbook,
  type Played,
} from "./support/grading-fixture.js";

const CHEAT_BAR = 0.15;
const ALL_PHRASES = CONCEPTS.flatMap((c) => c.phrases);
const SERVICE_LIST = SERVICE_NAMES.join(", ");
const KB = new IncidentWorld(fixtureSpec(), 7).kb();
const KB_TEXT = KB.map((a) => a.content).join(" ");
const KB_SENTENCES = KB.flatMap((a) => a.content.split(/(?<=[.!?])\s+/));
/** A node the first observation of the seed-7 world does not show (checked below). */
const UNSEEN = "redis-cache";

function grade(level: Level, record: EpisodeRecord): Grade {
  const g = EPISODE_GRADERS[level].grade(record);
  expect(g.raw).toBeGreaterThanOrEqual(0);
  expect(g.raw).toBeLessThanOrEqual(1);
  expect(g.components.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(1, 9);
  return g;
}

function explain(g: Grade): string {
  return [
    `${g.grader} ${g.raw}`,
    ...g.components.map((c) => `  ${c.name} ${c.score.toFixed(3)} x${c.weight}: ${c.detail}`),
    ...g.penalties.map((p) => `  -${p.amount} ${p.name}: ${p.detail}`),
    ...g.notes.map((n) => `  note: ${n}`),
  ].join("\n");
}

function component(g: Grade, name: string): number {
  const c = g.components.find((x) => x.name === name);
  if (!c) throw new Error(`no component ${name} in ${explain(g)}`);
  return c.score;
}

// ---- honest play ----

const HONEST_RUNBOOK: readonly string[] = [
  "Check the connection count on orders-db against max_connections in pg_stat_activity to confirm every slot is taken.",
  "Group the sessions in pg_stat_activity by client to find which caller holds the connections and whether its replica count just jumped.",
  "Terminate idle sessions with pg_terminate_backend so new sessions are accepted again right away.",
  "Cap the pool size per instance of the caller so that all its replicas together stay under the limit.",
  "Verify that the error rate on orders-service and api-gateway falls back under 5% and no new 'too many clients' lines appear for ten minutes.",
  "If errors persist after fifteen minutes, escalate to the database on-call.",
];

const MEDIUM_HONEST: readonly Action[] = [
  inspect(ROOT),
  diagnose(ROOT, FaultKind.CONNECTION_POOL_EXHAUSTION),
  fix(ROOT, RemediationKind.RAISE_LIMIT, {}, "raise max_connections on orders-db"),
  inspect("orders-service", "check that the callers recovered"),
  inspect(ROOT, "check the connection count stays down"),
];

/** An honest postmortem written from what the played world recorded. */
function honestPostmortem(played: Played, edit: (s: Record<string, string>) => void = () => {}): Action {
  const { world, record } = played;
  const at = (kind: string): number => {
    const e = world.timeline().find((x) => x.kind === kind);
    if (!e) throw new Error(`no ${kind} event`);
    return e.minute;
  };
  const fixMinute = record.steps.find((s) => s.remediation?.kind === "fixed")?.minute;
  if (fixMinute === undefined) throw new Error("no fix in the honest play");
  const page = world.page();
  if (!page) throw new Error("no page");
  const impact = world.impact();
  const degraded = impact.map((i) => `${i.service} peaked at ${i.peakErrorRate.toFixed(1)}% errors`).join(", ");
  const sections: Record<string, string> = {
    summary: `orders-db ran out of connection slots: the orders-service replicas together passed max_connections, so orders failed with errors for about twenty minutes until the limit was raised.`,
    timeline: [
      `${clock(at("trigger"))} UTC autoscaler scaled orders-service from 6 to 24 replicas; connection usage on orders-db climbs toward the limit.`,
      `${clock(page.firedAtMinute)} UTC page: ${page.title}.`,
      `${clock(fixMinute)} UTC raised max_connections on orders-db.`,
      `${clock(at("mitigated"))} UTC error rates back within thresholds on orders-db, orders-service and api-gateway.`,
    ].join("\n"),
    rootCause:
      "orders-db refused new sessions with 'too many clients': each of the 24 orders-service replicas opened its own connection pool, and together they passed max_connections, so the connection pool was exhausted and callers timed out waiting for a connection.",
    impact: `Users saw failed orders. ${degraded}.`,
    actionItems:
      "Put a connection pooler (PgBouncer) in front of orders-db. Cap the pool size per instance of orders-service so replicas stay under the limit. Alert on connection usage above 80% of max_connections.",
    resolution: "We raised max_connections on orders-db; errors stopped within three minutes.",
  };
  edit(sections);
  return postmortem(sections, world.severity(), ROOT);
}

function hardHonest(edit?: (s: Record<string, string>) => void): Played {
  const before = play(MEDIUM_HONEST);
  return play([...MEDIUM_HONEST, honestPostmortem(before, edit)]);
}

describe("honest play scores high", () => {
  it("the fixture's first observation shows the root but not the unseen node", () => {
    const { record } = play([inspect("api-gateway")]);
    expect(record.evidence.get(ROOT)).toBe(0);
    expect(record.evidence.has(UNSEEN)).toBe(false);
  });

  it("easy: inspect the root, then diagnose it with the right fault kind at step 2 -> >= 0.95", () => {
    const g = grade("easy", play([inspect(ROOT), diagnose(ROOT, FaultKind.CONNECTION_POOL_EXHAUSTION)]).record);
    expect(g.raw, explain(g)).toBeGreaterThanOrEqual(0.95);
    expect(g.penalties).toEqual([]);
  });

  it("medium: inspect, diagnose, durable fix, two inspections while health holds, honest runbook -> >= 0.85", () => {
    const played = play([...MEDIUM_HONEST, runbook(HONEST_RUNBOOK, ROOT)]);
    expect(played.record.world.healthHeld).toBe(true);
    const g = grade("medium", played.record);
    expect(g.raw, explain(g)).toBeGreaterThanOrEqual(0.85);
    expect(g.penalties, explain(g)).toEqual([]);
    expect(component(g, "mitigation")).toBe(1);
  });

  it("hard: the same plus a postmortem built from the world's facts -> >= 0.85", () => {
    const g = grade("hard", hardHonest().record);
    expect(g.raw, explain(g)).toBeGreaterThanOrEqual(0.85);
    expect(g.penalties, explain(g)).toEqual([]);
    expect(
      g.notes.filter((n) => n.includes("contradiction") || n.includes("focus")),
      explain(g),
    ).toEqual([]);
    expect(component(g, "severity")).toBe(1);
  });
});

// ---- cheating policies ----

const restartEverything: readonly Action[] = SERVICE_NAMES.map((s) => fix(s, RemediationKind.RESTART, {}, "restart it"));
const scaleEverythingToZero: readonly Action[] = SERVICE_NAMES.map((s) =>
  fix(s, RemediationKind.SCALE, { replicas: "0" }, "scale to zero"),
);
const perConceptSteps = CONCEPTS.map((c) => c.phrases.join(", "));
const everySection = (text: string): Record<string, string> => ({
  summary: text,
  timeline: text,
  rootCause: text,
  impact: text,
  actionItems: text,
  trigger: text,
  resolution: text,
  detection: text,
  lessonsLearned: text,
});
const repeatInspect: readonly Action[] = Array.from({ length: 10 }, () => inspect(ROOT));
const repeatRestart: readonly Action[] = Array.from({ length: 10 }, () => fix(ROOT, RemediationKind.RESTART, {}, "restart the database"));
const blindGuess: readonly Action[] = [diagnose(UNSEEN, undefined, `${UNSEEN} is probably the problem`)];

const INVENTED_POSTMORTEM = postmortem(
  {
    summary:
      "redis-cache filled its memory after a bad deploy of catalog-service at 14:02, so writes were rejected and the site slowed down for two hours.",
    timeline:
      "14:02 deploy of catalog-service v9.9.9\n14:20 redis-cache memory full, writes rejected\n15:45 rolled back catalog-service\n16:05 recovered",
    rootCause: "A bad deploy of catalog-service stopped setting a TTL, so redis-cache filled to maxmemory and rejected writes.",
    impact: "catalog-service and redis-cache were down; 95% of product pages failed and 80% of searches timed out.",
    actionItems: "Set an eviction policy of allkeys-lru on redis-cache, add TTLs, and canary every catalog-service release.",
    resolution: "We rolled back catalog-service and flushed redis-cache.",
  },
  "P2",
  "redis-cache",
);

const CHEATS: Readonly<Record<Level, Readonly<Record<string, readonly Action[]>>>> = {
  easy: {
    "keyword stuffing (stuffed target and reasoning)": [diagnose(ALL_PHRASES.join(", "), undefined, ALL_PHRASES.join(", "))],
    "keyword stuffing (stuffed reasoning on the loudest node)": [diagnose("api-gateway", undefined, ALL_PHRASES.join(", "))],
    "every service as target, right fault kind": [diagnose(SERVICE_LIST, FaultKind.CONNECTION_POOL_EXHAUSTION)],
    "restart everything": restartEverything,
    "scale everything to zero": scaleEverythingToZero,
    "empty answers": [action({ actionType: ActionType.DIAGNOSE }), diagnose("", undefined, "")],
    "invented facts": [diagnose("catalog-service", FaultKind.BAD_DEPLOY, "catalog-service shipped a bad release at 14:02")],
    "KB copied into every field": [diagnose(KB.map((a) => a.title).join(" "), undefined, KB_TEXT)],
    "blind diagnosis of a never-seen service": blindGuess,
    "the same action every step": repeatInspect,
  },
  medium: {
    "keyword stuffing (right target)": [runbook(perConceptSteps, ROOT)],
    "every service as target and in every step": [
      diagnose(SERVICE_LIST),
      runbook(
        SERVICE_NAMES.map((s) => `Check ${s} for problems.`),
        SERVICE_LIST,
      ),
    ],
    "restart everything": [
      ...restartEverything,
      runbook(
        SERVICE_NAMES.map((s) => `Restart ${s} right away.`),
        SERVICE_LIST,
      ),
    ],
    "scale everything to zero": scaleEverythingToZero,
    "empty answers": [runbook([], ROOT), runbook(["", "  "], ROOT), diagnose("")],
    "invented facts": [
      diagnose("redis-cache"),
      runbook(
        [
          "Check used_memory on redis-cache against maxmemory.",
          "Flush the biggest keys with UNLINK to free memory.",
          "Raise maxmemory and set the eviction policy to allkeys-lru.",
          "Verify that write errors on redis-cache stop.",
        ],
        "redis-cache",
      ),
    ],
    "KB copied into every step (right target)": [
      runbook(KB_SENTENCES, ROOT),
      runbook(
        KB.map((a) => a.content),
        ROOT,
      ),
    ],
    "blind diagnosis of a never-seen service": blindGuess,
    "the same action every step": repeatRestart,
  },
  hard: {
    "keyword stuffing (right severity and target)": [postmortem(everySection(ALL_PHRASES.join(", ")), "P1", ROOT)],
    "every service as target and in impact": [
      diagnose(SERVICE_LIST),
      postmortem(everySection(`Affected: ${SERVICE_LIST}.`), "P1", SERVICE_LIST),
    ],
    "restart everything": [
      ...restartEverything,
      postmortem(everySection("We restarted every service and it recovered."), "P1", SERVICE_LIST),
    ],
    "scale everything to zero": scaleEverythingToZero,
    "empty answers": [postmortem({}, "P1", ROOT), postmortem(everySection(""), "P1", ROOT)],
    "invented facts": [diagnose("redis-cache"), INVENTED_POSTMORTEM],
    "KB copied into every section (right severity and target)": [postmortem(everySection(KB_TEXT), "P1", ROOT)],
    "blind diagnosis of a never-seen service": blindGuess,
    "the same action every step": repeatRestart,
  },
  expert: {
    "keyword stuffing (right severity and target)": [postmortem(everySection(ALL_PHRASES.join(", ")), "P1", ROOT)],
    "every service as target and in impact": [
      diagnose(SERVICE_LIST),
      postmortem(everySection(`Affected: ${SERVICE_LIST}.`), "P1", SERVICE_LIST),
    ],
    "restart everything": [
      ...restartEverything,
      postmortem(everySection("We restarted every service and it recovered."), "P1", SERVICE_LIST),
    ],
    "KB copied into every section (right severity and target)": [postmortem(everySection(KB_TEXT), "P1", ROOT)],
    "the same action every step": repeatRestart,
  },
};

describe("cheating policies score low", () => {
  for (const level of ["easy", "medium", "hard", "expert"] as const) {
    describe(level, () => {
      it.each(Object.entries(CHEATS[level]))(`%s scores <= ${CHEAT_BAR}`, (_name, actions) => {
        const played = play(actions);
        // The best grade of any prefix is what the episode would have paid.
        const best = Math.max(...played.records.map((r) => grade(level, r).raw));
        const g = grade(level, played.record);
        expect(best, explain(g)).toBeLessThanOrEqual(CHEAT_BAR);
      });
    });
  }

  it("the cheating KB really is this incident's KB (copy detection is exercised)", () => {
    const g = grade("hard", play([postmortem(everySection(KB_TEXT), "P1", ROOT)]).record);
    expect(
      g.notes.some((n) => n.includes("copied")),
      explain(g),
    ).toBe(true);
  });
});

// ---- targeted checks ----

describe("diagnosis", () => {
  const POOL = FaultKind.CONNECTION_POOL_EXHAUSTION;

  it("a neighbour of the root gets 0.3 of the service part, two hops 0.1, farther 0 (all x0.9 on easy)", () => {
    const neighbour = grade("easy", play([inspect("orders-service"), diagnose("orders-service", POOL)]).record);
    expect(component(neighbour, "diagnosis"), explain(neighbour)).toBeCloseTo(0.3, 9);
    const twoHops = grade("easy", play([inspect("api-gateway"), diagnose("api-gateway", POOL)]).record);
    expect(component(twoHops, "diagnosis"), explain(twoHops)).toBeCloseTo(0.1, 9);
    const far = grade("easy", play([inspect("catalog-service"), diagnose("catalog-service", POOL)]).record);
    expect(component(far, "diagnosis"), explain(far)).toBe(0);
  });

  it("the right node for the wrong reason keeps a tenth: node and fault class are one claim", () => {
    const right = grade("easy", play([inspect(ROOT), diagnose(ROOT, POOL)]).record);
    const wrongClass = grade("easy", play([inspect(ROOT), diagnose(ROOT, FaultKind.SLOW_QUERY)]).record);
    const noClass = grade("easy", play([inspect(ROOT), diagnose(ROOT)]).record);
    expect(component(right, "diagnosis"), explain(right)).toBe(1);
    expect(component(wrongClass, "diagnosis"), explain(wrongClass)).toBeCloseTo(0.1, 9);
    expect(component(noClass, "diagnosis"), explain(noClass)).toBeCloseTo(0.1, 9);
    // Evidence counts only behind a right conclusion.
    expect(component(right, "process")).toBeGreaterThan(0);
    expect(component(wrongClass, "process"), explain(wrongClass)).toBe(0);
    expect(wrongClass.raw).toBeLessThan(0.25);
  });

  it("a diagnosis of a node the responder had not seen keeps 0.4 (evidence cap)", () => {
    const blind = grade("easy", play([diagnose(ROOT, POOL)], { initialEvidence: ["api-gateway"] }).record);
    expect(component(blind, "diagnosis"), explain(blind)).toBeCloseTo(0.4, 9);
    const looked = grade("easy", play([inspect(ROOT), diagnose(ROOT, POOL)], { initialEvidence: ["api-gateway"] }).record);
    expect(component(looked, "diagnosis"), explain(looked)).toBe(1);
    expect(looked.raw).toBeGreaterThan(blind.raw);
  });

  it("the last diagnosis counts, and each different earlier one costs x0.9", () => {
    const once = grade("medium", play([inspect(ROOT), diagnose(ROOT, POOL)]).record);
    const revised = grade("medium", play([inspect(ROOT), diagnose("api-gateway", POOL), diagnose(ROOT, POOL)]).record);
    const hedged = grade("medium", play([inspect(ROOT), diagnose(ROOT, POOL), diagnose("orders-service", POOL)]).record);
    expect(component(once, "diagnosis"), explain(once)).toBe(1);
    expect(component(revised, "diagnosis"), explain(revised)).toBe(1);
    expect(
      revised.penalties.map((p) => p.name),
      explain(revised),
    ).toEqual(["revised_answer"]);
    expect(revised.raw).toBeCloseTo(once.raw * 0.9, 5);
    // Naming the root first and something else last: only the last counts.
    expect(component(hedged, "diagnosis"), explain(hedged)).toBeCloseTo(0.3, 9);
    // Saying the same thing again is a repeat, not a revision, and does not move the discount.
    const again = grade(
      "medium",
      play([inspect(ROOT), diagnose(ROOT, POOL), inspect("orders-service"), inspect(ROOT), diagnose(ROOT, POOL)]).record,
    );
    expect(component(again, "diagnosis"), explain(again)).toBe(1);
    expect(
      again.penalties.map((p) => p.name),
      explain(again),
    ).toEqual(["repeated_action"]);
  });

  it("fault class: right kind 1, wrong kind 0, unset with the mechanism in the reasoning 0.7, copied reasoning 0", () => {
    const share = (cls: number): number => 0.1 + 0.9 * cls;
    const score = (d: Action): number => component(grade("easy", play([inspect(ROOT), d]).record), "diagnosis");
    expect(score(diagnose(ROOT, POOL))).toBeCloseTo(share(1), 9);
    expect(score(diagnose(ROOT, FaultKind.SLOW_QUERY))).toBeCloseTo(share(0), 9);
    expect(score(diagnose(ROOT, undefined, "orders-db is out of connections: every slot up to max_connections is taken"))).toBeCloseTo(
      share(0.7),
      9,
    );
    expect(score(diagnose(ROOT, undefined, "orders-db is down"))).toBeCloseTo(share(0), 9);
    expect(score(diagnose(ROOT, undefined, KB_TEXT))).toBeCloseTo(share(0), 9);
  });

  it("the time discount applies to a diagnosis at step 5, but not to the runbook", () => {
    const late = grade(
      "medium",
      play([
        inspect(ROOT),
        inspect("orders-service"),
        inspect("deploy-controller"),
        inspect("api-gateway"),
        diagnose(ROOT, POOL),
        runbook(HONEST_RUNBOOK, ROOT),
      ]).record,
    );
    expect(component(late, "diagnosis"), explain(late)).toBeCloseTo(0.95 ** 2, 9);
    const early = grade("medium", play([runbook(HONEST_RUNBOOK, ROOT)]).record);
    const laterStill = grade(
      "medium",
      play([
        ...Array.from({ length: 7 }, (_, i) => inspect(SERVICE_NAMES[i % SERVICE_NAMES.length] ?? ROOT)),
        runbook(HONEST_RUNBOOK, ROOT),
      ]).record,
    );
    expect(component(early, "runbook")).toBeGreaterThan(0.8);
    expect(component(laterStill, "runbook")).toBe(component(early, "runbook"));
    expect(component(late, "runbook")).toBe(component(early, "runbook"));
  });

  it("the last runbook counts, and each earlier different one costs x0.9", () => {
    const honest = grade("medium", play([runbook(HONEST_RUNBOOK, ROOT)]).record);
    const thenJunk = grade(
      "medium",
      play([runbook(HONEST_RUNBOOK, ROOT), runbook(["Restart everything.", "Check the dashboards."], ROOT)]).record,
    );
    const junkThenHonest = grade(
      "medium",
      play([runbook(["Restart everything.", "Check the dashboards."], ROOT), runbook(HONEST_RUNBOOK, ROOT)]).record,
    );
    expect(component(thenJunk, "runbook"), explain(thenJunk)).toBeLessThan(0.3);
    expect(component(junkThenHonest, "runbook"), explain(junkThenHonest)).toBe(component(honest, "runbook"));
    expect(junkThenHonest.penalties.map((p) => p.name)).toEqual(["revised_answer"]);
  });
});

describe("mitigation and conduct", () => {
  it("a fix scores 0.3 before health is back, 0.6 once healthy, 1 once health has held", () => {
    const { records } = play([
      inspect(ROOT),
      fix(ROOT, RemediationKind.RAISE_LIMIT),
      inspect(ROOT),
      inspect("orders-service"),
      inspect(ROOT),
    ]);
    const scores = records.map((r) => component(grade("medium", r), "mitigation"));
    expect(scores[0]).toBe(0);
    expect(scores).toContain(1);
    expect(scores.every((s, i) => i === 0 || s >= (scores[i - 1] ?? 0))).toBe(true);
  });

  it("relief only (killing idle sessions) is capped at 0.6", () => {
    const { record } = play([
      inspect(ROOT),
      fix(ROOT, RemediationKind.KILL_QUERY),
      inspect("orders-service"),
      inspect(ROOT),
      inspect("orders-service"),
    ]);
    expect(component(grade("medium", record), "mitigation")).toBeLessThanOrEqual(0.6);
  });

  it("a destructive remediation costs x0.85 of the total, shown as a penalty", () => {
    const clean = grade("medium", play([...MEDIUM_HONEST, runbook(HONEST_RUNBOOK, ROOT)]).record);
    const rough = grade(
      "medium",
      play([fix("redis-cache", RemediationKind.FLUSH_CACHE), ...MEDIUM_HONEST, runbook(HONEST_RUNBOOK, ROOT)]).record,
    );
    expect(
      rough.penalties.map((p) => p.name),
      explain(rough),
    ).toContain("harmful_remediation");
    const weighted = rough.components.reduce((s, c) => s + c.weight * c.score, 0);
    expect(rough.raw).toBeCloseTo(weighted * 0.85, 5);
    expect(rough.raw).toBeLessThan(clean.raw);
  });

  it("shotgun fixes cost: every remediation that changed nothing takes x0.95", () => {
    const clean = grade("medium", play([...MEDIUM_HONEST, runbook(HONEST_RUNBOOK, ROOT)]).record);
    const shotgun = grade(
      "medium",
      play([
        fix(ROOT, RemediationKind.ROTATE_CREDENTIAL),
        fix(ROOT, RemediationKind.ADD_INDEX),
        ...MEDIUM_HONEST,
        runbook(HONEST_RUNBOOK, ROOT),
      ]).record,
    );
    expect(
      shotgun.penalties.filter((p) => p.name === "ineffective_remediation"),
      explain(shotgun),
    ).toHaveLength(2);
    expect(shotgun.raw).toBeLessThan(clean.raw);
  });

  it("inspecting the same service twice in a row is a repeat; looking again later is not", () => {
    const again = grade("easy", play([inspect(ROOT), inspect(ROOT)]).record);
    expect(again.penalties.map((p) => p.name)).toEqual(["repeated_action"]);
    const later = grade("easy", play([inspect(ROOT), inspect("orders-service"), inspect(ROOT)]).record);
    expect(later.penalties).toEqual([]);
  });
});

describe("postmortem facts", () => {
  it("fabricated timeline times lose points", () => {
    const honest = grade("hard", hardHonest().record);
    const padded = grade(
      "hard",
      hardHonest((s) => {
        s.timeline = `${s.timeline}\n11:40 UTC database team confirmed the fix.\n12:15 UTC all clear.`;
      }).record,
    );
    expect(padded.raw, explain(padded)).toBeLessThan(honest.raw);
    expect(
      padded.notes.some((n) => n.includes("near no event")),
      explain(padded),
    ).toBe(true);
  });

  it("a timeline without clock times scores 0 on its part", () => {
    const g = grade(
      "hard",
      hardHonest((s) => {
        s.timeline = "First the autoscaler scaled orders-service, then the page fired, then we raised the limit and it recovered.";
      }).record,
    );
    expect(
      g.notes.some((n) => n.startsWith("postmortem timeline (x0.2): 0.00")),
      explain(g),
    ).toBe(true);
  });

  it("claiming a rollback that never happened is penalised", () => {
    const honest = grade("hard", hardHonest().record);
    const claimed = grade(
      "hard",
      hardHonest((s) => {
        s.resolution = "We rolled back orders-service to the previous version and raised max_connections on orders-db.";
      }).record,
    );
    expect(
      claimed.notes.some((n) => n.includes("rollback") && n.includes("never applied")),
      explain(claimed),
    ).toBe(true);
    expect(claimed.raw).toBeLessThan(honest.raw);
  });

  it("a wrong target and a severity word that contradicts the assessment are penalised", () => {
    const honest = grade("hard", hardHonest().record);
    const before = play(MEDIUM_HONEST);
    const good = honestPostmortem(before, (s) => {
      s.summary = `${s.summary} We rated it P3.`;
    });
    const wrongTarget = { ...good, targetService: "orders-service" } as Action;
    const g = grade("hard", play([...MEDIUM_HONEST, wrongTarget]).record);
    expect(g.notes.filter((n) => n.includes("contradiction")).length, explain(g)).toBe(2);
    expect(g.raw).toBeLessThan(honest.raw);
  });

  it("impact F1: naming every service scores lower than naming the degraded ones", () => {
    const impactOf = (g: Grade): number => Number(/postmortem impact \(x0\.2\): ([\d.]+)/.exec(g.notes.join("\n"))?.[1]);
    const honest = grade("hard", hardHonest().record);
    const everyone = grade(
      "hard",
      hardHonest((s) => {
        s.impact = `${s.impact} Also affected: ${SERVICE_LIST}.`;
      }).record,
    );
    expect(impactOf(everyone), explain(everyone)).toBeLessThan(impactOf(honest));
    expect(everyone.raw).toBeLessThan(honest.raw);
  });

  it("wrong magnitudes cost points", () => {
    const honest = grade("hard", hardHonest().record);
    const wrong = grade(
      "hard",
      hardHonest((s) => {
        s.impact = "Users saw failed orders. orders-service peaked at 95% errors, orders-db at 90% and api-gateway at 2%.";
      }).record,
    );
    expect(wrong.raw, explain(wrong)).toBeLessThan(honest.raw);
  });
});

describe("reading text", () => {
  it("service names that collide with the lexicon (deploy-controller, coredns) cost no focus", () => {
    const g = grade(
      "hard",
      hardHonest((s) => {
        s.rootCause = `${s.rootCause} The deploy-controller change log and coredns showed nothing else.`;
      }).record,
    );
    expect(
      g.notes.filter((n) => n.includes("focus")),
      explain(g),
    ).toEqual([]);
    expect(
      g.notes.some((n) => n.startsWith("postmortem root_cause (x0.3): 1.00")),
      explain(g),
    ).toBe(true);
  });

  it("names are matched on whole tokens, and the longest name wins", () => {
    const named = (impact: string): string => {
      const g = grade("hard", hardHonest((s) => (s.impact = impact)).record);
      return /named (\d+), (\d+) of/.exec(g.notes.join("\n"))?.slice(1, 3).join("/") ?? "";
    };
    expect(named("orders-db, Orders_DB and the orders database failed.")).toBe("1/1");
    expect(named("orders-dbx and xorders-service failed.")).toBe("0/0");
    expect(named("orders-db and orders failed.")).toBe("2/2");
  });

  it("a runbook step written twice counts once", () => {
    const once = grade("medium", play([runbook(HONEST_RUNBOOK, ROOT)]).record);
    const twice = grade("medium", play([runbook([...HONEST_RUNBOOK, ...HONEST_RUNBOOK], ROOT)]).record);
    expect(component(twice, "runbook")).toBe(component(once, "runbook"));
    const parroted = grade(
      "medium",
      play([runbook([HONEST_RUNBOOK[0] ?? "", HONEST_RUNBOOK[0] ?? "", HONEST_RUNBOOK[0] ?? ""], ROOT)]).record,
    );
    expect(component(parroted, "runbook"), explain(parroted)).toBe(0);
  });
});

describe("determinism", () => {
  it("grading the same record twice, or a replay of the same trajectory, gives deep-equal grades", () => {
    for (const level of ["easy", "medium", "hard", "expert"] as const) {
      const { record } = hardHonest();
      expect(grade(level, record)).toEqual(grade(level, record));
      expect(grade(level, hardHonest().record)).toEqual(grade(level, record));
    }
  });
});
