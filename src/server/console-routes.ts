/**
 * The incident console at /console (issue 12): a page bundled at build time (tools/build-console.ts,
 * `npm run build`) into dist/console-assets, served as static files. It talks to the server only
 * through the public routes (REST JSON, SSE, GET /episodes), like any other client; nothing is
 * fetched from elsewhere at run time.
 *
 * When the bundle is missing (a checkout run with `npm run dev` before any build), /console answers
 * 503 in the error shape with how to build it.
 */
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { errorBody } from "./errors.js";

/**
 * Where the bundle is: beside the compiled server (dist/src/server -> dist/console-assets), or in
 * dist/ when the server runs from its TypeScript sources (src/server -> dist/console-assets).
 */
function consoleAssetsDir(): string | undefined {
  const candidates = ["../../console-assets/", "../../dist/console-assets/"].map((relative) =>
    fileURLToPath(new URL(relative, import.meta.url)),
  );
  return candidates.find((dir) => existsSync(`${dir}index.html`));
}

export async function consoleRoutes(app: FastifyInstance, { root }: { root?: string } = {}): Promise<void> {
  const dir = root !== undefined ? (existsSync(join(root, "index.html")) ? root : undefined) : consoleAssetsDir();
  app.get("/console", async (_request, reply) => reply.redirect("/console/", 308));
  if (dir === undefined) {
    app.get("/console/*", async (_request, reply) =>
      reply
        .code(503)
        .send(errorBody("unavailable", "the console is not built: run `npm run build` (or `node --import tsx tools/build-console.ts`)")),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: "/console/",
    decorateReply: false,
    index: "index.html",
    cacheControl: true,
    maxAge: 0,
  });
}
