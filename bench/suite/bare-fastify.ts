/**
 * The yardstick of the HTTP rows: the project's own fastify (same version, same machine) serving
 * one GET route with a small JSON body, logger off, nothing else; on HTTP/1.1 and on h2c. Started
 * by bench/suite/processes.ts; prints its two addresses.
 */
import Fastify from "fastify";

const body = { episode_id: "bench", step_count: 3, status: "running", done: false };

const http1 = Fastify({ logger: false });
http1.get("/state", async () => body);
const h2 = Fastify({ logger: false, http2: true });
h2.get("/state", async () => body);

const [a, b] = await Promise.all([http1.listen({ port: 0, host: "127.0.0.1" }), h2.listen({ port: 0, host: "127.0.0.1" })]);
console.log(`bare fastify on ${a} and h2c ${b}`);

const stop = (): void => void Promise.all([http1.close(), h2.close()]).then(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
