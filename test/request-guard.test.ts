/**
 * Origin and Host checks and CORS (src/server/request-guard.ts), and JSON-only bodies on the JSON
 * routes, through the real server with real clients: fetch, raw node:http (to set Host), ws, and the
 * Connect, gRPC and gRPC-Web transports of @connectrpc/connect-node sending the headers a browser would.
 */
import { Code, ConnectError, createClient, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import nodeHttp from "node:http";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { IncidentEnvService } from "../gen/incident/v1/service_pb.js";
import { guardSettingsFromEnv } from "../src/server/guard-settings.js";
import { dig, http, useServer, type RunningServer } from "./support/server.js";

const EVIL = "http://evil.example";
const APP = "https://app.example.com";

const open = useServer();
const configured = useServer({}, { guard: { allowedOrigins: [APP], allowedHosts: ["env.example.com", "*.lab.example"] } });

/** A request with any headers, Host included (fetch does not let a caller set Host). */
function raw(
  server: RunningServer,
  method: string,
  path: string,
  headers: Record<string, string>,
  body = "",
): Promise<{ status: number; headers: nodeHttp.IncomingHttpHeaders; json: unknown }> {
  const url = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const request = nodeHttp.request(
      { host: url.hostname, port: url.port, method, path, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = text === "" ? undefined : JSON.parse(text);
          } catch {
            json = text;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, json });
        });
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

const withHeaders =
  (headers: Record<string, string>): Interceptor =>
  (next) =>
  (request) => {
    for (const [name, value] of Object.entries(headers)) request.header.set(name, value);
    return next(request);
  };

const transports: Record<string, (baseUrl: string, headers: Record<string, string>) => Transport> = {
  "Connect JSON": (baseUrl, headers) => createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors: [withHeaders(headers)] }),
  "Connect binary (h2c)": (baseUrl, headers) =>
    createConnectTransport({ baseUrl, httpVersion: "2", useBinaryFormat: true, interceptors: [withHeaders(headers)] }),
  gRPC: (baseUrl, headers) => createGrpcTransport({ baseUrl, interceptors: [withHeaders(headers)] }),
  "gRPC-Web": (baseUrl, headers) => createGrpcWebTransport({ baseUrl, httpVersion: "1.1", interceptors: [withHeaders(headers)] }),
};

async function rpcCode(call: () => Promise<unknown>): Promise<Code | "ok"> {
  try {
    await call();
    return "ok";
  } catch (error) {
    return ConnectError.from(error).code;
  }
}

