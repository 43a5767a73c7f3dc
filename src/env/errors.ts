/**
 * Errors the environment raises for requests it cannot honour.
 *
 * The kind names follow the Connect/gRPC status codes, so each transport maps them without a
 * table of its own: Connect and gRPC use the code as is, REST turns it into the matching HTTP
 * status (src/server/errors.ts). The domain never imports a transport.
 */
export type EnvErrorKind =
  | "invalid_argument"
  | "not_found"
  | "failed_precondition"
  | "resource_exhausted"
  /** A concurrent request changed the episode first (the shared store's optimistic concurrency); retry. */
  | "aborted"
  /** The episode's worker or store cannot be reached now; retry later. */
  | "unavailable"
  /** The request carries no valid API key (API_KEYS is set). */
  | "unauthenticated"
  /** The request is refused as it is, whoever sends it: a browser origin or a Host that is not allowed. */
  | "permission_denied"
  | "internal";

export interface Violation {
  /** Path of the offending field, e.g. "action.target_service". */
  field: string;
  /** Rule id, e.g. "string.max_len" or "enum.defined_only". */
  rule: string;
  message: string;
}

export class EnvError extends Error {
  constructor(
    readonly kind: EnvErrorKind,
    message: string,
    readonly violations: readonly Violation[] = [],
  ) {
    super(message);
    this.name = "EnvError";
  }
}

/**
 * The EnvError to report for anything a request raised: EnvErrors as they are, anything else
 * (a bug) as an internal error that does not leak its details; `log` receives the original.
 */
export function asEnvError(error: unknown, log: (error: unknown) => void = (e) => console.error(e)): EnvError {
  if (error instanceof EnvError) return error;
  log(error);
  return new EnvError("internal", "internal error; see the server log");
}
