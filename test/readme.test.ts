/**
 * The README's examples, run as a reader would run them against the real server on port 0:
 * every curl command of the walkthrough (the easy episode, then the typed apply_fix) in order,
 * and the TypeScript snippet as it is printed.
 */
import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dig, useServer } from "./support/server.js";

const ROOT = join(import.meta.dirname, "..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const server = useServer();

/** The fenced blocks of one language in a section (from its heading to the next `## `). */
function blocks(section: string, language: string): string[] {
  const start = README.indexOf(`\n## ${section}\n`);
  expect(start, `README section "${section}"`).toBeGreaterThanOrEqual(0);
  const end = README.indexOf("\n## ", start + 1);
  const text = README.slice(start, end === -1 ? undefined : end);
  return [...text.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!);
}

interface Curl {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** The commands of a shell block, as word lists: '...' quotes (which may span lines), backslash-newline continuations, # comments. */
function shellCommands(block: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | undefined;
  const endWord = () => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  for (let i = 0; i < block.length; i++) {
    const c = block[i]!;
    if (c === "'") {
      const close = block.indexOf("'", i + 1);
      word = (word ?? "") + block.slice(i + 1, close);
      i = close;
    } else if (c === "\\" && block[i + 1] === "\n") {
      endWord();
      i++;
    } else if (c === "#" && word === undefined) {
      i = block.indexOf("\n", i) - 1;
      if (i < 0) break;
    } else if (c === "\n") {
      endWord();
      if (words.length > 0) commands.push(words);
      words = [];
    } else if (c === " ") endWord();
    else word = (word ?? "") + c;
  }
  endWord();
  if (words.length > 0) commands.push(words);
  return commands;
}

/** The curl commands of a shell block, with the options a reader's shell would pass. */
function curlCommands(block: string): Curl[] {
  return shellCommands(block)
    .filter((words) => words[0] === "curl")
    .map((words) => {
      const curl: Curl = { method: "GET", url: "", headers: {}, body: undefined };
      for (let i = 1; i < words.length; i++) {
        const word = words[i]!;
        if (word === "-X") curl.method = words[++i]!;
        else if (word === "-H") {
          const [name, ...value] = words[++i]!.split(":");
          curl.headers[name!.trim().toLowerCase()] = value.join(":").trim();
        } else if (word === "-d") {
          curl.body = words[++i]!;
          if (curl.method === "GET") curl.method = "POST";
        } else if (!word.startsWith("-")) curl.url = word;
      }
      return curl;
    });
}

async function send(curl: Curl): Promise<{ status: number; json: unknown }> {
  const url = curl.url.replace(/^(http:\/\/)?localhost:7860/, server.baseUrl);
  const response = await fetch(url, {
    method: curl.method,
    headers: curl.headers,
    ...(curl.body !== undefined ? { body: curl.body } : {}),
  });
  return { status: response.status, json: await response.json() };
}

describe("README: Play one episode with curl", () => {
  const commands = blocks("Play one episode with curl", "sh").flatMap(curlCommands);

  it("has the easy walkthrough and the apply_fix example", () => {
    expect(commands.map((c) => `${c.method} ${c.url.replace(/^localhost:7860/, "")}`)).toEqual([
      "POST /reset",
      "POST /step",
      "POST /step",
      "GET /state",
      "POST /reset",
      "POST /step",
    ]);
  });

  it("every command succeeds in order: the diagnosis is right, and the typed fix scales the service to a number of replicas", async () => {
    const answers = [];
    for (const command of commands) {
      const answer = await send(command);
      expect(answer.status, `${command.method} ${command.url} ${command.body ?? ""}: ${JSON.stringify(answer.json)}`).toBe(200);
      answers.push(answer.json);
    }
    expect(dig(answers[2], "done")).toBe(true);
    expect(dig(answers[2], "reward")).toBeGreaterThan(0.9);
    expect(dig(answers[3], "status")).toBe("terminated_success");
    expect(dig(answers[5], "observation.feedback")).toBe("worker-service scaled to 6 replicas.");
    expect(dig(answers[5], "done")).toBe(false);
  });
});

describe("README: the TypeScript snippet", () => {
  const file = join(ROOT, `.readme-snippet-${process.pid}.ts`);
  afterAll(() => rmSync(file, { force: true }));

  it("runs as printed and diagnoses a service of its own episode", async () => {
    const [snippet] = blocks("The same over gRPC, gRPC-Web and Connect", "ts");
    expect(snippet).toBeDefined();
    writeFileSync(file, snippet!.replace("http://localhost:7860", server.baseUrl));
    const child = spawn(process.execPath, ["--import", "tsx", file], { cwd: ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
    // It prints the reward, done and the grade's components: a right diagnosis ends the easy episode with a good score.
    const [reward, done] = stdout.trim().split("\n").at(-1)!.split(" ");
    expect(Number(reward)).toBeGreaterThan(0.5);
    expect(done).toBe("true");
  }, 60_000);
});
