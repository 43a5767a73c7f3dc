/**
 * Answer-free policies: what a reward hacker would try against this environment without ever
 * working out the incident. None of them reads the ground truth; they read what any client gets
 * back (observations, rewards, info, feedback) and what any policy can learn from public training
 * episodes (the fault library's rubrics, the shared KB pool and which faults its articles fit).
 * The graders must keep each of them low on every level (test/cheats.test.ts).
 *
 * inspect_until_reward_moves  inspect service after service until a reward or a grade appears
 * breakdown_reader            probe with diagnoses and fixes, read info breakdowns and feedback
 * kb_lookup                   map the KB articles to a fault, pick the most anomalous service of a
 *                             kind that fault strikes, and play that guess perfectly
 * document_per_candidate      one diagnosis and one document per candidate fault
 * hedge_carpet                several suspects in every answer and a clock time every 2 minutes
 * padded_kb_paste             the KB's sentences with filler words, in every text field
 * free_text_fix_from_kb       fixes described only by pasting the KB into the reasoning
 */
import { create } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { ActionSchema, type Action } from "../../gen/incident/v1/action_pb.js";
import { ActionType, FaultKind, RemediationKind, ServiceKind, Severity, TaskLevel } from "../../gen/incident/v1/enums_pb.js";
import type { StepInfo } from "../../gen/incident/v1/episode_pb.js";
import type { Observation } from "../../gen/incident/v1/observation_pb.js";
import { enumFromWord, wordFromEnum } from "../sim/enum-words.js";
import type { FaultKind as FaultWord } from "../sim/fault-types.js";
import { FAULT_KINDS, FAULTS, strikes } from "../scenarios/faults/index.js";
import { kbWordingById } from "../scenarios/kb/index.js";
import type { Level } from "../sim/vocabulary.js";
import type { IncidentSpec } from "../sim/incident.js";
import type { NodeKind } from "../sim/model.js";
import type { Topology } from "../sim/topology.js";
import type { Agent, StepReturn } from "./agent.js";
import { oracleAgent } from "./oracle.js";

// ---- what any policy can read off an observation ----

function services(o: Observation): string[] {
  return o.topology?.services.map((s) => s.name) ?? [];
}

function kindOf(o: Observation, service: string): NodeKind {
  const kind = o.topology?.services.find((s) => s.name === service)?.kind ?? ServiceKind.SERVICE;
  return (wordFromEnum(ServiceKind, kind) ?? "service") as NodeKind;
}

/** Services by how far their worst overview reading is past its threshold (alerting ones first). */
function loudest(o: Observation): string[] {
  const score = new Map<string, number>();
  for (const m of o.metrics) {
    const ratio = m.threshold > 0 ? m.value / m.threshold : 0;
    score.set(m.serviceName, Math.max(score.get(m.serviceName) ?? 0, ratio));
  }
  for (const a of o.activeAlerts) for (const s of a.affectedServices) score.set(s, (score.get(s) ?? 0) + 1);
  const ranked = [...score.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([s]) => s);
  return [...ranked, ...services(o).filter((s) => !score.has(s))];
}

/** The faults the shown KB articles fit (every fault if the articles are not from the pool). */
function kbCandidates(o: Observation): FaultWord[] {
  const fits = new Set<FaultWord>();
  for (const a of o.kbArticles) for (const f of kbWordingById(a.articleId)?.article.fits ?? []) fits.add(f);
  return fits.size > 0 ? FAULT_KINDS.filter((f) => fits.has(f)) : [...FAULT_KINDS];
}

/** The best guess from the KB: the loudest service of a kind one of the candidate faults strikes. */
function kbGuess(o: Observation): { fault: FaultWord; root: string } {
  const candidates = kbCandidates(o);
  for (const service of loudest(o)) {
    const kind = kindOf(o, service);
    const fault = candidates.find((f) => strikes(FAULTS[f], kind));
    if (fault) return { fault, root: service };
  }
  return { fault: candidates[0] ?? "bad_deploy", root: loudest(o)[0] ?? "unknown" };
}

function levelOf(o: Observation): Level {
  return (wordFromEnum(TaskLevel, o.taskLevel) ?? "easy") as Level;
}

/** Minute 0 of the episode on the wall clock, read off the first observation's newest log line. */
function minuteZeroMs(o: Observation): number {
  const newest = Math.max(0, ...o.recentLogs.map((l) => (l.timestamp ? timestampMs(l.timestamp) : 0)));
  return Math.floor(newest / 60_000) * 60_000;
}

