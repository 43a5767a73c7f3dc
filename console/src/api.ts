/**
 * The console's calls to the server: the public REST JSON routes and SSE streams, as any client
 * uses them. Every call names the console (x-incident-client: console, so that ListEpisodes says a
 * person plays) and carries the API key kept in sessionStorage (for this tab only).
 */
const KEY_STORAGE = "incident-console-api-key";

export function apiKey(): string | undefined {
  return sessionStorage.getItem(KEY_STORAGE) ?? undefined;
}

export function setApiKey(key: string): void {
  if (key === "") sessionStorage.removeItem(KEY_STORAGE);
  else sessionStorage.setItem(KEY_STORAGE, key);
}

export function headers(extra: Record<string, string> = {}): Record<string, string> {
  const key = apiKey();
  return { accept: "application/json", "x-incident-client": "console", ...(key ? { authorization: `Bearer ${key}` } : {}), ...extra };
}

export interface Violation {
  field: string;
  rule: string;
  message: string;
}

/** An error answer of the server, in its one error shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly violations: Violation[],
  ) {
    super(message);
  }
}

/** A JSON call; resolves with the parsed body, rejects with ApiError. */
export async function api<T>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: headers(body === undefined ? {} : { "content-type": "application/json" }),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const error = (json ?? {}) as { code?: string; message?: string; violations?: Violation[] };
    throw new ApiError(
      response.status,
      error.code ?? "unknown",
      error.message ?? `${response.status} ${response.statusText}`,
      error.violations ?? [],
    );
  }
  return json as T;
}

/** What an error says to a person. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const details = error.violations.map((v) => `${v.field ? `${v.field}: ` : ""}${v.message}`).join("; ");
    const hint = error.status === 401 ? " Enter an API key above." : "";
    return `${error.code}: ${error.message}${details && !error.message.includes(details) ? ` (${details})` : ""}${hint}`;
  }
  return error instanceof Error ? error.message : String(error);
}
