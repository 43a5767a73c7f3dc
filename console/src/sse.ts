/**
 * Follows a Server-Sent Events route with fetch rather than EventSource, so that it can send the
 * API key as a Bearer header (EventSource sends no headers). Resumes with Last-Event-ID after a
 * dropped connection, as EventSource would, and stops at `event: end` or a 204.
 */
import { ApiError, headers, type Violation } from "./api.js";

export interface SseEvent {
  id: string | undefined;
  type: string;
  data: string;
}

const RETRY_MS = 1000;

/** Calls onEvent for each event until the stream ends or the signal aborts; rejects on an error answer (4xx). */
export async function follow(path: string, onEvent: (event: SseEvent) => void, signal: AbortSignal): Promise<void> {
  let lastId: string | undefined;
  while (!signal.aborted) {
    let response: Response;
    try {
      response = await fetch(path, {
        headers: headers({ accept: "text/event-stream", ...(lastId !== undefined ? { "last-event-id": lastId } : {}) }),
        signal,
      });
    } catch {
      if (signal.aborted) return;
      await sleep(RETRY_MS);
      continue;
    }
    if (response.status === 204) return;
    if (!response.ok || !response.body) {
      const text = await response.text().catch(() => "");
      let body: { code?: string; message?: string; violations?: Violation[] } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        body = { message: text };
      }
      throw new ApiError(
        response.status,
        body.code ?? String(response.status),
        `event stream refused: ${body.message ?? response.statusText}`,
        body.violations ?? [],
      );
    }
    const ended = await readEvents(response.body, signal, (event) => {
      if (event.id !== undefined) lastId = event.id;
      onEvent(event);
    });
    if (ended) return;
    await sleep(RETRY_MS);
  }
}

/** Reads one response's events; true when the stream said `end`. */
async function readEvents(body: ReadableStream<Uint8Array>, signal: AbortSignal, onEvent: (event: SseEvent) => void): Promise<boolean> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return false;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, "");
        const event = parseBlock(block);
        if (event === undefined) continue;
        if (event.type === "end") return true;
        onEvent(event);
      }
    }
  } catch {
    return signal.aborted;
  } finally {
    reader.releaseLock();
  }
}

function parseBlock(block: string): SseEvent | undefined {
  let id: string | undefined;
  let type = "message";
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "id") id = value;
    else if (field === "event") type = value;
    else if (field === "data") data.push(value);
  }
  if (data.length === 0 && type === "message") return undefined;
  return { id, type, data: data.join("\n") };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
