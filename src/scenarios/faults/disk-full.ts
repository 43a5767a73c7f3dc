import type { FaultDefinition } from "../../sim/fault-types.js";

/**
 * Something on a data node writes without limit and fills its volume. Near 100% every write fails
 * with ENOSPC: inserts and commits fail while reads still work. Freeing space (and fixing what
 * filled it) is the fix; restarting the database makes it worse.
 */
export const diskFull: FaultDefinition = {
  kind: "disk_full",
  title: "Data volume full",
  injectable: ["database", "queue"],
  trigger: { event: "gradual", description: "" },
  mechanism:
    "On {root}, {detail:producer} kept growing until the data volume filled up. At 100% every write fails with ENOSPC (No space left on device): {root} cannot write new data or its write-ahead log, so inserts and commits fail while reads still work, and its callers fail every request that writes.",
  growth: { shape: "ramp", minutesToFull: 15 },
  onsetBeforePage: [14, 22],
  effects: [
    { scope: "root", metric: "disk_usage", op: "toward", value: 100 },
    { scope: "root", metric: "latency_p99", op: "multiply", value: 4, fromIntensity: 0.8 },
    { scope: "root", metric: "error_rate", op: "add", value: 55, fromIntensity: 0.85 },
  ],
  edgeEffects: [],
  signature: ["disk_usage", "error_rate"],
  logs: {
    root: [
      {
        level: "WARN",
        message: "data volume {detail:mount} {n}% of free space left",
        fromIntensity: 0.5,
        paraphrases: {
          public: ["WARNING: filesystem {detail:mount} has only {n}% free", "disk_free_pct={n} mount={detail:mount}"],
          held_out: [
            '{"mount":"{detail:mount}","avail_pct":{n},"state":"low"}',
            "storage under {detail:mount} is running out: {n} percent still available",
          ],
        },
      },
      {
        level: "CRITICAL",
        message: 'could not write to file "{detail:file}": No space left on device',
        fromIntensity: 0.85,
        paraphrases: {
          public: [
            "write({detail:file}) failed: errno 28 (No space left on device)",
            "IOError writing {detail:file}: [Errno 28] No space left on device",
          ],
          held_out: [
            "cannot append to {detail:file}: the filesystem has no free blocks",
            '{"op":"write","path":"{detail:file}","error":"device full"}',
          ],
        },
      },
      {
        level: "ERROR",
        message: "ENOSPC: no space left on device, write ({detail:mount})",
        fromIntensity: 0.85,
        paraphrases: {
          public: ["fs.write failed code=ENOSPC mount={detail:mount}", "XFS (dm-0): ENOSPC reserving blocks on {detail:mount}"],
          held_out: ["{detail:mount} is 100% full; write rejected", '{"syscall":"write","volume":"{detail:mount}","result":"disk full"}'],
        },
      },
    ],
    callers: [
      {
        level: "ERROR",
        message: "write to {callee} failed: could not extend file: No space left on device",
        fromIntensity: 0.85,
        paraphrases: {
          public: [
            'db={callee} sqlstate=53100 error="could not extend file"',
            "INSERT on {callee} failed: PSQLException: could not extend file; HINT: Check free disk space.",
          ],
          held_out: [
            "{callee} rejected the write because its storage is full",
            '{"db":"{callee}","error":"disk_full","statement":"INSERT"}',
          ],
        },
      },
      {
        level: "WARN",
        message: "{callee} rejected a commit; retrying (attempt {n})",
        fromIntensity: 0.85,
        paraphrases: {
          public: ["commit to {callee} failed, retry {n}", "db={callee} op=commit result=rejected attempt={n}"],
          held_out: [
            '{"target":"{callee}","txn":"commit_failed","retry":{n}}',
            "transaction on {callee} could not be committed; trying again (#{n})",
          ],
        },
      },
    ],
    recovery: [
      {
        level: "INFO",
        message: "data volume {detail:mount} back to {n}% used",
        paraphrases: {
          public: ["disk_used_pct={n} mount={detail:mount}", "filesystem {detail:mount} at {n}% usage"],
          held_out: ['{"mount":"{detail:mount}","used_pct":{n}}', "space reclaimed on {detail:mount}, now {n} percent full"],
        },
      },
      {
        level: "INFO",
        message: "writes succeeding again; no ENOSPC errors in the last 5 minutes",
        paraphrases: {
          public: ["enospc_errors=0 window=5m", "Writes OK; 5 minutes without ENOSPC"],
          held_out: ["no disk-full write failures for five minutes", '{"write_errors_5m":0}'],
        },
      },
    ],
  },
  remedies: [
    { kind: "free_disk", target: "root", effect: "durable", recoveryMinutes: 3 },
    {
      kind: "raise_limit",
      target: "root",
      effect: "relief",
      recoveryMinutes: 3,
      reliefMinutes: 25,
    },
  ],
  wrongFixes: [
    {
      kind: "restart",
      target: "root",
      intensityDelta: 0,
      sideEffects: [{ scope: "root", metric: "error_rate", op: "add", value: 30 }],
      sideEffectMinutes: 5,
    },
  ],
  details: {
    producer: [
      "a log file that is never rotated (statement logging left at 'all')",
      "write-ahead log held back by a replication slot whose replica is gone",
      "temporary files from a runaway report query",
    ],
    mount: ["/var/lib/data", "/data"],
    file: ["pg_wal/xlogtemp.2817", "base/16384/2619.3", "log/server.log"],
  },
  knowledge: {
    runbook: {
      diagnose: ["disk_full"],
      // Free space (rotate, compress, drop a stale slot) or grow the volume.
      mitigate: [["free_disk_space", "log_rotation"]],
      verify: [["disk_recovered", "errors_recovered", "writes_recovered"]],
      escalate: [["escalate_oncall", "notify_stakeholders"]],
      optional: ["capacity_alerting", "write_rejected", "flush_cache", "error_rate_spike"],
      harmful: ["delete_data_files", "restart_service"],
    },
    postmortem: {
      rootCause: ["disk_full"],
      trigger: [],
      actionItems: [["log_rotation", "free_disk_space"], "capacity_alerting"],
      optional: ["write_rejected", "flush_cache", "disk_recovered", "writes_recovered"],
    },
  },
};
