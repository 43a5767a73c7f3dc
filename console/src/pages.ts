/**
 * The console's pages, one per route: the episode list (#/), starting an episode (#/play), an
 * episode followed live and, when this tab started it, played (#/episode/<id>), and replay mode
 * (#/replay). Each page returns a function that stops what it started.
 */
import { api, describeError } from "./api.js";
import { announce, formatScore, h, replaceChildren } from "./dom.js";
import { EpisodeModel, type EpisodeState, type Observation } from "./model.js";
import { SchemaForm, type JsonSchema } from "./schema-form.js";
import { follow } from "./sse.js";
import { Recorder, download, parseTrajectories, type StepResponse, type Trajectory } from "./trajectory.js";
import { EpisodeView } from "./view.js";

export type Cleanup = () => void;

/** Episodes this tab started, with their recordings (kept in sessionStorage across reloads). */
const owned = new Map<string, Recorder>();

function recorderOf(episodeId: string): Recorder | undefined {
  let recorder = owned.get(episodeId);
  if (!recorder) {
    recorder = Recorder.restore(episodeId);
    if (recorder) owned.set(episodeId, recorder);
  }
  return recorder;
}

const LIST_REFRESH_MS = 2000;
const PLAYED_BY_REFRESH_MS = 10_000;
/** How often an episode view polls when the server refuses its event stream (MAX_SUBSCRIBERS_PER_EPISODE). */
const POLL_MS = 2000;

interface Summary {
  state: EpisodeState;
  transport: string;
  last_active: string | null;
}

/** Who plays, from ListEpisodes' transport (a ClientTransport word in the REST JSON). */
function whoPlays(transport: string): string {
  if (transport === "console") return "a person (console)";
  if (transport === "unspecified" || transport === "") return "unknown (played through another replica)";
  return `an agent over ${transport.replace(/_/g, "-")}`;
}

export function listPage(main: HTMLElement): Cleanup {
  const body = h("tbody");
  const note = h("p", { class: "hint", role: "status" });
  main.append(
    h("h1", { tabindex: -1 }, "Live episodes"),
    h(
      "p",
      { class: "hint" },
      "Every episode on this server you may see, refreshed every 2 s. Open one to follow it as it is played, over any transport.",
    ),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { "aria-label": "Live episodes", class: "cards" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ...["Episode", "Level", "Scenario", "Step", "Score", "Status", "Incident", "Played by"].map((c) =>
              h("th", { scope: "col" }, c),
            ),
          ),
        ),
        body,
      ),
    ),
    note,
  );
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = async (): Promise<void> => {
    try {
      const answer = await api<{ episodes: Summary[]; truncated: boolean }>("GET", "/episodes");
      if (stopped) return;
      replaceChildren(
        body,
        ...answer.episodes.map(({ state, transport }) =>
          h(
            "tr",
            { "data-episode": state.episode_id },
            h("td", { "data-label": "Episode" }, h("a", { href: `#/episode/${encodeURIComponent(state.episode_id)}` }, state.episode_id)),
            h("td", { "data-label": "Level" }, state.task_level),
            h("td", { "data-label": "Scenario" }, state.scenario_id),
            h("td", { "data-label": "Step" }, `${state.step_count} / ${state.max_steps}`),
            h("td", { "data-label": "Score" }, formatScore(state.total_reward)),
            h("td", { "data-label": "Status", class: `status-${state.status}` }, state.status.replace(/_/g, " ")),
            h("td", { "data-label": "Incident" }, state.incident_status.replace(/_/g, " ")),
            h("td", { "data-label": "Played by", "data-transport": transport }, whoPlays(transport)),
          ),
        ),
      );
      note.textContent =
        answer.episodes.length === 0 ? "No live episodes. Start one under Play." : answer.truncated ? "More episodes than shown." : "";
    } catch (error) {
      if (!stopped) note.textContent = describeError(error);
    }
    if (!stopped) timer = setTimeout(() => void refresh(), LIST_REFRESH_MS);
  };
  void refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

interface Task {
  name: string;
  scenario_ids: string[];
  max_steps: number;
}

