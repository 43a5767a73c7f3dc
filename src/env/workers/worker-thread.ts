/**
 * One simulation worker seen from the server thread: starts it, numbers its calls, matches each
 * answer to its call, and fails the calls in flight with `unavailable` if the worker dies.
 */
import { Worker } from "node:worker_threads";
import { EnvError } from "../errors.js";
import type { FromWorker, ToWorker, WorkerSetup } from "./protocol.js";

/**
 * Young generation of each simulation worker's heap: large enough that an episode that lives while
 * a few dozen other episodes reset dies young instead of being promoted. A medium reset allocates
 * about 460 KB, so at 8 MiB (until 2026-12-03) a worker scavenged every five resets or so, every
 * live episode was promoted, and V8's helper threads spent a quarter of the machine marking the
 * old generation. Alternating runs of a warm 2-worker server (2026-12-03): POST /reset 1,121-1,138
 * req/s at 8 MiB, 1,180-1,194 at 48 MiB, 1,258-1,290 at 96 MiB; REST steps 2,130-2,212 steps/s at
 * 8 MiB, 2,292-2,438 at 96 MiB. The price is RSS under load: the bench's 10,000 live episodes on
 * 2 workers took 716 MiB instead of 617.
 */
const WORKER_YOUNG_GENERATION_MB = 96;

/** A ToWorker message without its call number (the thread adds it). */
type Call = ToWorker extends infer M ? (M extends { call: number } ? Omit<M, "call"> : never) : never;
/** A ToWorker message that expects no answer. */
type Notice = Exclude<ToWorker, { call: number }>;

/** Where the worker module is: compiled JavaScript next to this file, or the TypeScript sources through tsx. */
function workerLocation(): { url: URL; entry?: string } {
  const here = import.meta.url;
  if (here.endsWith(".ts")) return { url: new URL("./load-typescript.mjs", here), entry: new URL("./worker.ts", here).href };
  return { url: new URL("./worker.js", here) };
}

export class WorkerThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (answer: FromWorker) => void; reject: (error: EnvError) => void }>();
  private nextCall = 1;
  private exited = false;
  private readonly started: Promise<void>;
  private settleStart: { resolve: () => void; reject: (error: Error) => void } | undefined;
  /** Called with a stream number when the worker's stall watchdog dropped that stream's subscriber. */
  onStalled: (stream: number) => void = () => {};
  /** Called once if the worker exits while the pool still needs it. */
  onExit: (code: number) => void = () => {};

  constructor(
    readonly index: number,
    setup: Omit<WorkerSetup, "entry">,
  ) {
    const { url, entry } = workerLocation();
    this.worker = new Worker(url, {
      workerData: { ...setup, ...(entry !== undefined ? { entry } : {}) } satisfies WorkerSetup,
      name: `simulation-${index}`,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    this.started = new Promise((resolve, reject) => {
      this.settleStart = { resolve, reject };
    });
    this.worker.on("message", (message: FromWorker) => this.receive(message));
    this.worker.on("error", (error) => {
      if (this.settleStart) this.settleStart.reject(error);
      else console.error(`simulation worker ${index} failed`, error);
    });
    this.worker.on("exit", (code) => {
      this.exited = true;
      this.settleStart?.reject(new Error(`simulation worker ${index} stopped before it was ready (exit code ${code})`));
      this.settleStart = undefined;
      const error = new EnvError(
        "unavailable",
        `simulation worker ${index} stopped (exit code ${code}); its episodes are lost, reset to play again`,
      );
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
      this.onExit(code);
    });
  }

  /** Resolves when the worker's environment is ready; rejects if it cannot start. */
  ready(): Promise<void> {
    return this.started;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Sends a call and resolves with the worker's answer to it. */
  call(message: Call): Promise<FromWorker> {
    if (this.exited) return Promise.reject(new EnvError("unavailable", `simulation worker ${this.index} is not running; retry`));
    const call = this.nextCall++;
    return new Promise((resolve, reject) => {
      this.pending.set(call, { resolve, reject });
      this.worker.postMessage({ ...message, call } as ToWorker);
    });
  }

  /** Sends a message that has no answer. */
  notify(message: Notice): void {
    if (!this.exited) this.worker.postMessage(message);
  }

  /** Stops the worker abruptly, as a crash would: the pool notices and replaces it (operators, tests). */
  async kill(): Promise<void> {
    await this.worker.terminate();
  }

  /** Stops the worker for good (server shutdown): nothing replaces it. */
  async terminate(): Promise<void> {
    this.onExit = () => {};
    this.exited = true;
    await this.worker.terminate();
  }

  private receive(message: FromWorker): void {
    if (message.type === "ready" || message.type === "startFailed") {
      const start = this.settleStart;
      this.settleStart = undefined;
      if (message.type === "ready") start?.resolve();
      else start?.reject(new Error(`simulation worker ${this.index} could not start: ${message.message}`));
      return;
    }
    if (message.type === "stalled") {
      this.onStalled(message.stream);
      return;
    }
    const waiting = this.pending.get(message.call);
    if (!waiting) return;
    this.pending.delete(message.call);
    waiting.resolve(message);
  }
}
