// Starts a simulation worker from the TypeScript sources (tests, `npm run dev`): registers the tsx
// loader in the worker, then loads the worker module. The compiled server (dist/) starts
// dist/src/env/workers/worker.js directly and never loads this file.
import { workerData } from "node:worker_threads";

const { register } = await import("tsx/esm/api");
register();
await import(workerData.entry);
