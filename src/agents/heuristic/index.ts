/**
 * The heuristic agent: a deterministic, rule-based SRE and the offline baseline (no model needed).
 * It reads only its observations, never the episode's ground truth.
 *
 * 1. Suspects: every log line is matched against the error messages of known failure modes
 *    (./signals.ts); lines a service prints about itself point at it, lines its callers print
 *    point at the service they name; metrics past their thresholds add weight, and an anomalous
 *    service whose callees look healthy is favoured (the trouble is followed down the request
 *    graph). The best suspect is the root, its best-matching failure mode the fault.
 * 2. Inspect the suspect (and re-rank with what the inspection shows), then one of its callers
 *    (or the change log) for context.
 * 3. easy: diagnose the root with the fault class. medium and hard: apply the playbook's fix
 *    (./playbook.ts) early, diagnose, and keep looking (alternating inspections) until the
 *    incident has been mitigated for two steps; if it does not recover after three steps, try the
 *    next fix. Then write the runbook (medium) or a postmortem built from what was seen (hard:
 *    clock times from timestamps, impact from error rates, trigger from the change log), and
 *    resolve.
 */
import { create } from "@bufbuild/protobuf";
import { ActionSchema, type Action } from "../../../gen/incident/v1/action_pb.js";
import { ActionType, FaultKind, IncidentStatus, ServiceKind, TaskLevel } from "../../../gen/incident/v1/enums_pb.js";
import { enumFromWord } from "../../sim/enum-words.js";
import type { Observation } from "../../../gen/incident/v1/observation_pb.js";
import type { Agent } from "../agent.js";
import { Evidence, ms } from "./evidence.js";
import { PLAYBOOK, type FixPlan } from "./playbook.js";
import { SIGNALS_BY_FAULT, type FaultWord } from "./signals.js";
import { minuteZeroMs, postmortem, runbookSteps, type AppliedFix } from "./writing.js";

/** Steps a fix gets to show recovery before the next one is tried. */
const FIX_PATIENCE = 3;
/** Steps the incident must look mitigated before it is trusted (health must hold 10 minutes). */
const HOLD_STEPS = 2;

function faultKindEnum(fault: FaultWord): FaultKind {
  return enumFromWord(FaultKind, fault) ?? FaultKind.UNSPECIFIED;
}

