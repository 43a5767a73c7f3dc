/**
 * A form generated from the action's JSON Schema (GET /schema, src/server/json-schema.ts), so that
 * the console offers exactly the fields every transport accepts and leaves validation to the
 * server: what the form reads is sent as it is, and the server's 400 says what is wrong.
 *
 * Strings become text inputs (long ones text areas), enums selects, arrays of strings text areas
 * with one item per line, maps of strings "key=value" lines, nested objects fieldsets (folded in a
 * <details>). Free-form objects (metadata) are left out. Every control has a label.
 */
import { h } from "./dom.js";

export interface JsonSchema {
  type?: string | string[];
  enum?: string[];
  anyOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  description?: string;
  title?: string;
  maxLength?: number;
  required?: string[];
}

interface Field {
  element: HTMLElement;
  /** The value to send; undefined leaves the field out. */
  read(): unknown;
  reset(): void;
}

/** Fields whose value is usually long text. */
const LONG_TEXT = 300;

export class SchemaForm {
  readonly element: HTMLElement;
  private readonly field: Field;

  constructor(
    private readonly root: JsonSchema,
    /** Suggestions for text fields by name (target_service: the services). */
    private readonly suggestions: Record<string, string[]> = {},
  ) {
    this.field = this.build(this.resolve(root), "action", "action", true, true);
    this.element = this.field.element;
  }

  value(): Record<string, unknown> {
    return (this.field.read() as Record<string, unknown> | undefined) ?? {};
  }

  reset(): void {
    this.field.reset();
  }

  private resolve(schema: JsonSchema): JsonSchema {
    let current = schema;
    for (let i = 0; i < 10 && current.$ref !== undefined; i++) {
      const name = current.$ref.replace(/^#\/\$defs\//, "");
      const target = this.root.$defs?.[name];
      if (!target) throw new Error(`schema: unknown $ref ${current.$ref}`);
      current = target;
    }
    return current;
  }

  /** The schema without its null branch (optional fields are "X or null"). */
  private nonNull(schema: JsonSchema): JsonSchema {
    const resolved = this.resolve(schema);
    if (!resolved.anyOf) return resolved;
    const branch = resolved.anyOf.find((s) => s.type !== "null");
    return branch ? { ...this.resolve(branch), description: resolved.description ?? this.resolve(branch).description } : resolved;
  }

  private build(raw: JsonSchema, name: string, path: string, required: boolean, top = false): Field {
    const schema = this.nonNull(raw);
    const id = `f-${path.replace(/[^A-Za-z0-9_-]/g, "-")}`;
    const hintId = `${id}-hint`;
    const label = (text: string): HTMLLabelElement => h("label", { for: id }, text);
    const hint = schema.description ? h("span", { id: hintId, class: "visually-hidden" }, schema.description) : null;
    const describedBy = schema.description ? hintId : undefined;
    const title = humanise(name);

    if (schema.enum) {
      const select = h(
        "select",
        { id, name: path, "aria-describedby": describedBy, title: schema.description },
        ...(required ? [] : [h("option", { value: "" }, "(none)")]),
        ...schema.enum.map((v) => h("option", { value: v }, v)),
      );
      return {
        element: h("div", { class: "field" }, label(title), select, hint),
        read: () => (select.value === "" ? undefined : select.value),
        reset: () => (select.selectedIndex = 0),
      };
    }
    const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
    if (type === "object" && schema.properties) {
      const required = new Set(schema.required ?? []);
      const fields = Object.entries(schema.properties)
        .map(([key, child]) => ({ key, child: this.nonNull(child) }))
        .filter(({ child }) => !isFreeForm(child))
        // Only the action's own required fields go without an empty choice: a nested object (a
        // remediation) is optional as a whole, so its required fields may be left empty too.
        .map(({ key, child }) => ({ key, field: this.build(child, key, `${path}.${key}`, top && required.has(key)) }));
      const read = (): unknown => {
        const out: Record<string, unknown> = {};
        for (const { key, field } of fields) {
          const value = field.read();
          if (value !== undefined) out[key] = value;
        }
        return Object.keys(out).length > 0 ? out : undefined;
      };
      const resetAll = (): void => fields.forEach(({ field }) => field.reset());
      if (top) return { element: h("div", { class: "schema-form" }, ...fields.map(({ field }) => field.element)), read, reset: resetAll };
      const details = h(
        "details",
        {},
        h("summary", {}, title),
        h("fieldset", { "aria-describedby": describedBy }, h("legend", {}, title), hint, ...fields.map(({ field }) => field.element)),
      );
      return { element: details, read, reset: resetAll };
    }
    if (type === "object" && typeof schema.additionalProperties === "object") {
      const area = h("textarea", { id, name: path, rows: 2, placeholder: "key=value, one per line", "aria-describedby": describedBy });
      const read = (): unknown => {
        const pairs = area.value
          .split("\n")
          .map((l) => l.trim())
          .filter((l) => l !== "");
        if (pairs.length === 0) return undefined;
        return Object.fromEntries(
          pairs.map((l) => [l.split("=")[0]?.trim() ?? "", l.includes("=") ? l.slice(l.indexOf("=") + 1).trim() : ""]),
        );
      };
      return {
        element: h("div", { class: "field" }, label(`${title} (key=value per line)`), area, hint),
        read,
        reset: () => (area.value = ""),
      };
    }
    if (type === "array") {
      const area = h("textarea", { id, name: path, rows: 3, placeholder: "one per line", "aria-describedby": describedBy });
      const read = (): unknown => {
        const items = area.value
          .split("\n")
          .map((l) => l.trim())
          .filter((l) => l !== "");
        return items.length > 0 ? items : undefined;
      };
      return {
        element: h("details", {}, h("summary", {}, title), h("div", { class: "field" }, label(`${title} (one per line)`), area, hint)),
        read,
        reset: () => (area.value = ""),
      };
    }
    if (type === "boolean") {
      const box = h("input", { id, name: path, type: "checkbox", "aria-describedby": describedBy });
      return {
        element: h("div", { class: "field" }, label(title), box, hint),
        read: () => (box.checked ? true : undefined),
        reset: () => (box.checked = false),
      };
    }
    if (type === "number" || type === "integer") {
      const input = h("input", { id, name: path, type: "number", "aria-describedby": describedBy });
      return {
        element: h("div", { class: "field" }, label(title), input, hint),
        read: () => (input.value === "" ? undefined : Number(input.value)),
        reset: () => (input.value = ""),
      };
    }
    const long = (schema.maxLength ?? 0) > LONG_TEXT;
    const options = this.suggestions[name];
    const listId = options ? `${id}-options` : undefined;
    const control = long
      ? h("textarea", { id, name: path, rows: 2, "aria-describedby": describedBy })
      : h("input", { id, name: path, type: "text", list: listId, autocomplete: "off", "aria-describedby": describedBy });
    const datalist = options ? h("datalist", { id: listId }, ...options.map((o) => h("option", { value: o }))) : null;
    return {
      element: h("div", { class: "field" }, label(title), control, datalist, hint),
      read: () => (control.value.trim() === "" ? undefined : control.value),
      reset: () => (control.value = ""),
    };
  }
}

function isFreeForm(schema: JsonSchema): boolean {
  return schema.type === "object" && !schema.properties && schema.additionalProperties === true;
}

function humanise(name: string): string {
  const words = name.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
