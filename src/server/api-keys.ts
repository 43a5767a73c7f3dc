/**
 * Opt-in API keys: with API_KEYS or API_KEYS_FILE set, every request but GET /health, the Health
 * RPC and the API documentation (/docs) must carry `Authorization: Bearer <token>` (gRPC: the
 * same `authorization` metadata entry), and episodes belong to the key that created them
 * (src/env/episode-access.ts).
 *
 * Keys have names, so that ownership survives a token's rotation and logs can say whose request
 * it was without printing a secret: API_KEYS="alice:<token>,bob:<token>", or API_KEYS_FILE naming
 * a file with one "name token" (or "name:token") per line, "#" starting a comment. Names are
 * 1-64 of A-Z a-z 0-9 . _ -; tokens are at least MIN_TOKEN_LENGTH characters without spaces or
 * commas. Presented tokens are hashed (SHA-256) and compared with every key's hash in constant
 * time, so neither the answer's timing nor an early exit tells how much of a token was right.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { OWNER_NAME_PATTERN } from "../env/episode-access.js";

/** The shortest token accepted: shorter ones could be guessed. */
export const MIN_TOKEN_LENGTH = 16;

interface Key {
  name: string;
  digest: Buffer;
}

function digestOf(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

export class ApiKeys {
  private readonly keys: readonly Key[];

  /** @param entries name and token of each key; throws on a bad name, a short token or a repeated one. */
  constructor(entries: ReadonlyArray<{ name: string; token: string }>) {
    if (entries.length === 0) throw new Error("API keys: no key given");
    const names = new Set<string>();
    const tokens = new Set<string>();
    this.keys = entries.map(({ name, token }) => {
      if (!OWNER_NAME_PATTERN.test(name)) throw new Error(`API keys: the name "${name}" must be 1-64 of A-Z a-z 0-9 . _ -`);
      if (token.length < MIN_TOKEN_LENGTH || /[\s,]/.test(token))
        throw new Error(`API keys: the token of "${name}" must be at least ${MIN_TOKEN_LENGTH} characters, without spaces or commas`);
      if (names.has(name)) throw new Error(`API keys: the name "${name}" is given twice`);
      if (tokens.has(token)) throw new Error(`API keys: two keys share the token of "${name}"`);
      names.add(name);
      tokens.add(token);
      return { name, digest: digestOf(token) };
    });
  }

  get size(): number {
    return this.keys.length;
  }

  /** The name of the key an Authorization header presents, or undefined when it presents none that is valid. */
  authenticate(authorization: string | undefined): string | undefined {
    const match = authorization === undefined ? null : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (match === null) return undefined;
    const presented = digestOf(match[1] as string);
    let found: string | undefined;
    for (const key of this.keys) {
      // Every key is compared, whichever matches.
      if (timingSafeEqual(presented, key.digest) && found === undefined) found = key.name;
    }
    return found;
  }

  /** Keys from API_KEYS and API_KEYS_FILE (both may be set); undefined when neither is. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): ApiKeys | undefined {
    const entries: Array<{ name: string; token: string }> = [];
    const inline = env.API_KEYS?.trim();
    if (inline) entries.push(...inline.split(",").map((item) => parseEntry(item, "API_KEYS")));
    const file = env.API_KEYS_FILE?.trim();
    if (file) {
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (error) {
        throw new Error(
          `API_KEYS_FILE: cannot read ${file} (${error instanceof Error && "code" in error ? String(error.code) : "unreadable"})`,
          { cause: error },
        );
      }
      for (const line of text.split(/\r?\n/)) {
        const content = line.replace(/#.*$/, "").trim();
        if (content !== "") entries.push(parseEntry(content, "API_KEYS_FILE"));
      }
    }
    if (!inline && !file) return undefined;
    if (entries.length === 0) throw new Error("API_KEYS / API_KEYS_FILE: set, but no key in it");
    return new ApiKeys(entries);
  }
}

/** "name:token" or "name token". */
function parseEntry(text: string, source: string): { name: string; token: string } {
  const match = /^\s*([^\s:]+)\s*[:\s]\s*(\S+)\s*$/.exec(text);
  if (match === null) throw new Error(`${source}: expected "name:token" entries, got an entry of ${text.trim().length} characters`);
  return { name: match[1] as string, token: match[2] as string };
}
