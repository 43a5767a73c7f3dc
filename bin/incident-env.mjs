#!/usr/bin/env node
// Launcher for `npx incident-env` (package.json "bin"): runs src/cli.ts through tsx, which
// `npm ci` installs, so no build step is needed. Falls back to the compiled dist/ when tsx is absent.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let cli;
try {
  const { register } = await import("tsx/esm/api");
  register();
  cli = await import(pathToFileURL(join(root, "src", "cli.ts")).href);
} catch (error) {
  const compiled = join(root, "dist", "src", "cli.js");
  if (!existsSync(compiled)) throw error;
  cli = await import(pathToFileURL(compiled).href);
}
process.exit(await cli.main(process.argv.slice(2)));
