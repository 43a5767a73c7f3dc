/**
 * HTTP/1.1 rows driven by autocannon (as a library), and an h2c row driven by h2load: the bare
 * fastify yardstick, GET /state, POST /reset and POST /step on the OpenEnv REST routes.
 */
import autocannon from "autocannon";
import { spawn } from "node:child_process";
import type { LoadSpec } from "./actors.js";
import { HTTP_CONNECTIONS, STEPS_PER_EPISODE, freshSeed, targetOf } from "./episode-mix.js";

export interface HttpFigures {
  /** Requests (or steps) per second. */
  rate: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Connection errors, timeouts and non-2xx answers. */
  failures: number;
  /** The first answer that was not 2xx: status and the start of its body. */
  firstError?: string;
}

/** Keeps the first failed answer of a row, for its note. */
class FirstError {
  text: string | undefined;
  see(status: number, body: string): void {
    if (status >= 300 && this.text === undefined) this.text = `${status} ${body.slice(0, 160)}`;
  }
}

function figures(result: autocannon.Result, counted?: number, firstError?: FirstError): HttpFigures {
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000 || result.duration;
  return {
    ...(firstError?.text !== undefined ? { firstError: firstError.text } : {}),
    rate: (counted ?? result.requests.total) / seconds,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}

/** Runs `options` for the warm-up, then again for the measurement. */
async function warmThenRun<C>(options: autocannon.Options<C>, spec: LoadSpec, before?: () => void): Promise<autocannon.Result> {
  if (spec.warmupS > 0) await autocannon({ ...options, duration: spec.warmupS });
  before?.();
  return autocannon({ ...options, duration: spec.durationS });
}

/** GET `url` from HTTP_CONNECTIONS connections. */
export async function measureGet(url: string, spec: LoadSpec): Promise<HttpFigures> {
  return figures(await warmThenRun({ url, connections: HTTP_CONNECTIONS }, spec));
}

/** GET /state of each of `ids` in turn, from HTTP_CONNECTIONS connections (each request reads the next id). */
export async function measureGetMany(baseUrl: string, ids: readonly string[], spec: LoadSpec): Promise<HttpFigures> {
  let next = 0;
  const requests: autocannon.Request<EpisodeContext>[] = [
    {
      method: "GET",
      setupRequest: (request) => ({ ...request, path: `/state?episode_id=${encodeURIComponent(ids[next++ % ids.length] ?? "")}` }),
    },
  ];
  return figures(await warmThenRun({ url: baseUrl, connections: HTTP_CONNECTIONS, requests, initialContext: {} }, spec));
}

const JSON_HEADERS = { "content-type": "application/json" };

/**
 * Episode ids for autocannon connections. autocannon clears a connection's context each time its
 * request sequence starts over, so ids are lent from a pool when a sequence starts and given back
 * when it ends: the number of live episodes stays at about the number of connections.
 */
class IdPool {
  private readonly free: string[] = [];
  private next = 0;
  constructor(private readonly prefix: string) {}
  take(): string {
    return this.free.pop() ?? `${this.prefix}-${this.next++}`;
  }
  give(id: string | undefined): void {
    if (id !== undefined) this.free.push(id);
  }
}

interface EpisodeContext {
  id?: string;
  services?: string[];
}

/** A POST /reset (medium) of an episode id taken from `ids`, with a fresh seed. */
function resetRequest(
  ids: IdPool,
  onResponse: (status: number, body: string, context: EpisodeContext) => void,
): autocannon.Request<EpisodeContext> {
  return {
    method: "POST",
    path: "/reset",
    headers: JSON_HEADERS,
    setupRequest: (request, context) => {
      context.id = ids.take();
      return { ...request, body: JSON.stringify({ task_level: "medium", seed: freshSeed(), episode_id: context.id }) };
    },
    onResponse,
  };
}

/** POST /reset (medium), each connection restarting an episode of its own with a fresh seed. */
export async function measureReset(baseUrl: string, spec: LoadSpec): Promise<HttpFigures> {
  const ids = new IdPool(`rst-${Date.now()}`);
  const errors = new FirstError();
  const requests: autocannon.Request<EpisodeContext>[] = [
    resetRequest(ids, (status, body, context) => {
      errors.see(status, body);
      ids.give(context.id);
    }),
  ];
  return figures(await warmThenRun({ url: baseUrl, connections: HTTP_CONNECTIONS, requests, initialContext: {} }, spec), undefined, errors);
}

function servicesOf(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as { observation?: { topology?: { services?: { name?: string }[] } } };
    return (parsed.observation?.topology?.services ?? []).map((s) => s.name ?? "").filter(Boolean);
  } catch {
    return [];
  }
}

