/**
 * GET /state with one store round trip per request: the project's fastify serving the state text
 * of a real episode, made once, after the check a replica makes before it answers a read (has
 * another replica moved the episode? the SYNC script, touching it), with nothing else. It bounds a
 * server that asks the store once per request; the server may pass it, since reads of one episode
 * that wait for the same turn share one check (src/env/shared-store/shared-reads.ts). HTTP/1.1 and
 * h2c, like the bare yardstick. Started by bench/suite/processes.ts with REDIS_URL; prints its
 * two addresses.
 */
import { create } from "@bufbuild/protobuf";
import Fastify from "fastify";
import { TaskLevel } from "../../gen/incident/v1/enums_pb.js";
import { EpisodeStateSchema } from "../../gen/incident/v1/episode_pb.js";
import { GetStateRequestSchema, ResetRequestSchema } from "../../gen/incident/v1/service_pb.js";
import { SharedStoreEnvironment } from "../../src/env/shared-store/environment.js";
import { StoreClient } from "../../src/env/shared-store/store-client.js";
import { toRestJson } from "../../src/json/rest-json.js";

const url = process.env.REDIS_URL ?? "";
const store = { url, prefix: `bench-state-${process.pid}` };
const env = await SharedStoreEnvironment.start({ store });
const reset = await env.reset(create(ResetRequestSchema, { taskLevel: TaskLevel.MEDIUM, seed: 1, episodeId: "canned" }));
const state = (await env.getState(create(GetStateRequestSchema, { episodeId: reset.episodeId }))).state;
const text = JSON.stringify(toRestJson(EpisodeStateSchema, state ?? create(EpisodeStateSchema)));

const client = new StoreClient({ ...store, timeoutMs: 5_000, onNotice: () => {}, onResubscribed: () => {} });
await client.connect();
const answer = async (): Promise<string> => {
  if ((await client.info(reset.episodeId)) === undefined) throw new Error("the canned episode is gone");
  return text;
};

const http1 = Fastify({ logger: false });
const h2 = Fastify({ logger: false, http2: true });
http1.get("/state", async (_request, reply) => reply.type("application/json; charset=utf-8").send(await answer()));
h2.get("/state", async (_request, reply) => reply.type("application/json; charset=utf-8").send(await answer()));

const [a, b] = await Promise.all([http1.listen({ port: 0, host: "127.0.0.1" }), h2.listen({ port: 0, host: "127.0.0.1" })]);
console.log(`store state on ${a} and h2c ${b}`);

const stop = (): void =>
  void Promise.all([http1.close(), h2.close()])
    .then(() => Promise.all([client.quit(), env.shutdown()]))
    .then(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
