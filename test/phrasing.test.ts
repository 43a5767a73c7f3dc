/**
 * Public and held-out phrasings (src/sim/phrasing.ts): every line the world prints and every alert
 * it raises has public and held-out wordings, with the same placeholders; what an agent observes
 * on public seeds never matches a held-out wording, and what it observes on held-out seeds never
 * matches a public one (log lines of observations, inspections and the episode's journal, alert
 * titles and descriptions of the page and of the active alerts); and one seed prints the same
 * lines every time.
 *
 * A wording is matched as a pattern: its text escaped, each placeholder a wildcard of the values it
 * can take (a number, a service name, one of the fault's detail values...).
 */
import { describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { ActionSchema, type Action } from "../gen/incident/v1/action_pb.js";
import { ActionType, RemediationKind } from "../gen/incident/v1/enums_pb.js";
import type { Observation } from "../gen/incident/v1/observation_pb.js";
import { enumFromWord } from "../src/sim/enum-words.js";
import { Episode } from "../src/env/episode.js";
import { TASKS } from "../src/env/tasks.js";
import { FAULTS, FAULT_KINDS } from "../src/scenarios/faults/index.js";
import { STALE_ERRORS, generateIncident } from "../src/scenarios/generate-incident.js";
import { SEED_RANGES } from "../src/scenarios/levels.js";
import type { Level, Phrasing, PhrasedText } from "../src/sim/vocabulary.js";
import { ALERT_DESCRIPTION, ALERT_TITLES } from "../src/sim/alert-wording.js";
import { CASCADE, GATEWAY_FAILURE, NOISY_NEIGHBOR, ROUTINE } from "../src/sim/generic-log-lines.js";
import { TopologyIndex } from "../src/sim/topology.js";

const PHRASINGS: readonly Phrasing[] = ["public", "held_out"];
const OTHER: Readonly<Record<Phrasing, Phrasing>> = { public: "held_out", held_out: "public" };
const PLACEHOLDER = /\{([a-z_]+(?::[a-z_]+)?)\}/g;
const LEFTOVER = /\{[a-z_:]+\}/;

interface Source {
  where: string;
  text: PhrasedText;
  /** Values of the {detail:x} placeholders its lines may carry. */
  details: Readonly<Record<string, readonly string[]>>;
}

function allSources(): Source[] {
  const out: Source[] = [];
  for (const kind of FAULT_KINDS) {
    const fault = FAULTS[kind];
    const { root, callers, callees = [], recovery } = fault.logs;
    for (const [part, templates] of Object.entries({ root, callers, callees, recovery })) {
      templates.forEach((text, i) => out.push({ where: `${kind}.logs.${part}[${i}]`, text, details: fault.details }));
    }
  }
  for (const [kind, lines] of Object.entries(ROUTINE))
    lines.forEach((text, i) => out.push({ where: `ROUTINE.${kind}[${i}]`, text, details: {} }));
  CASCADE.forEach((text, i) => out.push({ where: `CASCADE[${i}]`, text, details: {} }));
  STALE_ERRORS.forEach((text, i) => out.push({ where: `STALE_ERRORS[${i}]`, text, details: {} }));
  out.push({ where: "GATEWAY_FAILURE", text: GATEWAY_FAILURE, details: {} });
  out.push({ where: "NOISY_NEIGHBOR", text: NOISY_NEIGHBOR, details: {} });
  for (const [metric, text] of Object.entries(ALERT_TITLES)) out.push({ where: `ALERT_TITLES.${metric}`, text, details: {} });
  out.push({ where: "ALERT_DESCRIPTION", text: ALERT_DESCRIPTION, details: {} });
  return out;
}

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ""))].sort();
}

