/**
 * Exact service-name matching with aliases.
 *
 * A name matches a service when, after normalising both (lower case; runs of spaces, underscores
 * and hyphens made one hyphen; surrounding space dropped), it equals the service's name or one of
 * its aliases. Nothing else matches: no substrings (the original incident-response-env accepted "e" for every service), no
 * lists of several services, no prefixes.
 */
/** Anything with a canonical name and aliases: a topology node. */
interface NamedService {
  name: string;
  aliases: readonly string[];
}

export function normalizeServiceName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "-");
}

/** Normalised names and aliases of each service list, computed once per list. */
const nameIndexes = new WeakMap<readonly NamedService[], Map<string, NamedService[]>>();

function nameIndex(services: readonly NamedService[]): Map<string, NamedService[]> {
  let index = nameIndexes.get(services);
  if (!index) {
    index = new Map();
    for (const service of services) {
      for (const name of new Set([service.name, ...service.aliases].map(normalizeServiceName))) {
        index.set(name, [...(index.get(name) ?? []), service]);
      }
    }
    nameIndexes.set(services, index);
  }
  return index;
}

/** The service this name denotes, if exactly one does. */
export function resolveService<S extends NamedService>(name: string | undefined, services: readonly S[]): S | undefined {
  if (name === undefined) return undefined;
  const wanted = normalizeServiceName(name);
  if (wanted === "") return undefined;
  const matches = nameIndex(services).get(wanted) ?? [];
  return matches.length === 1 ? (matches[0] as S) : undefined;
}
