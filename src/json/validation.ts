/**
 * The protovalidate rules of the .proto files, applied to requests that do not come through
 * Connect (REST, WebSocket). Connect requests are checked by @connectrpc/validate's interceptor
 * with the same validator instance.
 */
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { pathToString } from "@bufbuild/protobuf/reflect";
import { createValidator, type Validator } from "@bufbuild/protovalidate";
import { EnvError } from "../env/errors.js";

export const validator: Validator = createValidator();

/** Returns the message if it satisfies its rules; throws EnvError invalid_argument otherwise. */
export function validated<Desc extends DescMessage>(desc: Desc, message: MessageShape<Desc>): MessageShape<Desc> {
  const result = validator.validate(desc, message);
  if (result.kind === "valid") return message;
  if (result.kind === "error") throw new EnvError("internal", `validation failed to run: ${result.error.message}`);
  const violations = result.violations.map((v) => ({ field: pathToString(v.field), rule: v.ruleId, message: v.message }));
  // A rule of the whole message (a CEL rule) has no field: its message stands alone.
  const summary = violations.map((v) => (v.field ? `${v.field}: ${v.message}` : v.message)).join("; ");
  throw new EnvError("invalid_argument", summary, violations);
}