/** The wordings of a phrasing, as the brief defines them (read from the data, not from the code under test). */
function wordings(text: PhrasedText, phrasing: Phrasing): readonly string[] {
  return phrasing === "public" ? [text.message, ...text.paraphrases.public] : text.paraphrases.held_out;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const NODE_PLACEHOLDERS = new Set(["root", "caller", "callee", "entry", "node", "zone", "other_zone"]);

/** What a placeholder may turn into. */
function wildcard(name: string, details: Source["details"]): string {
  if (name === "n" || name === "timeout" || name === "minutes") return "\\d+";
  if (NODE_PLACEHOLDERS.has(name)) return "[\\w.-]+";
  if (name === "version" || name === "previous") return "v[\\w.-]+";
  if (name === "expired_at" || name === "renewed_until") return "[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4} GMT";
  if (name.startsWith("detail:")) {
    const values = details[name.slice("detail:".length)];
    if (!values) throw new Error(`no values for {${name}}`);
    return `(?:${values.map(escape).join("|")})`;
  }
  return ".+?";
}

/** The pattern of one wording: literal text escaped, placeholders as wildcards. */
function patternOf(wording: string, details: Source["details"]): string {
  let out = "";
  let last = 0;
  for (const m of wording.matchAll(PLACEHOLDER)) {
    out += escape(wording.slice(last, m.index)) + wildcard(m[1] ?? "", details);
    last = (m.index ?? 0) + m[0].length;
  }
  return out + escape(wording.slice(last));
}

interface Pool {
  /** One regex for the whole pool (fast); `which` names the wordings a string matches (for messages). */
  test: (s: string) => boolean;
  which: (s: string) => string[];
}

function poolOf(phrasing: Phrasing, sources: readonly Source[]): Pool {
  const entries = sources.flatMap((s) =>
    wordings(s.text, phrasing).map((w) => ({ where: `${s.where} ${JSON.stringify(w)}`, source: patternOf(w, s.details) })),
  );
  const all = new RegExp(`^(?:${entries.map((e) => e.source).join("|")})$`);
  const one = entries.map((e) => ({ where: e.where, re: new RegExp(`^(?:${e.source})$`) }));
  return { test: (s) => all.test(s), which: (s) => one.filter((e) => e.re.test(s)).map((e) => e.where) };
}

const SOURCES = allSources();
const POOLS: Readonly<Record<Phrasing, Pool>> = { public: poolOf("public", SOURCES), held_out: poolOf("held_out", SOURCES) };

/** Sample values for every placeholder, to render wordings outside an episode. */
function sampleVars(source: Source): Record<string, string> {
  const vars: Record<string, string> = {
    n: "7",
    timeout: "1500",
    minutes: "12",
    root: "orders-db",
    caller: "checkout-service",
    callee: "orders-db",
    entry: "edge-gateway",
    node: "api-gateway",
    zone: "az1",
    other_zone: "az2",
    version: "v2.4.1",
    previous: "v2.4.0",
    method: "GET",
    path: "orders",
    status: "503",
    metric: "cpu usage",
    signal: "error rate",
    value: "38.20%",
    threshold: "5.00%",
    expired_at: "Aug 26 10:39:00 2026 GMT",
    renewed_until: "Nov 24 10:39:00 2026 GMT",
  };
  for (const [name, values] of Object.entries(source.details)) vars[`detail:${name}`] = values[values.length - 1] ?? "";
  return vars;
}

const render = (wording: string, vars: Readonly<Record<string, string>>): string =>
  wording.replace(PLACEHOLDER, (whole, key: string) => vars[key] ?? whole);

describe("paraphrase pools", () => {
  it("cover every fault template and every generic line, alert title and description", () => {
    const templates = FAULT_KINDS.flatMap((k) => {
      const { root, callers, callees = [], recovery } = FAULTS[k].logs;
      return [...root, ...callers, ...callees, ...recovery];
    });
    expect(templates.length).toBeGreaterThan(100);
    expect(SOURCES.filter((s) => s.where.includes(".logs.")).length).toBe(templates.length);
    expect(SOURCES.length).toBeGreaterThan(templates.length + 20);
  });

  it.each(SOURCES.map((s) => [s.where, s] as const))(
    "%s: >= 2 public and >= 2 held-out wordings, all with the message's placeholders",
    (_where, source) => {
      const { message, paraphrases } = source.text;
      expect(paraphrases.public.length).toBeGreaterThanOrEqual(2);
      expect(paraphrases.held_out.length).toBeGreaterThanOrEqual(2);
      const expected = placeholders(message);
      for (const wording of [...paraphrases.public, ...paraphrases.held_out]) expect(placeholders(wording), wording).toEqual(expected);
      const all = [message, ...paraphrases.public, ...paraphrases.held_out];
      expect(new Set(all).size, "no wording repeated").toBe(all.length);
    },
  );

  it("the matcher recognises a rendered wording in its own pool and never in the other one", () => {
    let checked = 0;
    for (const source of SOURCES) {
      const vars = sampleVars(source);
      for (const phrasing of PHRASINGS) {
        for (const wording of wordings(source.text, phrasing)) {
          const line = render(wording, vars);
          expect(line, `${source.where}: ${wording}`).not.toMatch(LEFTOVER);
          expect(POOLS[phrasing].test(line), `${source.where}: "${line}" in its own pool`).toBe(true);
          expect(POOLS[OTHER[phrasing]].which(line), `${source.where}: "${line}" matches the ${OTHER[phrasing]} pool`).toEqual([]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
    // A line that is not in any pool is recognised as such.
    expect(POOLS.public.test("FATAL: sorry, too many clients already")).toBe(true);
    expect(POOLS.public.test("FATAL: sorry, too many clients already!")).toBe(false);
    expect(POOLS.held_out.test("FATAL: sorry, too many clients already")).toBe(false);
  });
});

interface Seen {
  phrasing: Phrasing;
  /** Every log line, alert title and alert description the agent saw, with where it saw it. */
  texts: Map<string, string>;
  /** The deploy system's change records (a trigger, a harmless deploy): one wording everywhere. */
  changeLog: Set<string>;
  journal: string[];
  hadDecoy: boolean;
}

function noteObservation(observation: Observation, texts: Map<string, string>): void {
  for (const line of observation.recentLogs) texts.set(line.message, "recent_logs");
  for (const line of observation.inspection?.recentLogs ?? []) texts.set(line.message, "inspection.recent_logs");
  for (const alert of [...(observation.alert ? [observation.alert] : []), ...observation.activeAlerts]) {
    texts.set(alert.title, "alert title");
    texts.set(alert.description, "alert description");
  }
}

/**
 * Plays a short script that sees most kinds of lines: inspect the root and a caller, apply the
 * fault's durable fix, then watch the root recover (recovery lines) for a few steps.
 */
function play(level: Level, seed: number): Seen {
  const { spec, world } = generateIncident(level, seed);
  const episode = new Episode(`phrasing-${level}-${seed}`, TASKS[level], seed, world, { maxLogLines: 100_000, maxEvents: 100_000 });
  const index = new TopologyIndex(spec.topology);
  const caller = index.callers(spec.root).find((e) => e.requestPath)?.caller ?? spec.root;
  const callee = index.callees(spec.root).find((e) => e.requestPath)?.callee ?? spec.root;
  const remedy = spec.fault.remedies.find((r) => r.effect === "durable") ?? spec.fault.remedies[0];
  const fixTarget = remedy?.target === "root_callers" ? caller : remedy?.target === "root_callees" ? callee : spec.root;
  const inspect = (target: string): Action => create(ActionSchema, { actionType: ActionType.INSPECT, targetService: target });
  const script = [
    inspect(spec.root),
    inspect(caller),
    create(ActionSchema, {
      actionType: ActionType.APPLY_FIX,
      targetService: fixTarget,
      remediation: {
        kind: enumFromWord(RemediationKind, remedy?.kind ?? "restart") ?? RemediationKind.RESTART,
        parameters: remedy?.kind === "scale" ? { replicas: "2" } : {},
      },
    }),
    inspect(spec.root),
    inspect(spec.root),
    inspect(spec.root),
  ];
  const texts = new Map<string, string>();
  noteObservation(episode.observe(), texts);
  for (const action of script) {
    if (episode.done) break;
    noteObservation(episode.step(action).observation, texts);
  }
  const journal = episode.logs.tail(100_000).map((l) => l.message);
  for (const message of journal) if (!texts.has(message)) texts.set(message, "log journal");
  const changeLog = new Set(
    world
      .timeline()
      .filter((e) => e.kind === "trigger")
      .map((e) => e.detail),
  );
  for (const d of spec.distractors) if (d.kind === "harmless_deploy") changeLog.add(`deployed ${d.node} ${d.version}`);
  return { phrasing: spec.phrasing, texts, changeLog, journal, hadDecoy: spec.distractors.some((d) => d.kind === "decoy_signature") };
}

const LEVELS: readonly Level[] = ["easy", "medium", "hard"];
const SEEDS_PER_LEVEL = 40;

describe("what agents observe", () => {
  const played = PHRASINGS.flatMap((phrasing) =>
    LEVELS.flatMap((level) =>
      Array.from({ length: SEEDS_PER_LEVEL }, (_, i) =>
        play(level, phrasing === "public" ? 1000 + i * 7919 : SEED_RANGES.held_out.first + 5 + i * 104_729),
      ),
    ),
  );

  it("plays a few hundred episodes of both phrasings, with decoys among them", () => {
    expect(played.filter((p) => p.phrasing === "public").length).toBe(LEVELS.length * SEEDS_PER_LEVEL);
    expect(played.filter((p) => p.phrasing === "held_out").length).toBe(LEVELS.length * SEEDS_PER_LEVEL);
    expect(played.filter((p) => p.hadDecoy && p.phrasing === "held_out").length).toBeGreaterThan(30);
    expect(played.filter((p) => p.hadDecoy && p.phrasing === "public").length).toBeGreaterThan(30);
  });

  it.each(PHRASINGS)("%s seeds: nothing observed matches a wording of the other phrasing, and every text is one of its own", (phrasing) => {
    const crossing: string[] = [];
    const unexplained: string[] = [];
    const distinct = new Map<string, string>();
    for (const p of played.filter((q) => q.phrasing === phrasing)) {
      for (const [text, where] of p.texts) {
        if (p.changeLog.has(text)) continue;
        distinct.set(text, where);
      }
    }
    const shapes = new Map<string, string>();
    for (const [text, where] of distinct) {
      if (POOLS[OTHER[phrasing]].test(text)) crossing.push(`${where}: "${text}" matches ${POOLS[OTHER[phrasing]].which(text).join("; ")}`);
      if (!POOLS[phrasing].test(text)) unexplained.push(`${where}: "${text}"`);
      else shapes.set(text.replace(/\d+/g, "0"), text);
    }
    const sourcesSeen = new Set([...shapes.values()].flatMap((text) => POOLS[phrasing].which(text).map((w) => w.slice(0, w.indexOf(" ")))));
    expect(crossing).toEqual([]);
    expect(unexplained).toEqual([]);
    // Enough texts, of nearly every kind, that the check means something (the matcher is tested above).
    expect(distinct.size).toBeGreaterThan(2000);
    expect(sourcesSeen.size / SOURCES.length).toBeGreaterThan(0.9);
    expect([...distinct.values()].filter((w) => w.startsWith("alert")).length).toBeGreaterThan(100);
  });

  it("public episodes show paraphrases as well as the original messages", () => {
    const originals = new Set(SOURCES.map((s) => patternOf(s.text.message, s.details)));
    const original = new RegExp(`^(?:${[...originals].join("|")})$`);
    const texts = played.filter((p) => p.phrasing === "public").flatMap((p) => [...p.texts.keys()].filter((t) => !p.changeLog.has(t)));
    const share = texts.filter((t) => original.test(t)).length / texts.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.7);
  });
});

describe("determinism of wordings", () => {
  it.each([7, SEED_RANGES.held_out.first + 11])("seed %d prints the same lines every time", (seed) => {
    for (const level of LEVELS) {
      const a = play(level, seed);
      const b = play(level, seed);
      expect(b.journal).toEqual(a.journal);
      expect([...b.texts.keys()]).toEqual([...a.texts.keys()]);
      expect(a.journal.length).toBeGreaterThan(10);
    }
  });

  it("one service prints one line one way for the whole incident", () => {
    const { spec, world } = generateIncident("medium", 42, { faultKind: "connection_pool_exhaustion" });
    const lines = [...world.openingLogs(), ...world.advance(30)].filter((l) => l.service === spec.root);
    const wordingsSeen = new Map<number, Set<string>>();
    for (const line of lines) {
      const i = spec.fault.logs.root.findIndex((t) =>
        wordings(t, spec.phrasing).some((w) => new RegExp(`^${patternOf(w, spec.fault.details)}$`).test(line.message)),
      );
      if (i >= 0) wordingsSeen.set(i, (wordingsSeen.get(i) ?? new Set()).add(line.message.replace(/\d+/g, "#")));
    }
    expect(wordingsSeen.size).toBeGreaterThan(0);
    for (const seen of wordingsSeen.values()) expect(seen.size).toBe(1);
  });
});

describe("fault templates in an incident", () => {
  it.each(FAULT_KINDS)("%s: every wording renders without leftover placeholders", (kind) => {
    const { world } = generateIncident("medium", 3, { faultKind: kind });
    const extra = { caller: "edge-gateway", callee: world.spec.root, timeout: "1000" };
    const { root, callers, callees = [], recovery } = FAULTS[kind].logs;
    for (const t of [...root, ...callers, ...callees, ...recovery]) {
      for (const wording of [t.message, ...t.paraphrases.public, ...t.paraphrases.held_out])
        expect(world.render(wording, extra), wording).not.toMatch(LEFTOVER);
    }
  });
});
