/**
 * IncidentEnvService for Connect, gRPC and gRPC-Web: a plain object of methods over the
 * environment, and the one function that registers it on a router.
 */
import type { ConnectRouter, ServiceImpl } from "@connectrpc/connect";
import { IncidentEnvService } from "../../gen/incident/v1/service_pb.js";
import type { IncidentEnvironment } from "../env/environment.js";
import type { GetMetadataResponse, GetSchemaResponse } from "../../gen/incident/v1/service_pb.js";

export interface ServiceDescription {
  metadata: GetMetadataResponse;
  schemas: GetSchemaResponse;
}

export function incidentEnvService(env: IncidentEnvironment, about: ServiceDescription): ServiceImpl<typeof IncidentEnvService> {
  return {
    health: () => env.health(),
    getMetadata: () => about.metadata,
    getSchema: () => about.schemas,
    listTasks: () => env.listTasks(),
    listScenarios: () => env.listScenarios(),
    reset: (request) => env.reset(request),
    step: (request) => env.step(request),
    getState: (request) => env.getState(request),
    closeEpisode: (request) => env.closeEpisode(request),
    async *streamLogs(request, context) {
      yield* env.streamLogs(request, context.signal);
    },
  };
}

export function registerConnectRoutes(router: ConnectRouter, env: IncidentEnvironment, about: ServiceDescription): void {
  router.service(IncidentEnvService, incidentEnvService(env, about));
}
