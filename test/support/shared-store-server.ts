/** The real server on port 0 in this process, as a replica of a shared episode store (EPISODE_STORE). */
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { SharedStoreEnvironment, type SharedStoreOptions } from "../../src/env/shared-store/environment.js";
import { buildApp } from "../../src/server/app.js";

export interface RunningReplica {
  baseUrl: string;
  env: SharedStoreEnvironment;
  close(): Promise<void>;
}

/** Starts a replica now; the caller closes it. */
export async function startReplicaServer(options: SharedStoreOptions): Promise<RunningReplica> {
  const env = await SharedStoreEnvironment.start(options);
  const { app } = await buildApp({ env, logLevel: false });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    env,
    close: async () => {
      await app.close();
      await env.shutdown();
    },
  };
}

/** Registers beforeAll/afterAll hooks for a replica; the returned object is filled in once it listens. */
export function useReplicaServer(options: () => SharedStoreOptions): RunningReplica {
  const running: RunningReplica = { baseUrl: "", env: undefined as unknown as SharedStoreEnvironment, close: async () => {} };
  beforeAll(async () => {
    Object.assign(running, await startReplicaServer(options()));
  });
  afterAll(async () => {
    await running.close();
  });
  return running;
}