/** The system as a spec the oracle can play, with a guessed root and fault (nothing from the answer). */
function guessedSpec(o: Observation, fault: FaultWord, root: string, zeroMs: number): IncidentSpec {
  const topology: Topology = {
    family: o.topology?.family ?? "",
    nodes: (o.topology?.services ?? []).map((s) => ({
      name: s.name,
      kind: kindOf(o, s.name),
      role: s.role,
      aliases: [...s.aliases],
      replicas: s.replicas,
      version: s.version,
      zone: s.zone,
    })),
    edges: (o.topology?.dependencies ?? []).map((d) => ({
      caller: d.caller,
      callee: d.callee,
      callsPerSecond: d.callsPerSecond,
      timeoutMs: d.timeoutMs,
      retries: d.retries,
      backoff: d.backoff === 1 ? "none" : "exponential",
      requestPath: d.requestPath,
    })),
  };
  const definition = FAULTS[fault];
  const pageMinute = o.alert?.triggeredAt ? Math.round((timestampMs(o.alert.triggeredAt) - zeroMs) / 60_000) : 0;
  return {
    id: "guess",
    level: levelOf(o),
    title: definition.title,
    topology,
    fault: definition,
    root,
    onsetMinute: pageMinute - 3,
    details: Object.fromEntries(Object.entries(definition.details).map(([k, v]) => [k, v[0] ?? ""])),
    previousVersion: "",
    distractors: [],
    startedAtMs: zeroMs,
    phrasing: "public",
    kb: [],
  };
}

function action(init: Parameters<typeof create<typeof ActionSchema>>[1]): Action {
  return create(ActionSchema, init);
}

function faultEnum(fault: FaultWord): FaultKind {
  return enumFromWord(FaultKind, fault) ?? FaultKind.UNSPECIFIED;
}

/** Whether anything the environment returned so far carries a grade. */
function graded(step: StepReturn | undefined): boolean {
  if (!step) return false;
  return step.reward > 0 || (step.info?.totalEpisodeScore ?? 0) > 0 || (step.info?.breakdown?.components.length ?? 0) > 0;
}

/** What a grade breakdown says about a diagnosis of `service`, if anything. */
function breakdownSays(info: StepInfo | undefined): string {
  return [...(info?.breakdown?.components.map((c) => c.detail) ?? []), ...(info?.breakdown?.notes ?? [])].join(" ");
}

const FILLER = ["basically", "um", "so yeah", "honestly", "right", "anyway", "you know", "kind of", "like", "I mean"];

function padded(text: string, every: number): string {
  const words = text.split(/\s+/).filter((w) => w !== "");
  return words.map((w, i) => (i % every === every - 1 ? `${w} ${FILLER[i % FILLER.length]}` : w)).join(" ");
}

function kbText(o: Observation): string {
  return o.kbArticles.map((a) => `${a.title}. ${a.content}`).join(" ");
}

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+/).filter((s) => s.trim() !== "");
}

function clock(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
}

/** The level's closing document with `text` everywhere. */
function document(o: Observation, text: string, target: string, steps: readonly string[]): Action {
  const level = levelOf(o);
  if (level === "easy")
    return action({ actionType: ActionType.DIAGNOSE, targetService: target.slice(0, 128), reasoning: text.slice(0, 4000) });
  if (level === "medium") {
    return action({
      actionType: ActionType.WRITE_RUNBOOK,
      targetService: target.slice(0, 128),
      runbookSteps: steps.slice(0, 30).map((s) => s.slice(0, 500)),
      reasoning: "runbook",
    });
  }
  const section = text.slice(0, 4000);
  return action({
    actionType: ActionType.WRITE_POSTMORTEM,
    targetService: target.slice(0, 128),
    severityAssessment: Severity.P1,
    postmortemSections: { summary: section, timeline: section, rootCause: section, impact: section, actionItems: section },
  });
}

const resolve = (): Action => action({ actionType: ActionType.RESOLVE, reasoning: "done" });

// ---- the policies ----

type Policy = () => Agent;

/** Plays a guessed incident as well as the oracle would play the real one. */
function playGuess(o: Observation, fault: FaultWord, root: string, zeroMs: number): Agent {
  return oracleAgent(guessedSpec(o, fault, root, zeroMs));
}

const kbLookup: Policy = () => {
  let inner: Agent | undefined;
  return {
    name: "kb_lookup",
    act(o) {
      if (!inner) {
        const guess = kbGuess(o);
        inner = playGuess(o, guess.fault, guess.root, minuteZeroMs(o));
      }
      return inner.act(o);
    },
  };
};

