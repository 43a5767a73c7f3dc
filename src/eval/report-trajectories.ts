/**
 * What a run's trajectory file adds to its results in the report: the fault mode of the episodes
 * a remote run filed under `unknown`, and the grade components of results written before they
 * were recorded.
 *
 * A remote run cannot see a generated episode's fault mode (it is the answer), but its trajectory
 * holds the reset request, and episodes are deterministic: the same request builds the same
 * incident in process. The trajectory knows the fault when it recorded one, or when the episode
 * rebuilt here from its reset request has the recorded scenario id, on the same environment
 * version as the run's (another version may generate another incident from the same seed).
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
import { ResetRequestSchema } from "../../gen/incident/v1/service_pb.js";
import { ENVIRONMENT_VERSION, IncidentEnvironment } from "../env/environment.js";
import { fromRestJson } from "../json/rest-json.js";
import { byFault, UNKNOWN_FAULT, type EpisodeOutcome, type EvalResults } from "./results.js";
import { parseTrajectoryLine, type Trajectory } from "./trajectory.js";

/** Every trajectory of a JSONL file (gzipped when its name ends in .gz). */
export async function readTrajectoryFile(path: string): Promise<Trajectory[]> {
  const raw = createReadStream(path);
  const input = path.endsWith(".gz") ? raw.pipe(createGunzip()) : raw;
  raw.on("error", (e) => input.destroy(e));
  const out: Trajectory[] = [];
  let lineNumber = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (text.trim() !== "") out.push(parseTrajectoryLine(text, lineNumber));
  }
  return out;
}

const key = (agent: string, task: string, seed: number, scenarioId: string): string => `${agent}|${task}|${seed}|${scenarioId}`;

/** The fault mode the trajectory knows, if any (see the module comment). */
function knownFault(t: Trajectory, version: string, env: IncidentEnvironment): string | undefined {
  if (t.fault !== "" && t.fault !== UNKNOWN_FAULT) return t.fault;
  if (version !== ENVIRONMENT_VERSION || t.scenario_id === "") return undefined;
  const episodeId = "report-rebuild";
  try {
    const request = fromRestJson(ResetRequestSchema, { ...t.reset, episode_id: episodeId });
    const start = env.reset(request);
    const rebuilt = start.state?.scenarioId === t.scenario_id ? env.episodeRecord(episodeId).spec.fault.kind : undefined;
    env.closeEpisode({ $typeName: "incident.v1.CloseEpisodeRequest", episodeId });
    return rebuilt;
  } catch {
    // a reset request this version does not take: the fault stays unknown
    return undefined;
  }
}

/** The grade components of the trajectory's last graded step. */
function componentsOf(t: Trajectory): Record<string, number> | undefined {
  for (let i = t.steps.length - 1; i >= 0; i--) {
    const components = (t.steps[i]?.info as { breakdown?: { components?: Array<{ name?: string; score?: number }> } | null } | undefined)
      ?.breakdown?.components;
    if (components) return Object.fromEntries(components.map((c) => [c.name ?? "", c.score ?? 0]));
  }
  return undefined;
}

/**
 * The results with what their trajectories know: unknown fault modes filled in (and the per-fault
 * summaries recomputed), missing grade components added. Trajectories of other runs are ignored.
 */
export function withTrajectories(results: EvalResults, trajectories: readonly Trajectory[]): EvalResults {
  const mine = new Map(trajectories.filter((t) => t.agent === results.agent).map((t) => [key(t.agent, t.task, t.seed, t.scenario_id), t]));
  if (mine.size === 0) return results;
  const env = new IncidentEnvironment({ limits: { maxLiveEpisodes: 10 } });
  const episodes: EpisodeOutcome[] = results.episode_results.map((e) => {
    const t = mine.get(key(results.agent, e.task, e.seed, e.scenario_id));
    if (!t) return e;
    const fault = e.fault === UNKNOWN_FAULT ? (knownFault(t, results.environment.version, env) ?? e.fault) : e.fault;
    const components = e.components ?? componentsOf(t);
    return { ...e, fault, ...(components ? { components } : {}) };
  });
  const perTask = Object.fromEntries(
    Object.entries(results.per_task).map(([task, summary]) => [
      task,
      summary && { ...summary, per_fault: byFault(episodes.filter((e) => e.task === task)) },
    ]),
  ) as EvalResults["per_task"];
  return { ...results, per_fault: byFault(episodes), per_task: perTask, episode_results: episodes };
}
