// ESLint: @eslint/js and typescript-eslint recommended rules, and the layer rule (which folder of
// src/ may import which) through the core no-restricted-imports rule, one block per layer.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

/** Import patterns (gitignore-style, relative to the importing file) of the folders above a layer. */
const above = (...folders) => folders.flatMap((f) => [`../${f}`, `../${f}/*`, `../../${f}`, `../../${f}/*`, `../../../${f}/*`]);
const transportPackages = ["fastify", "@fastify/*", "@connectrpc/connect-fastify", "@connectrpc/connect-node"];
const layer = (files, message, folders, packages = []) => ({
  files,
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          { group: above(...folders), message },
          ...(packages.length > 0 ? [{ group: packages, message: "transports live in src/server" }] : []),
        ],
      },
    ],
  },
});

export default defineConfig(
  { ignores: ["gen/**", "dist/**", "node_modules/**", "clients/**", "proto-vendor/**", "test-results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain JavaScript files run on Node (TypeScript files get no-undef from the compiler instead).
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
  {
    rules: {
      // `_` and `_name` are deliberately unused (a loop that only drains a stream, a property
      // left out by a rest pattern).
      // Prettier breaks long chains before a computed member (`\n[Symbol.asyncIterator]()`) and
      // always prints semicolons, so the ASI hazard this rule guards against cannot arise.
      "no-unexpected-multiline": "off",
      "@typescript-eslint/no-unused-vars": ["error", { varsIgnorePattern: "^_", argsIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },
  // Layers, lowest first (README "Layout"): sim < scenarios < grading < json, env < server, agents < eval.
  layer(["src/sim/**"], "src/sim is the pure world: it imports no layer above it", [
    "scenarios",
    "grading",
    "json",
    "env",
    "server",
    "agents",
    "eval",
  ]),
  layer(["src/scenarios/**"], "src/scenarios imports only src/sim and gen/", ["grading", "json", "env", "server", "agents", "eval"]),
  layer(["src/grading/**"], "src/grading imports only src/sim, src/scenarios and gen/", ["json", "env", "server", "agents", "eval"]),
  {
    files: ["src/json/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [...above("server", "agents", "eval"), "../env/*", "!../env/errors.js"],
              message: "src/json (the JSON codec) imports only gen/ and src/env/errors.ts",
            },
          ],
        },
      ],
    },
  },
  layer(
    ["src/env/**"],
    "src/env (the domain) never imports a transport, an agent or the evaluator",
    ["server", "agents", "eval"],
    transportPackages,
  ),
  layer(["src/agents/**"], "agents never import the server nor the evaluator", ["server", "eval"], transportPackages),
  layer(["src/eval/**"], "the evaluator never imports the server", ["server"], ["fastify", "@fastify/*", "@connectrpc/connect-fastify"]),
);