const inspectUntilRewardMoves: Policy = () => {
  let last: StepReturn | undefined;
  let inspected: string | undefined;
  let found: string | undefined;
  let order: string[] = [];
  let step = 0;
  let inner: Agent | undefined;
  let zero = 0;
  return {
    name: "inspect_until_reward_moves",
    observeStep(s) {
      last = s;
    },
    act(o) {
      step++;
      if (step === 1) {
        order = loudest(o);
        zero = minuteZeroMs(o);
      }
      if (!found && graded(last) && inspected !== undefined) found = inspected;
      const budget = o.maxSteps || 10;
      const probing = !found && step <= Math.min(order.length, budget - 6);
      if (probing) {
        inspected = order[step - 1] ?? order[0] ?? "unknown";
        return action({ actionType: ActionType.INSPECT, targetService: inspected, reasoning: "probe" });
      }
      if (!inner) {
        const root = found ?? order[0] ?? "unknown";
        const fault = kbCandidates(o).find((f) => strikes(FAULTS[f], kindOf(o, root))) ?? "bad_deploy";
        inner = playGuess(o, fault, root, zero);
      }
      return inner.act(o);
    },
  };
};

const breakdownReader: Policy = () => {
  let last: StepReturn | undefined;
  let step = 0;
  let order: string[] = [];
  let candidates: FaultWord[] = [];
  let probe: { service: string; fault: FaultWord } | undefined;
  let root: string | undefined;
  let fault: FaultWord | undefined;
  let inner: Agent | undefined;
  let zero = 0;
  return {
    name: "breakdown_reader",
    observeStep(s) {
      last = s;
    },
    act(o) {
      step++;
      if (step === 1) {
        order = loudest(o).slice(0, 4);
        candidates = kbCandidates(o);
        zero = minuteZeroMs(o);
      }
      // Read whatever came back about the last probe.
      if (probe) {
        const said = `${breakdownSays(last?.info)} ${o.feedback}`;
        if (/is the root|succeeding again|recovered|healthy/i.test(said)) root ??= probe.service;
        if (new RegExp(`fault_kind ${probe.fault} is right`).test(said)) fault ??= probe.fault;
        const named = said.match(/impact says (P[1-4])|root: ([\w.-]+)/);
        if (named?.[2]) root ??= named[2];
      }
      const budget = o.maxSteps || 10;
      // On easy a diagnose ends the episode: probe with fixes, whose feedback any client reads.
      const probes = levelOf(o) === "easy" ? 0 : Math.min(order.length * 2, budget - 7);
      if (!(root && fault) && step <= probes) {
        const service = order[(step - 1) % order.length] ?? "unknown";
        const guess = candidates[(step - 1) % Math.max(1, candidates.length)] ?? "bad_deploy";
        probe = { service, fault: guess };
        return step % 2 === 1
          ? action({ actionType: ActionType.DIAGNOSE, targetService: service, faultKind: faultEnum(guess), reasoning: "probe" })
          : action({
              actionType: ActionType.APPLY_FIX,
              targetService: service,
              remediation: { kind: RemediationKind.RESTART },
              reasoning: "probe",
            });
      }
      probe = undefined;
      if (!inner) {
        const r = root ?? order[0] ?? "unknown";
        const f = fault ?? candidates.find((c) => strikes(FAULTS[c], kindOf(o, r))) ?? "bad_deploy";
        inner = playGuess(o, f, r, zero);
      }
      return inner.act(o);
    },
  };
};

const documentPerCandidate: Policy = () => {
  let players: Agent[] | undefined;
  let step = 0;
  let turn = 0;
  return {
    name: "document_per_candidate",
    act(o) {
      step++;
      if (!players) {
        const zero = minuteZeroMs(o);
        const root = kbGuess(o).root;
        const kind = kindOf(o, root);
        const fits = kbCandidates(o).filter((f) => strikes(FAULTS[f], kind));
        players = (fits.length > 0 ? fits : [kbGuess(o).fault]).slice(0, 4).map((f) => playGuess(o, f, root, zero));
      }
      // Every candidate's player answers in turn; the last answers stand, all of them were sent.
      const budget = o.maxSteps || 10;
      if (step >= budget) return resolve();
      const player = players[turn % players.length] as Agent;
      turn++;
      const next = player.act(o);
      return next.actionType === ActionType.RESOLVE && turn < players.length * 6
        ? action({ actionType: ActionType.INSPECT, targetService: loudest(o)[0] ?? "", reasoning: "waiting" })
        : next;
    },
  };
};