/** The REST episode mix's requests; `onReset` and `onStep` see each answer's status. */
function restMix(
  ids: IdPool,
  errors: FirstError,
  on: { reset?: (status: number) => void; step?: (status: number) => void },
): autocannon.Request<EpisodeContext>[] {
  return [
    resetRequest(ids, (status, body, context) => {
      errors.see(status, body);
      on.reset?.(status);
      context.services = servicesOf(body);
    }),
    ...Array.from({ length: STEPS_PER_EPISODE }, (_, i): autocannon.Request<EpisodeContext> => ({
      method: "POST",
      path: "/step",
      headers: JSON_HEADERS,
      setupRequest: (request, context) => ({
        ...request,
        body: JSON.stringify({
          episode_id: context.id,
          action: { action_type: "inspect", target_service: targetOf(context.services ?? [], i), reasoning: "looking" },
        }),
      }),
      onResponse: (status, body, context) => {
        errors.see(status, body);
        on.step?.(status);
        if (i === STEPS_PER_EPISODE - 1) ids.give(context.id);
      },
    })),
  ];
}

export interface WarmUp {
  seconds: number;
  /** Resets answered 200. */
  episodes: number;
  failures: number;
  firstError?: string;
}

/**
 * Plays `episodes` episodes of the REST mix, unmeasured, so that a fresh server's simulation
 * reaches its steady state before its episode rows (WARMUP_EPISODES in episode-mix.ts). The
 * episodes reach the simulation threads the way every row's do, sharded by id.
 */
export async function warmSimulation(baseUrl: string, episodes: number): Promise<WarmUp> {
  const errors = new FirstError();
  let played = 0;
  const requests = restMix(new IdPool(`warm-${Date.now()}`), errors, { reset: (status) => status === 200 && played++ });
  const result = await autocannon({
    url: baseUrl,
    connections: HTTP_CONNECTIONS,
    requests,
    initialContext: {},
    amount: episodes * requests.length,
  });
  return {
    seconds: (result.finish.getTime() - result.start.getTime()) / 1000,
    episodes: played,
    failures: figures(result).failures,
    ...(errors.text !== undefined ? { firstError: errors.text } : {}),
  };
}

/** POST /step over REST: the episode mix on HTTP_CONNECTIONS connections; steps per second. */
export async function measureRestStep(baseUrl: string, spec: LoadSpec): Promise<HttpFigures> {
  const errors = new FirstError();
  let steps = 0;
  const requests = restMix(new IdPool(`rest-${Date.now()}`), errors, { step: (status) => status === 200 && steps++ });
  const result = await warmThenRun({ url: baseUrl, connections: HTTP_CONNECTIONS, requests, initialContext: {} }, spec, () => (steps = 0));
  return figures(result, steps, errors);
}

/**
 * GET `url` over h2c with h2load (nghttp2-client), HTTP_CONNECTIONS clients, one stream each;
 * undefined when h2load is not installed.
 */
export async function measureH2load(
  url: string,
  spec: LoadSpec,
  post?: { bodyFile: string; headers: Record<string, string> },
): Promise<HttpFigures | undefined> {
  const msText = (seconds: number): string => `${Math.round(seconds * 1000)}ms`;
  const postArgs = post
    ? ["-d", post.bodyFile, ...Object.entries(post.headers).flatMap(([name, value]) => ["-H", `${name}: ${value}`])]
    : [];
  const args = [
    "-c",
    String(HTTP_CONNECTIONS),
    "-m",
    "1",
    "-D",
    msText(spec.durationS),
    ...(spec.warmupS > 0 ? [`--warm-up-time=${msText(spec.warmupS)}`] : []),
    ...postArgs,
    url,
  ];
  const output = await new Promise<string | undefined>((resolve) => {
    const child = spawn("h2load", args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.once("error", () => resolve(undefined));
    child.once("exit", (code) => resolve(code === 0 ? out : `${out}\nexit ${code}`));
  });
  if (output === undefined) return undefined;
  const rate = /finished in [\d.]+m?s, ([\d.]+) req\/s/.exec(output)?.[1];
  if (rate === undefined) throw new Error(`h2load gave no rate:\n${output}`);
  const failed = /requests: \d+ total, \d+ started, \d+ done, \d+ succeeded, (\d+) failed, (\d+) errored/.exec(output);
  const status2xx = /status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/.exec(output);
  return {
    rate: Number(rate),
    // h2load prints no latency percentiles.
    latencyP50Ms: Number.NaN,
    latencyP99Ms: Number.NaN,
    failures: Number(failed?.[1] ?? 0) + Number(failed?.[2] ?? 0) + Number(status2xx?.[3] ?? 0) + Number(status2xx?.[4] ?? 0),
  };
}