/** The WebSocket handshake's outcome: "open", or the HTTP status that refused it. */
function wsHandshake(server: RunningServer, headers: Record<string, string>): Promise<number | "open"> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.baseUrl.replace(/^http/, "ws")}/ws`, { headers });
    ws.on("open", () => {
      ws.close();
      resolve("open");
    });
    ws.on("unexpected-response", (_request, response) => {
      resolve(response.statusCode ?? 0);
      response.resume();
    });
    ws.on("error", reject);
  });
}

async function liveEpisodes(server: RunningServer): Promise<number> {
  return (await server.env.health()).liveEpisodes;
}

describe("cross-origin browser requests (no settings)", () => {
  it("refuses a page's text/plain and form POSTs to /reset and /mcp with 403 permission_denied, and changes nothing", async () => {
    const before = await liveEpisodes(open);
    const attempts = [
      { path: "/reset", type: "text/plain", body: "{}" },
      { path: "/reset", type: "application/x-www-form-urlencoded", body: '{"seed":1}' },
      {
        path: "/mcp",
        type: "text/plain",
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "reset", arguments: {} } }),
      },
      { path: "/mcp", type: "application/x-www-form-urlencoded", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }) },
      { path: "/reset", type: "application/json", body: "{}" },
    ];
    for (const { path, type, body } of attempts) {
      const reply = await http(open.baseUrl, "POST", path, body, { "content-type": type, origin: EVIL, "sec-fetch-site": "cross-site" });
      expect(reply.status, `${path} ${type}: ${reply.text}`).toBe(403);
      expect(dig(reply.json, "code")).toBe("permission_denied");
      expect(String(dig(reply.json, "message"))).toContain("evil.example");
    }
    expect(await liveEpisodes(open)).toBe(before);
  });

  it("refuses DELETE /episodes/:id from another origin, and the episode lives on", async () => {
    const reset = await http(open.baseUrl, "POST", "/reset", { episode_id: "guard-victim" });
    expect(reset.status).toBe(200);
    const del = await http(open.baseUrl, "DELETE", "/episodes/guard-victim", undefined, { origin: EVIL });
    expect(del.status).toBe(403);
    const state = await http(open.baseUrl, "GET", "/episodes/guard-victim");
    expect(dig(state.json, "status")).toBe("running");
  });

  it("serves the server's own origin (Swagger UI) and clients that send no Origin", async () => {
    const own = await http(open.baseUrl, "POST", "/reset", {}, { origin: open.baseUrl, "sec-fetch-site": "same-origin" });
    expect(own.status, own.text).toBe(200);
    expect(own.text).not.toContain("access-control");
    const curl = await http(open.baseUrl, "POST", "/reset", {});
    expect(curl.status).toBe(200);
  });

  it('refuses an Origin of "null" (sandboxed frames, file:// pages)', async () => {
    const reply = await http(open.baseUrl, "GET", "/tasks", undefined, { origin: "null" });
    expect(reply.status).toBe(403);
  });

  it("refuses a cross-site request without Origin (an <img> on a stream) but lets a link to /docs through", async () => {
    const image = await http(open.baseUrl, "GET", "/state", undefined, {
      "sec-fetch-site": "cross-site",
      "sec-fetch-mode": "no-cors",
      "sec-fetch-dest": "image",
    });
    expect(image.status).toBe(403);
    expect(dig(image.json, "code")).toBe("permission_denied");
    const sameSite = await http(open.baseUrl, "GET", "/episodes/x/events", undefined, {
      "sec-fetch-site": "same-site",
      "sec-fetch-mode": "no-cors",
    });
    expect(sameSite.status).toBe(403);
    // fetch sets Sec-Fetch-Mode itself; node:http sends what a browser following a link sends.
    const link = await raw(open, "GET", "/docs/json", {
      host: new URL(open.baseUrl).host,
      "sec-fetch-site": "cross-site",
      "sec-fetch-mode": "navigate",
    });
    expect(link.status).toBe(200);
  });

  it("refuses the /ws handshake from another origin with 403 before the upgrade, and accepts its own origin and no Origin", async () => {
    expect(await wsHandshake(open, { origin: EVIL })).toBe(403);
    expect(await wsHandshake(open, { origin: open.baseUrl })).toBe("open");
    expect(await wsHandshake(open, {})).toBe("open");
  });

  it.each(Object.entries(transports))(
    "%s: PermissionDenied with a foreign Origin; served without one or with its own",
    async (_name, transport) => {
      const foreign = createClient(IncidentEnvService, transport(open.baseUrl, { origin: EVIL }));
      expect(await rpcCode(() => foreign.reset({}))).toBe(Code.PermissionDenied);
      expect(await rpcCode(() => foreign.listTasks({}))).toBe(Code.PermissionDenied);
      const plain = createClient(IncidentEnvService, transport(open.baseUrl, {}));
      expect(await rpcCode(() => plain.listTasks({}))).toBe("ok");
      const own = createClient(IncidentEnvService, transport(open.baseUrl, { origin: open.baseUrl }));
      expect(await rpcCode(() => own.listTasks({}))).toBe("ok");
    },
  );

  it("a server-streaming RPC from a foreign origin ends with PermissionDenied on every protocol", async () => {
    await http(open.baseUrl, "POST", "/reset", { episode_id: "guard-stream" });
    for (const [name, transport] of Object.entries(transports)) {
      const client = createClient(IncidentEnvService, transport(open.baseUrl, { origin: EVIL }));
      const code = await rpcCode(async () => {
        for await (const _ of client.streamLogs({ episodeId: "guard-stream" })) break;
      });
      expect(code, name).toBe(Code.PermissionDenied);
    }
  });
});

describe("Host names (DNS rebinding)", () => {
  it("refuses a browser that reached the server by an unknown name, even same-origin", async () => {
    const host = `attacker.example:${new URL(open.baseUrl).port}`;
    const rebound = await raw(
      open,
      "POST",
      "/reset",
      { host, origin: `http://${host}`, "sec-fetch-site": "same-origin", "content-type": "application/json" },
      "{}",
    );
    expect(rebound.status).toBe(403);
    expect(dig(rebound.json, "code")).toBe("permission_denied");
    expect(String(dig(rebound.json, "message"))).toContain("ALLOWED_HOSTS");
    const read = await raw(open, "GET", "/state", { host, "sec-fetch-site": "same-origin", "sec-fetch-mode": "cors" });
    expect(read.status).toBe(403);
  });

  it("accepts any name from clients that are not browsers while ALLOWED_HOSTS is unset, and IPs and localhost from browsers", async () => {
    const port = new URL(open.baseUrl).port;
    expect((await raw(open, "GET", "/tasks", { host: `build-box:${port}` })).status).toBe(200);
    expect(
      (await raw(open, "GET", "/tasks", { host: `localhost:${port}`, "sec-fetch-site": "none", "sec-fetch-mode": "navigate" })).status,
    ).toBe(200);
    expect((await raw(open, "GET", "/tasks", { host: `10.1.2.3:${port}`, "sec-fetch-site": "none" })).status).toBe(200);
    expect((await raw(open, "GET", "/tasks", { host: `[::1]:${port}`, "sec-fetch-site": "none" })).status).toBe(200);
  });

  it("with ALLOWED_HOSTS set, accepts only listed names (and IPs, localhost) from every client", async () => {
    const port = new URL(configured.baseUrl).port;
    expect((await raw(configured, "GET", "/tasks", { host: `env.example.com:${port}` })).status).toBe(200);
    expect((await raw(configured, "GET", "/tasks", { host: `gpu7.lab.example:${port}`, "sec-fetch-site": "none" })).status).toBe(200);
    expect((await raw(configured, "GET", "/tasks", { host: `127.0.0.1:${port}` })).status).toBe(200);
    const other = await raw(configured, "GET", "/tasks", { host: `build-box:${port}` });
    expect(other.status).toBe(403);
    expect(String(dig(other.json, "message"))).toContain("ALLOWED_HOSTS");
    expect((await raw(configured, "GET", "/tasks", { host: `lab.example:${port}` })).status).toBe(403);
  });

  it("checks the HTTP/2 :authority of gRPC calls the same way", async () => {
    const port = new URL(configured.baseUrl).port;
    // The gRPC transport sends the base URL's host as :authority; the connection goes to 127.0.0.1.
    const listed = createClient(IncidentEnvService, createGrpcTransport({ baseUrl: configured.baseUrl, interceptors: [] }));
    expect(await rpcCode(() => listed.listTasks({}))).toBe("ok");
    const session = await import("node:http2").then(({ connect }) => connect(configured.baseUrl));
    try {
      const status = await new Promise<string | undefined>((resolve, reject) => {
        const stream = session.request({
          ":method": "POST",
          ":path": "/incident.v1.IncidentEnvService/ListTasks",
          ":authority": `unlisted.example:${port}`,
          "content-type": "application/grpc",
          te: "trailers",
        });
        stream.on("response", (headers) => resolve(headers["grpc-status"] as string | undefined));
        stream.on("error", reject);
        stream.end(Buffer.from([0, 0, 0, 0, 0]));
      });
      expect(status).toBe(String(Code.PermissionDenied));
    } finally {
      session.close();
    }
  });
});