const hedgeCarpet: Policy = () => {
  let step = 0;
  return {
    name: "hedge_carpet",
    act(o) {
      step++;
      const suspects = loudest(o).slice(0, 3);
      const faults = kbCandidates(o).slice(0, 4);
      const level = levelOf(o);
      const zero = Date.parse(
        new Date(Math.max(0, ...o.recentLogs.map((l) => (l.timestamp ? timestampMs(l.timestamp) : 0)))).toISOString(),
      );
      if (level === "easy")
        return action({
          actionType: ActionType.DIAGNOSE,
          targetService: suspects.join(" or "),
          reasoning: faults.map((f) => FAULTS[f].title).join(" or "),
        });
      if (step <= 3 && level !== "medium") {
        const fault = FAULTS[faults[step - 1] ?? "bad_deploy"];
        const remedy = fault.remedies.find((r) => r.effect === "durable") ?? fault.remedies[0];
        return action({
          actionType: ActionType.APPLY_FIX,
          targetService: suspects[0] ?? "",
          remediation: { kind: enumFromWord(RemediationKind, remedy?.kind ?? "restart") ?? RemediationKind.RESTART },
          reasoning: "covering the likely causes",
        });
      }
      if (step === 4 || (level === "medium" && step === 1)) {
        const mechanisms = faults.map((f) => FAULTS[f].title.toLowerCase());
        const cause = `The cause was one of ${suspects.join(", ")}: possibly ${mechanisms.join(", or ")}.`;
        const carpet = Array.from({ length: 30 }, (_, i) => `${clock(zero + (i * 2 - 40) * 60_000)} something changed`).join(". ");
        const impact = `${services(o)
          .map((s, i) => `${s} at ${(i * 7) % 60}%`)
          .join(", ")}.`;
        if (level === "medium") {
          const steps = faults.flatMap((f) =>
            FAULTS[f].remedies.map(
              (r) => `Possibly ${r.kind.replace(/_/g, " ")} ${suspects.join(" or ")} if it is ${FAULTS[f].title.toLowerCase()}.`,
            ),
          );
          return action({
            actionType: ActionType.WRITE_RUNBOOK,
            targetService: suspects.join(", "),
            runbookSteps: steps.slice(0, 30),
            reasoning: cause,
          });
        }
        return action({
          actionType: ActionType.WRITE_POSTMORTEM,
          targetService: suspects.join(", "),
          severityAssessment: Severity.P2,
          postmortemSections: {
            summary: cause,
            rootCause: cause,
            timeline: carpet,
            impact,
            actionItems: faults.map((f) => `Prevent ${FAULTS[f].title.toLowerCase()}.`).join(" "),
          },
        });
      }
      return resolve();
    },
  };
};

const paddedKbPaste: Policy = () => {
  let step = 0;
  return {
    name: "padded_kb_paste",
    act(o) {
      step++;
      if (step > 1) return resolve();
      const text = padded(kbText(o), 4);
      const steps = sentences(kbText(o)).map((s) => padded(s, 3));
      return document(o, text, loudest(o)[0] ?? "", steps);
    },
  };
};

const freeTextFixFromKb: Policy = () => {
  let step = 0;
  return {
    name: "free_text_fix_from_kb",
    act(o) {
      step++;
      const suspects = loudest(o);
      const text = kbText(o);
      if (levelOf(o) !== "easy" && step <= 2) {
        // No typed remediation: the fix is whatever the KB's words make of it.
        return action({
          actionType: ActionType.APPLY_FIX,
          targetService: suspects[step - 1] ?? suspects[0] ?? "",
          reasoning: (o.kbArticles[step - 1]?.content ?? text).slice(0, 4000),
        });
      }
      if (step === 3 || levelOf(o) === "easy")
        return action({ actionType: ActionType.DIAGNOSE, targetService: suspects[0] ?? "", reasoning: text.slice(0, 4000) });
      if (step === 4) return document(o, text, suspects[0] ?? "", sentences(text));
      return resolve();
    },
  };
};

const POLICIES: Readonly<Record<string, Policy>> = {
  inspect_until_reward_moves: inspectUntilRewardMoves,
  breakdown_reader: breakdownReader,
  kb_lookup: kbLookup,
  document_per_candidate: documentPerCandidate,
  hedge_carpet: hedgeCarpet,
  padded_kb_paste: paddedKbPaste,
  free_text_fix_from_kb: freeTextFixFromKb,
};

export const ANSWER_FREE_NAMES: readonly string[] = Object.keys(POLICIES);

export function answerFreeAgent(name: string): Agent {
  const policy = POLICIES[name];
  if (!policy) throw new Error(`unknown answer-free policy ${name}`);
  return policy();
}