export function playStartPage(main: HTMLElement, navigate: (hash: string) => void): Cleanup {
  const level = h(
    "select",
    { id: "play-level", name: "task_level" },
    ...["easy", "medium", "hard"].map((l) => h("option", { value: l }, l)),
  );
  const scenario = h("select", { id: "play-scenario", name: "scenario_id" });
  const seed = h("input", { id: "play-seed", name: "seed", type: "number", min: 0, step: 1, placeholder: "drawn by the server" });
  const error = h("p", { class: "error", role: "alert" });
  const start = h("button", { type: "submit" }, "Start episode");
  const form = h(
    "form",
    { class: "panel", "aria-label": "Start an episode" },
    h(
      "div",
      { class: "row" },
      h("div", {}, h("label", { for: "play-level" }, "Level"), level),
      h("div", {}, h("label", { for: "play-scenario" }, "Scenario"), scenario),
      h("div", {}, h("label", { for: "play-seed" }, "Seed"), seed),
      start,
    ),
    error,
  );
  main.append(
    h("h1", { tabindex: -1 }, "Play an episode"),
    h(
      "p",
      { class: "hint" },
      "Start an episode and play it with the same actions an agent has. Your steps are recorded as a trajectory you can download and replay with incident-env replay.",
    ),
    form,
  );
  let tasks: Task[] = [];
  const fillScenarios = (): void => {
    const task = tasks.find((t) => t.name === level.value);
    replaceChildren(
      scenario,
      h("option", { value: "" }, "generated from the seed"),
      ...(task?.scenario_ids ?? []).map((id) => h("option", { value: id }, id)),
    );
  };
  level.addEventListener("change", fillScenarios);
  api<Task[]>("GET", "/tasks").then(
    (answer) => {
      tasks = answer;
      fillScenarios();
    },
    (e: unknown) => (error.textContent = describeError(e)),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    error.textContent = "";
    start.disabled = true;
    const request: Record<string, unknown> = { task_level: level.value, episode_id: `console-${crypto.randomUUID().slice(0, 12)}` };
    if (scenario.value !== "") request.scenario_id = scenario.value;
    if (seed.value !== "") request.seed = Number(seed.value);
    api<{ observation: Observation; episode_id: string; state: EpisodeState }>("POST", "/reset", request).then(
      (answer) => {
        owned.set(answer.episode_id, Recorder.start(request, answer.observation, answer.state));
        navigate(`#/episode/${encodeURIComponent(answer.episode_id)}`);
      },
      (e: unknown) => {
        start.disabled = false;
        error.textContent = describeError(e);
      },
    );
  });
  return () => undefined;
}

let actionSchema: Promise<JsonSchema> | undefined;
function loadActionSchema(): Promise<JsonSchema> {
  actionSchema ??= api<{ action: JsonSchema }>("GET", "/schema").then((s) => s.action);
  return actionSchema;
}

/** Redraws at most once a frame, however many events arrive. */
function throttled(draw: () => void): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      draw();
    });
  };
}

export function episodePage(main: HTMLElement, episodeId: string): Cleanup {
  const recorder = recorderOf(episodeId);
  const model = new EpisodeModel(episodeId);
  const view = new EpisodeView(recorder ? `Playing ${episodeId}` : `Episode ${episodeId}`);
  const problem = h("p", { class: "error", role: "alert" });
  main.append(problem, view.root);
  const controller = new AbortController();
  let playedBy: string | undefined;
  const draw = throttled(() => view.update(model, playedBy));
  const query = `episode_id=${encodeURIComponent(episodeId)}`;

  // Who plays comes from the listing, which costs the server more than a state (on a shared store,
  // a catch-up per listed episode): asked at most every PLAYED_BY_REFRESH_MS.
  let listedAt = -Infinity;
  const listing = async (): Promise<{ episodes: Summary[] }> => {
    if (performance.now() - listedAt < PLAYED_BY_REFRESH_MS) return { episodes: [] };
    listedAt = performance.now();
    return api<{ episodes: Summary[] }>("GET", "/episodes").catch(() => ({ episodes: [] as Summary[] }));
  };
  const refresh = async (): Promise<void> => {
    const [state, observation, listed] = await Promise.all([
      api<EpisodeState>("GET", `/state?${query}`),
      api<{ observation: Observation }>("GET", `/observation?${query}`),
      listing(),
    ]);
    if (controller.signal.aborted) return;
    model.applyObservation(observation.observation, false);
    model.applyState(state);
    const summary = listed.episodes.find((e) => e.state.episode_id === episodeId);
    if (summary) playedBy = whoPlays(summary.transport);
    draw();
  };
  let refreshing: Promise<void> | undefined;
  let again = false;
  const refreshSoon = (): void => {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = refresh()
      .catch((e: unknown) => {
        if (!controller.signal.aborted) problem.textContent = describeError(e);
      })
      .finally(() => {
        refreshing = undefined;
        if (again) {
          again = false;
          refreshSoon();
        }
      });
  };

  const start = async (): Promise<void> => {
    await refresh();
    if (recorder) void playPanel(view, model, recorder, episodeId, draw, refreshSoon);
    await follow(
      `/episodes/${encodeURIComponent(episodeId)}/events`,
      (event) => {
        model.applyEvent(event.type, event.data);
        if (event.type === "step" || event.type === "status") refreshSoon();
        draw();
      },
      controller.signal,
    );
    if (!controller.signal.aborted) {
      refreshSoon();
      announce("The episode is over.");
    }
  };
  let poll: ReturnType<typeof setInterval> | undefined;
  start().catch((e: unknown) => {
    if (controller.signal.aborted) return;
    problem.textContent = `${describeError(e)} (following by polling every ${POLL_MS / 1000} s instead)`;
    // Without the stream (refused, or the episode is gone), the view still follows the state.
    if (model.state !== undefined) {
      poll = setInterval(() => {
        if (model.done) clearInterval(poll);
        else refreshSoon();
      }, POLL_MS);
    }
  });
  return () => {
    controller.abort();
    clearInterval(poll);
    view.destroy();
  };
}