describe("ALLOWED_ORIGINS and CORS", () => {
  it("answers the preflight of a listed origin with 204 and the CORS headers", async () => {
    const reply = await fetch(`${configured.baseUrl}/reset`, {
      method: "OPTIONS",
      headers: { origin: APP, "access-control-request-method": "POST", "access-control-request-headers": "content-type,authorization" },
    });
    expect(reply.status).toBe(204);
    expect(reply.headers.get("access-control-allow-origin")).toBe(APP);
    expect(reply.headers.get("access-control-allow-methods")).toContain("POST");
    expect(reply.headers.get("access-control-allow-headers")).toBe("content-type,authorization");
    expect(reply.headers.get("vary")).toContain("origin");
  });

  it("refuses the preflight of an unlisted origin", async () => {
    const reply = await fetch(`${configured.baseUrl}/reset`, {
      method: "OPTIONS",
      headers: { origin: EVIL, "access-control-request-method": "POST" },
    });
    expect(reply.status).toBe(403);
    expect(reply.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("serves a listed origin with Access-Control-Allow-Origin and the exposed headers", async () => {
    const reply = await fetch(`${configured.baseUrl}/reset`, {
      method: "POST",
      headers: { origin: APP, "content-type": "application/json", "sec-fetch-site": "cross-site" },
      body: "{}",
    });
    expect(reply.status).toBe(200);
    expect(reply.headers.get("access-control-allow-origin")).toBe(APP);
    expect(reply.headers.get("access-control-expose-headers")).toContain("grpc-status");
    expect(reply.headers.get("access-control-expose-headers")).toContain("retry-after");
  });

  it("sends no CORS headers without ALLOWED_ORIGINS, even to the server's own origin", async () => {
    const reply = await fetch(`${open.baseUrl}/tasks`, { headers: { origin: open.baseUrl } });
    expect(reply.status).toBe(200);
    expect(reply.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await fetch(`${open.baseUrl}/reset`, {
      method: "OPTIONS",
      headers: { origin: open.baseUrl, "access-control-request-method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("serves gRPC-Web and Connect from a listed origin and refuses others", async () => {
    for (const name of ["gRPC-Web", "Connect JSON"]) {
      const make = transports[name];
      if (!make) throw new Error(name);
      const allowed = createClient(IncidentEnvService, make(configured.baseUrl, { origin: APP }));
      expect(await rpcCode(() => allowed.listTasks({})), name).toBe("ok");
      const refused = createClient(IncidentEnvService, make(configured.baseUrl, { origin: EVIL }));
      expect(await rpcCode(() => refused.listTasks({})), name).toBe(Code.PermissionDenied);
    }
  });

  it("accepts a listed origin's WebSocket handshake", async () => {
    expect(await wsHandshake(configured, { origin: APP })).toBe("open");
    expect(await wsHandshake(configured, { origin: EVIL })).toBe(403);
  });
});

describe("JSON routes take JSON only", () => {
  it.each(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain; charset=utf-8"])(
    "POST /reset, /step, /reset/batch and /mcp with %s get 415 and change nothing",
    async (type) => {
      const before = await liveEpisodes(open);
      for (const path of ["/reset", "/step", "/reset/batch", "/mcp"]) {
        const reply = await http(open.baseUrl, "POST", path, '{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}', {
          "content-type": type,
        });
        expect(reply.status, `${path}: ${reply.text}`).toBe(415);
        expect(String(dig(reply.json, "message")), path).toContain("application/json");
      }
      expect(await liveEpisodes(open)).toBe(before);
    },
  );

  it("still takes application/json with parameters, and bodiless POSTs", async () => {
    expect((await http(open.baseUrl, "POST", "/reset", "{}", { "content-type": "application/json; charset=utf-8" })).status).toBe(200);
    expect((await http(open.baseUrl, "POST", "/reset")).status).toBe(200);
    const mcp = await http(open.baseUrl, "POST", "/mcp", { jsonrpc: "2.0", id: 1, method: "tools/list" });
    expect(mcp.status).toBe(200);
  });
});

describe("settings", () => {
  it("reads ALLOWED_ORIGINS and ALLOWED_HOSTS as comma-separated lists and refuses malformed entries", () => {
    const settings = guardSettingsFromEnv({
      ALLOWED_ORIGINS: " https://App.Example.com:443 , http://localhost:5173",
      ALLOWED_HOSTS: "Env.Example.com,*.lab.example",
    });
    expect(settings.allowedOrigins).toEqual(["https://app.example.com", "http://localhost:5173"]);
    expect(settings.allowedHosts).toEqual(["env.example.com", "*.lab.example"]);
    expect(() => guardSettingsFromEnv({ ALLOWED_ORIGINS: "app.example.com" })).toThrow(/ALLOWED_ORIGINS/);
    expect(() => guardSettingsFromEnv({ ALLOWED_ORIGINS: "https://app.example.com/path" })).toThrow(/ALLOWED_ORIGINS/);
    expect(() => guardSettingsFromEnv({ ALLOWED_HOSTS: "env.example.com:7860" })).toThrow(/ALLOWED_HOSTS/);
    expect(() => guardSettingsFromEnv({ ALLOWED_HOSTS: "https://env.example.com" })).toThrow(/ALLOWED_HOSTS/);
  });

  it("on Hugging Face Spaces, allows the Space's own host name (SPACE_HOST) unless ALLOWED_HOSTS says otherwise", () => {
    expect(guardSettingsFromEnv({ SPACE_HOST: "someone-incident-env.hf.space" }).allowedHosts).toEqual(["someone-incident-env.hf.space"]);
    expect(guardSettingsFromEnv({ SPACE_HOST: "someone-incident-env.hf.space", ALLOWED_HOSTS: "env.example.com" }).allowedHosts).toEqual([
      "env.example.com",
    ]);
    expect(guardSettingsFromEnv({}).allowedHosts).toEqual([]);
  });
});
