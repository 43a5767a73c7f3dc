/**
 * Interactive API docs: Swagger UI at /docs over the generated OpenAPI document, which is also
 * served at /openapi.json (the path `openenv validate` reads). The UI's assets come from the
 * @fastify/swagger-ui package; nothing is fetched from the network.
 */
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import type { OpenAPIV3 } from "openapi-types";
import type { OpenApiDocument } from "./openapi.js";

export async function registerDocs(app: FastifyInstance, document: OpenApiDocument): Promise<void> {
  await app.register(fastifySwagger, { mode: "static", specification: { document: document as unknown as OpenAPIV3.Document } });
  await app.register(fastifySwaggerUi, {
    routePrefix: "/docs",
    uiConfig: { validatorUrl: null, deepLinking: true },
    theme: { title: "incident-response-env API" },
  });
  app.get("/openapi.json", async () => document);
}