/** The play panel of an episode this tab started: the action form, the recorder and its download. */
async function playPanel(
  view: EpisodeView,
  model: EpisodeModel,
  recorder: Recorder,
  episodeId: string,
  draw: () => void,
  refresh: () => void,
): Promise<void> {
  const schema = await loadActionSchema();
  const services = model.topology?.services.map((s) => s.name) ?? [];
  const form = new SchemaForm(schema, { target_service: services });
  const error = h("div", { class: "error", role: "alert" });
  const submit = h("button", { type: "submit" }, "Take action");
  const downloadButton = h("button", { type: "button" }, "Download trajectory (JSONL)");
  const steps = h("span", { class: "hint", "data-testid": "recorded" }, "");
  const showRecorded = (): void => {
    steps.textContent = `${recorder.trajectory.steps.length} ${recorder.trajectory.steps.length === 1 ? "step" : "steps"} recorded${recorder.done ? ", episode over" : ""}`;
  };
  showRecorded();
  downloadButton.addEventListener("click", () => download(`${episodeId}.jsonl`, recorder.text()));
  const element = h(
    "form",
    { class: "panel", "aria-labelledby": "h-play" },
    h("h2", { id: "h-play" }, "Your action"),
    form.element,
    h("div", { class: "row" }, submit, downloadButton, steps),
    error,
  );
  submit.disabled = recorder.done;
  element.addEventListener("submit", (event) => {
    event.preventDefault();
    error.textContent = "";
    const action = form.value();
    submit.disabled = true;
    api<StepResponse>("POST", "/step", { episode_id: episodeId, action }).then(
      (response) => {
        recorder.step(action, response);
        model.applyObservation(response.observation, false);
        model.addAction({
          step: response.observation.step,
          actionType: String(action.action_type ?? ""),
          target: typeof action.target_service === "string" ? action.target_service : "",
          reward: response.reward,
          totalReward: response.info.total_episode_score,
          feedback: response.observation.feedback,
          reasoning: typeof action.reasoning === "string" ? action.reasoning : "",
        });
        if (response.done) {
          model.done = true;
          model.grade = response.info.breakdown;
          model.score = response.info.total_episode_score;
        }
        showRecorded();
        form.reset();
        submit.disabled = response.done;
        announce(
          `Step ${response.observation.step}: reward ${formatScore(response.reward)}${response.done ? ". The episode is over." : ""}`,
        );
        draw();
        refresh();
      },
      (e: unknown) => {
        submit.disabled = false;
        error.textContent = describeError(e);
      },
    );
  });
  view.controls.replaceChildren(element);
}

