/**
 * A malformed WebSocket frame on /ws costs one warn line without a stack trace, and no client (nor
 * many of them) can flood the log with them: at most LOG_LINES_PER_MINUTE such lines a minute per
 * process, the next one counting those left out. Frames are sent over a raw socket after a real
 * upgrade, since a WebSocket client library would refuse to send them.
 */
import { randomBytes } from "node:crypto";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { IncidentEnvironment } from "../src/env/environment.js";
import { buildApp } from "../src/server/app.js";
import { LOG_LINES_PER_MINUTE, LogRateLimit } from "../src/server/ws-errors.js";

interface LogLine {
  level: number;
  msg: string;
  code?: string;
  suppressed?: number;
  err?: unknown;
}

const WARN = 40;
let stop: (() => Promise<void>) | undefined;

afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function start(): Promise<{ port: number; lines: string[] }> {
  const lines: string[] = [];
  const { app } = await buildApp({
    env: new IncidentEnvironment(),
    logLevel: "info",
    logStream: { write: (line) => void lines.push(line) },
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  stop = () => app.close();
  return { port: (app.server.address() as AddressInfo).port, lines };
}

/** A masked client frame (RFC 6455 §5.2), with any opcode and payload, valid or not. */
function clientFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, masked]);
}

/** Upgrades a raw socket on /ws, sends `frame`, and resolves with the close code the server sent (if any) once the socket closes. */
async function sendRawFrame(port: number, frame: Buffer): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let received = Buffer.alloc(0);
    let upgraded = false;
    socket.on("connect", () =>
      socket.write(
        `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      ),
    );
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (!upgraded) {
        const end = received.indexOf("\r\n\r\n");
        if (end < 0) return;
        expect(received.subarray(0, end).toString()).toMatch(/^HTTP\/1\.1 101 /);
        upgraded = true;
        received = received.subarray(end + 4);
        socket.write(frame);
      }
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      // The server's close frame: 0x88, a length, then the 2-byte code.
      const at = received.indexOf(0x88);
      resolve(at >= 0 && received.length >= at + 4 ? received.readUInt16BE(at + 2) : undefined);
    });
    setTimeout(() => reject(new Error("the server did not close the socket")), 10_000).unref();
  });
}

function parsed(lines: string[]): LogLine[] {
  return lines.map((line) => JSON.parse(line) as LogLine);
}

const INVALID_OPCODE = clientFrame(0x3, Buffer.alloc(0));
const INVALID_UTF8 = clientFrame(0x1, Buffer.from([0xff, 0xfe, 0xfd]));

describe("malformed WebSocket frames", () => {
  it.each([
    ["an invalid opcode", 1002, "WS_ERR_INVALID_OPCODE", INVALID_OPCODE],
    ["a text frame that is not UTF-8", 1007, "WS_ERR_INVALID_UTF8", INVALID_UTF8],
  ])(
    "%s: the socket closes with %i (%s) and one warn line without a stack trace is logged",
    async (_label, closeCode, errorCode, frame) => {
      const { port, lines } = await start();
      expect(await sendRawFrame(port, frame)).toBe(closeCode);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const about = parsed(lines).filter((line) => line.level >= WARN);
      expect(about).toHaveLength(1);
      expect(about[0]).toMatchObject({ level: WARN, msg: "malformed WebSocket frame; connection closed", code: errorCode });
      expect(about[0]?.err).toBeUndefined();
      expect(lines.join("\n")).not.toMatch(/ {4}at |"stack"/);
    },
  );

  it(`many connections sending them cannot flood the log: at most ${LOG_LINES_PER_MINUTE} lines a minute`, async () => {
    const { port, lines } = await start();
    const connections = LOG_LINES_PER_MINUTE * 3;
    const codes = await Promise.all(
      Array.from({ length: connections }, (_, i) => sendRawFrame(port, i % 2 === 0 ? INVALID_OPCODE : INVALID_UTF8)),
    );
    expect(codes.every((code) => code === 1002 || code === 1007)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const warnings = parsed(lines).filter((line) => line.level >= WARN);
    expect(warnings).toHaveLength(LOG_LINES_PER_MINUTE);
    expect(warnings.every((line) => line.msg === "malformed WebSocket frame; connection closed")).toBe(true);
    // The server still serves /ws.
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
  });
});

describe("LogRateLimit", () => {
  it("allows `limit` lines per window and reports the count it left out on the next line", () => {
    let now = 0;
    const limit = new LogRateLimit(2, 60_000, () => now);
    expect(limit.take()).toEqual({ suppressed: 0 });
    expect(limit.take()).toEqual({ suppressed: 0 });
    expect(limit.take()).toBeUndefined();
    expect(limit.take()).toBeUndefined();
    now = 59_999;
    expect(limit.take()).toBeUndefined();
    now = 60_000;
    expect(limit.take()).toEqual({ suppressed: 3 });
    expect(limit.take()).toEqual({ suppressed: 0 });
    expect(limit.take()).toBeUndefined();
  });
});
