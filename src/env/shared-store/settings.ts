/**
 * Where the shared episode store is and how a replica uses it: EPISODE_STORE (a redis:// URL of a
 * Valkey or Redis server) and EPISODE_STORE_PREFIX (the namespace of every key, so that several
 * deployments can share one server). Without EPISODE_STORE episodes stay in the server's memory.
 */

export interface SharedStoreSettings {
  /** redis://[user:password@]host[:port][/db], or rediss:// for TLS. */
  url: string;
  /** Every key the environment writes starts with `${prefix}:`. */
  prefix: string;
}

/** The namespace of the keys when EPISODE_STORE_PREFIX is not set. */
const DEFAULT_STORE_PREFIX = "ire";

const PREFIX_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Parses EPISODE_STORE; throws an error that names the expected form when it is not one. */
export function parseStoreUrl(raw: string): string {
  const expected = `EPISODE_STORE must be redis://host:port[/db] (or rediss:// for TLS; unset for episodes in memory), got "${raw}"`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(expected);
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") throw new Error(expected);
  if (url.hostname === "") throw new Error(`${expected}: no host`);
  if (url.search !== "" || url.hash !== "") throw new Error(`${expected}: no query or fragment is understood`);
  const db = url.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d{1,5}$/.test(db)) throw new Error(`${expected}: the path must be a database number`);
  return raw;
}

/** The shared store the environment variables name, or undefined for episodes in memory. */
export function sharedStoreFromEnv(env: NodeJS.ProcessEnv): SharedStoreSettings | undefined {
  const raw = env.EPISODE_STORE?.trim();
  if (raw === undefined || raw === "" || raw === "memory") return undefined;
  const prefix = env.EPISODE_STORE_PREFIX?.trim() || DEFAULT_STORE_PREFIX;
  if (!PREFIX_PATTERN.test(prefix)) throw new Error(`EPISODE_STORE_PREFIX must be 1-64 characters of A-Z a-z 0-9 _ . : -, got "${prefix}"`);
  return { url: parseStoreUrl(raw), prefix };
}
