/**
 * A stream client in a process of its own, for tests that kill it: follows an episode's logs
 * (`node --import tsx test/support/stream-client.ts <baseUrl> <episodeId> <grpc|connect>`), prints
 * "streaming" once the first line arrives, and reads until it is killed.
 */
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { IncidentEnvService } from "../../gen/incident/v1/service_pb.js";

const [baseUrl = "", episodeId = "", protocol = "grpc"] = process.argv.slice(2);
const transport = protocol === "connect" ? createConnectTransport({ baseUrl, httpVersion: "2" }) : createGrpcTransport({ baseUrl });
const client = createClient(IncidentEnvService, transport);
let announced = false;
for await (const message of client.streamLogs({ episodeId })) {
  if (!announced && message.entry) {
    announced = true;
    process.stdout.write("streaming\n");
  }
}
