/** Starts the real server on an ephemeral port for a test file, and stops it afterwards. */
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { IncidentEnvironment, type EnvironmentOptions } from "../../src/env/environment.js";
import { WorkerPool, type WorkerPoolOptions } from "../../src/env/workers/pool.js";
import { buildApp, type AppOptions } from "../../src/server/app.js";

export interface RunningServer {
  baseUrl: string;
  env: IncidentEnvironment;
}

/**
 * Registers beforeAll/afterAll hooks; the returned object is filled in once the server listens.
 * `appOptions` are buildApp's (the guard settings, for instance).
 */
export function useServer(options: EnvironmentOptions = {}, appOptions: Omit<AppOptions, "env"> = {}): RunningServer {
  const running = { baseUrl: "", env: undefined as unknown as IncidentEnvironment };
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const env = new IncidentEnvironment(options);
    const { app } = await buildApp({ logLevel: false, ...appOptions, env });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = app.server.address() as AddressInfo;
    running.baseUrl = `http://127.0.0.1:${port}`;
    running.env = env;
    close = () => app.close();
  });
  afterAll(async () => {
    await close?.();
  });
  return running;
}

export interface RunningPoolServer {
  baseUrl: string;
  pool: WorkerPool;
}

/** Like useServer, with the episodes simulated in a pool of worker threads (WORKERS). */
export function useWorkerServer(options: WorkerPoolOptions, appOptions: Omit<AppOptions, "env"> = {}): RunningPoolServer {
  const running = { baseUrl: "", pool: undefined as unknown as WorkerPool };
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const pool = await WorkerPool.start(options);
    const { app } = await buildApp({ logLevel: false, ...appOptions, env: pool });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = app.server.address() as AddressInfo;
    running.baseUrl = `http://127.0.0.1:${port}`;
    running.pool = pool;
    close = async () => {
      await app.close();
      await pool.shutdown();
    };
  });
  afterAll(async () => {
    await close?.();
  });
  return running;
}

/** fetch + JSON, returning status, parsed body and the raw text. */
export async function http(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown; text: string }> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    if (!("content-type" in headers)) (init.headers as Record<string, string>)["content-type"] = "application/json";
  }
  const response = await fetch(baseUrl + path, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

/** The value at a dotted path ("observation.alert.severity", "tasks.0.name") of parsed JSON. */
export function dig(json: unknown, path: string): unknown {
  let value: unknown = json;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