export function heuristicAgent(): Agent {
  const evidence = new Evidence();
  let step = 0;
  let root: string | undefined;
  let fault: FaultWord | undefined;
  let alternatives: FaultWord[] = [];
  let previousInspect: string | undefined;
  let diagnosed = false;
  let wroteDocument = false;
  let escalated = false;
  let openingLatestMs: number | undefined;
  const inspected = new Set<string>();
  const tried: Array<{ plan: FixPlan; fault: FaultWord; target: string; step: number; minute: number }> = [];
  let applied: AppliedFix | undefined;
  let mitigatedSteps = 0;

  const action = (init: Parameters<typeof create<typeof ActionSchema>>[1]): Action => create(ActionSchema, init);

  const inspect = (target: string, why: string): Action => {
    inspected.add(target);
    previousInspect = target;
    return action({ actionType: ActionType.INSPECT, targetService: target, reasoning: why });
  };

  /** A caller of the root on the request path (the most useful context), else the change log, else a callee. */
  const contextService = (r: string): string | undefined => {
    const callers = (evidence.callers.get(r) ?? []).filter((c) => c !== r);
    const uninspected = callers.find((c) => !inspected.has(c));
    if (uninspected) return uninspected;
    const config = evidence.ofKind(ServiceKind.CONFIG).find((c) => !inspected.has(c));
    if (config) return config;
    return callers[0] ?? (evidence.callees.get(r) ?? [])[0] ?? evidence.ofKind(ServiceKind.CONFIG)[0];
  };

  /** Something to look at while waiting, never the service inspected just before. */
  const waitInspect = (r: string, why: string): Action => {
    const options = [
      r,
      ...(evidence.callers.get(r) ?? []),
      ...evidence.ofKind(ServiceKind.GATEWAY),
      ...evidence.ofKind(ServiceKind.CONFIG),
    ];
    const target = options.find((o) => o !== previousInspect) ?? r;
    return inspect(target, why);
  };

  const signalLineTimes = (r: string, f: FaultWord): number[] => {
    const patterns = SIGNALS_BY_FAULT.get(f)?.logs ?? [];
    const out: number[] = [];
    for (const line of evidence.logs.values()) {
      for (const p of patterns) {
        const m = p.re.exec(line.message);
        if (m && ((p.role === "root" && line.service === r) || (p.role === "caller" && m[1] === r))) out.push(ms(line));
      }
    }
    return out;
  };

  const nextFix = (r: string): { plan: FixPlan; fault: FaultWord; target: string } | undefined => {
    for (const f of [fault, ...alternatives].filter((x): x is FaultWord => x !== undefined)) {
      for (const plan of PLAYBOOK[f].fixes) {
        const targets =
          plan.target === "root" ? [r] : plan.target === "callers" ? (evidence.callers.get(r) ?? []) : (evidence.callees.get(r) ?? []);
        const target = targets[0];
        if (target === undefined) continue;
        if (tried.some((t) => t.plan.kind === plan.kind && t.target === target)) continue;
        return { plan, fault: f, target };
      }
    }
    return undefined;
  };

  return {
    name: "heuristic",
    act(observation: Observation): Action {
      step++;
      evidence.ingest(observation);
      if (step === 1) openingLatestMs = Math.max(...observation.recentLogs.map(ms), 0) || undefined;
      const level = observation.taskLevel;
      const maxSteps = observation.maxSteps || 10;
      const left = maxSteps - step + 1;

      // Who is failing, and how. Settled once a fix has been applied.
      if (!applied) {
        const best = evidence.suspects()[0];
        if (best) {
          root = best.service;
          fault = best.fault;
          alternatives = best.alternatives;
        }
      }
      const r = root ?? evidence.page?.affectedServices[0] ?? [...evidence.services.keys()][0] ?? "unknown";
      const f = fault;

      // Was the last fix enough? The incident status says so within a few steps.
      if (observation.currentIncidentStatus === IncidentStatus.MITIGATED || observation.currentIncidentStatus === IncidentStatus.RESOLVED)
        mitigatedSteps++;
      else mitigatedSteps = 0;
      const last = tried[tried.length - 1];
      if (last && mitigatedSteps > 0 && !applied) applied = { kind: last.plan.kind, target: last.target, minute: last.minute };
      // A fix the system reports had no effect at all is given up at once (as if its patience ran out).
      if (last && !applied && /did not change|nothing was changed|needs nothing more/.test(observation.feedback) && step === last.step + 1)
        last.step = -FIX_PATIENCE;

      const diagnose = (): Action => {
        diagnosed = true;
        return action({
          actionType: ActionType.DIAGNOSE,
          targetService: r,
          ...(f ? { faultKind: faultKindEnum(f) } : {}),
          reasoning: f ? `${r}: ${PLAYBOOK[f].headline}` : `${r} shows the strongest signals`,
        });
      };

      // 1. Look at the suspect first.
      if (!inspected.has(r) && step <= maxSteps - 2) return inspect(r, `the strongest signals point at ${r}`);

      if (level === TaskLevel.EASY) {
        const context = contextService(r);
        if (step < 3 && context && !inspected.has(context) && context !== r) return inspect(context, `context for ${r}`);
        return diagnose();
      }

      // 2. Fix early (the mitigation is discounted by the step it lands at), then diagnose.
      const pending = tried[tried.length - 1];
      const waitedOut = !pending || (!applied && step - pending.step > FIX_PATIENCE);
      if (!applied && waitedOut && left > 2) {
        const fix = nextFix(r);
        if (fix) {
          tried.push({ ...fix, step, minute: observation.timeElapsedMinutes });
          return action({
            actionType: ActionType.APPLY_FIX,
            targetService: fix.target,
            remediation: { kind: fix.plan.kind, parameters: { ...(fix.plan.parameters ?? {}) } },
            reasoning: `${PLAYBOOK[fix.fault].headline} on ${r}`,
          });
        }
      }
      if (!diagnosed) return diagnose();
      // Only the provider can repair its outage: hand it over.
      if (f === "third_party_outage" && !escalated) {
        escalated = true;
        return action({
          actionType: ActionType.ESCALATE,
          targetService: r,
          reasoning: `${r} is down on the provider's side; opening a ticket with their support`,
        });
      }

      // 3. Context for the root.
      const context = contextService(r);
      if (context && !inspected.has(context) && left > 3) return inspect(context, `context for ${r}`);

      const held = mitigatedSteps > HOLD_STEPS;
      const mustWrite = left <= 2;
      // The postmortem's recovery time comes from an inspection of the root taken after it recovered.
      const rootSeen = evidence.inspections.get(r);
      const writesPostmortem = level === TaskLevel.HARD || level === TaskLevel.EXPERT;
      const sawRecovery = !writesPostmortem || !applied || (rootSeen !== undefined && rootSeen.takenAtMinute > applied.minute + 5);
      if (!wroteDocument && held && !sawRecovery && !mustWrite && previousInspect !== r)
        return inspect(r, `checking that ${r} has recovered`);
      if (!wroteDocument && ((held && sawRecovery) || mustWrite || (level === TaskLevel.MEDIUM && applied !== undefined))) {
        wroteDocument = true;
        if (level === TaskLevel.MEDIUM) {
          return action({
            actionType: ActionType.WRITE_RUNBOOK,
            targetService: r,
            runbookSteps: runbookSteps(f, r),
            reasoning: `runbook for ${f ? PLAYBOOK[f].headline : "the incident"} on ${r}`,
          });
        }
        const zero = minuteZeroMs(evidence, applied, openingLatestMs);
        const pm = postmortem({ evidence, fault: f, root: r, fix: applied, zeroMs: zero, signalLines: f ? signalLineTimes(r, f) : [] });
        return action({
          actionType: ActionType.WRITE_POSTMORTEM,
          targetService: r,
          severityAssessment: pm.severity,
          postmortemSections: pm.sections,
          reasoning: `postmortem for ${f ? PLAYBOOK[f].headline : "the incident"} on ${r}`,
        });
      }
      if (wroteDocument && (held || left <= 1))
        return action({ actionType: ActionType.RESOLVE, reasoning: held ? "health has held since the fix" : "out of time" });
      return waitInspect(r, applied ? `watching ${r} recover` : `waiting for the fix on ${r} to take effect`);
    },
  };
}
