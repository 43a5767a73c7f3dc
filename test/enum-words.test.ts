/**
 * One module (src/sim/enum-words.ts) converts between enum values and their words; every list of
 * words is derived from the generated enums, so a value added to a proto enum needs no other edit.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { DescEnum } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import * as enums from "../gen/incident/v1/enums_pb.js";
import { ActionType, FaultKind, RemediationKind, TaskLevel } from "../gen/incident/v1/enums_pb.js";
import { LEVELS } from "../src/env/tasks.js";
import { FAULT_WORDS, TASK_WORDS } from "../src/eval/args.js";
import { FAULTS } from "../src/scenarios/faults/index.js";
import { REMEDIATION_PRIORITY } from "../src/scenarios/remediation-concepts.js";
import { enumFromWord, enumValues, enumWords, wordFromEnum } from "../src/sim/enum-words.js";

const root = new URL("..", import.meta.url).pathname;
const schemas: Array<[string, DescEnum]> = Object.entries(enums as Record<string, unknown>).flatMap(([name, value]) =>
  name.endsWith("Schema") && (value as DescEnum).kind === "enum" ? [[name, value as DescEnum] as [string, DescEnum]] : [],
);

describe("enum words", () => {
  it.each(schemas.map(([name, desc]) => [name.replace(/Schema$/, ""), desc] as const))(
    "%s: values and words match the proto enum, both ways",
    (name, desc) => {
      const enumObject = (enums as unknown as Record<string, Record<string, string | number>>)[name];
      if (enumObject === undefined) throw new Error(`no enum object ${name}`);
      const declared = desc.values.filter((v) => v.number !== 0);
      expect(enumValues(enumObject)).toEqual(declared.map((v) => v.number));
      expect(enumWords(enumObject)).toEqual(declared.map((v) => v.localName.toLowerCase()));
      for (const v of declared) {
        const word = wordFromEnum(enumObject, v.number);
        expect(word).toBe(v.localName.toLowerCase());
        expect(enumFromWord(enumObject, word ?? "")).toBe(v.number);
      }
      expect(wordFromEnum(enumObject, 9999)).toBeUndefined();
      expect(enumFromWord(enumObject, "no_such_word")).toBeUndefined();
    },
  );

  it("every fault and every fix of the proto has its definition in the library, and eval --fault knows every fault", () => {
    expect(Object.keys(FAULTS).sort()).toEqual(enumWords(FaultKind).sort());
    expect([...REMEDIATION_PRIORITY].sort()).toEqual(enumWords(RemediationKind).sort());
    expect(FAULT_WORDS).toEqual(enumWords(FaultKind));
    expect(enumWords(ActionType)).toContain("apply_fix");
    // The typed level lists (their words are types too) name every level of the proto.
    expect([...LEVELS]).toEqual(enumWords(TaskLevel));
    expect([...TASK_WORDS]).toEqual(enumWords(TaskLevel));
  });

  it("no source converts an enum name to a word by hand", () => {
    const walk = (d: string): string[] =>
      readdirSync(d).flatMap((n) => {
        const p = join(d, n);
        return statSync(p).isDirectory() ? walk(p) : p.endsWith(".ts") ? [p] : [];
      });
    // `Kind[value]?.toLowerCase()`, `Kind[value].toLowerCase()`, or stripping a value prefix.
    const handRolled = /\b[A-Z]\w*\[[^\]]+\]\??\.toLowerCase\(\)|\.replace\(\/\^\[A-Z_\]\*_\/|\.toUpperCase\(\) as keyof typeof [A-Z]/;
    const offenders = ["src", "tools", "bench", "test"]
      .flatMap((d) => walk(join(root, d)))
      .filter((f) => !f.endsWith("src/sim/enum-words.ts") && !f.endsWith("test/enum-words.test.ts"))
      .flatMap((f) =>
        readFileSync(f, "utf8")
          .split("\n")
          .flatMap((line, i) => (handRolled.test(line) ? [`${relative(root, f)}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(offenders, "use enumFromWord / wordFromEnum / enumWords of src/sim/enum-words.ts").toEqual([]);
  });
});
