/**
 * Small shared vocabulary of the simulation and the scenario layer: task levels, severities, log levels, and the
 * shapes of hand-written text (KB articles, log lines) that presets and faults carry.
 */

export type Level = "easy" | "medium" | "hard" | "expert";
export type SeverityWord = "P1" | "P2" | "P3" | "P4";
/**
 * Which surface forms (log phrasings, alert titles, KB text) an incident draws: "public" for
 * public seeds and presets, "held_out" for held-out seeds (SEED_RANGES in ./levels.ts). Held-out
 * seeds use phrasings that public seeds never show, so a policy that memorised training strings
 * does not carry them into evaluation.
 */
export type Phrasing = "public" | "held_out";

/** Two or more wordings. */
export type Wordings = readonly [string, string, ...string[]];

/**
 * Other wordings of one line, as different software prints the same fact: the same facts and the
 * same placeholders, different words and format. Public incidents print the line's own message
 * or one of `public`; held-out incidents print only one of `held_out`.
 */
export interface Paraphrases {
  public: Wordings;
  held_out: Wordings;
}

/** A line of text with its paraphrases (a log line, an alert title, an alert description). */
export interface PhrasedText {
  message: string;
  paraphrases: Paraphrases;
}
export type LogLevelWord = "DEBUG" | "INFO" | "WARN" | "ERROR" | "CRITICAL";

/** A log line template. `{n}` in the message is replaced by a small seeded number. */
interface LogTemplate {
  level: LogLevelWord;
  service: string;
  message: string;
}

/** A log line printed at a fixed minute relative to the responder joining (negative: before). */
export interface TimedLogTemplate extends LogTemplate {
  atMinute: number;
}

export interface KbArticleSpec {
  id: string;
  title: string;
  tags: readonly string[];
  content: string;
}