export function replayPage(main: HTMLElement): Cleanup {
  const file = h("input", { id: "replay-file", type: "file", accept: ".jsonl,.json,application/x-ndjson" });
  const pick = h("select", { id: "replay-episode", disabled: true });
  const range = h("input", { id: "replay-step", type: "range", min: 0, max: 0, value: 0, step: 1, disabled: true });
  const previous = h("button", { type: "button", disabled: true }, "Previous step");
  const next = h("button", { type: "button", disabled: true }, "Next step");
  const position = h("output", { for: "replay-step", "data-testid": "replay-position" }, "");
  const error = h("p", { class: "error", role: "alert" });
  const holder = h("div");
  main.append(
    h("h1", { tabindex: -1 }, "Replay a trajectory"),
    h(
      "p",
      { class: "hint" },
      "Open a trajectory file (the JSONL of incident-env eval --trajectories, or one downloaded from Play) and step through it.",
    ),
    h(
      "div",
      { class: "panel" },
      h(
        "div",
        { class: "row" },
        h("div", {}, h("label", { for: "replay-file" }, "Trajectory file"), file),
        h("div", {}, h("label", { for: "replay-episode" }, "Episode"), pick),
      ),
      h("div", { class: "scrubber" }, h("label", { for: "replay-step" }, "Step"), range, previous, next, position),
      error,
    ),
    holder,
  );
  let trajectories: Trajectory[] = [];
  let view: EpisodeView | undefined;
  const show = (): void => {
    const t = trajectories[Number(pick.value) || 0];
    if (!t) return;
    const k = Number(range.value);
    if (!view) {
      view = new EpisodeView("Replay");
      holder.replaceChildren(view.root);
    }
    view.update(modelAt(t, k), t.agent);
    position.textContent = `step ${k} of ${t.steps.length}`;
    previous.disabled = k <= 0;
    next.disabled = k >= t.steps.length;
  };
  const choose = (): void => {
    const t = trajectories[Number(pick.value) || 0];
    range.max = String(t?.steps.length ?? 0);
    range.value = "0";
    range.disabled = false;
    view?.destroy();
    view = undefined;
    show();
  };
  file.addEventListener("change", () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    error.textContent = "";
    chosen.text().then(
      (text) => {
        try {
          trajectories = parseTrajectories(text);
        } catch (e) {
          error.textContent = describeError(e);
          return;
        }
        replaceChildren(
          pick,
          ...trajectories.map((t, i) =>
            h(
              "option",
              { value: i },
              `${i + 1}: ${t.agent} · ${t.task} · ${t.scenario_id || t.episode_id} · score ${formatScore(t.score)}`,
            ),
          ),
        );
        pick.disabled = trajectories.length < 2;
        choose();
      },
      (e: unknown) => (error.textContent = describeError(e)),
    );
  });
  pick.addEventListener("change", choose);
  range.addEventListener("input", show);
  previous.addEventListener("click", () => {
    range.value = String(Number(range.value) - 1);
    show();
  });
  next.addEventListener("click", () => {
    range.value = String(Number(range.value) + 1);
    show();
  });
  return () => view?.destroy();
}

/** The episode as it stood after step k of a trajectory (0: just after the reset). */
export function modelAt(t: Trajectory, k: number): EpisodeModel {
  const model = new EpisodeModel(t.episode_id);
  const first = t.observation;
  if (first) model.applyObservation(first, true);
  let total = 0;
  for (const [i, step] of t.steps.slice(0, k).entries()) {
    total += step.reward;
    model.addAction({
      step: i + 1,
      actionType: String(step.action.action_type ?? ""),
      target: typeof step.action.target_service === "string" ? step.action.target_service : "",
      reward: step.reward,
      totalReward: total,
      feedback: step.observation.feedback,
      reasoning: typeof step.action.reasoning === "string" ? step.action.reasoning : "",
    });
    model.applyObservation(step.observation, true);
  }
  const last = t.steps[k - 1];
  const over = last?.done === true;
  model.applyState({
    episode_id: t.episode_id,
    step_count: k,
    task_level: t.task,
    scenario_id: t.scenario_id,
    seed: t.seed,
    status: over ? t.status : "running",
    incident_status: model.incidentStatus,
    total_reward: total,
    max_steps: first?.max_steps ?? 0,
    done: over,
    truncated: over && t.truncated,
    score_threshold: 0,
    time_elapsed_minutes: model.minute,
    grade: over ? (last?.info.breakdown ?? null) : null,
  });
  return model;
}
