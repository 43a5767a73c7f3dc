/**
 * The vocabulary of the shared knowledge-base pool.
 *
 * A pool article is general runbook documentation about one kind of symptom ("latency with
 * healthy CPU", "errors on some call paths only"), written the way a team's internal wiki would
 * be: how to tell the usual causes of that symptom apart and what to do for each. Because it is
 * about a symptom, it fits several failure modes (`fits`), never just one, so the articles an
 * incident shows narrow the search without naming the answer.
 *
 * Every article has a public wording and at least one held-out wording (own id, title, tags and
 * text): incidents from held-out seeds show only held-out wordings, all others only public ones,
 * so memorised article text or ids do not carry over from training to evaluation.
 */
import type { FaultKind } from "../../sim/fault-types.js";

/**
 * Coarse symptom families. A misleading article is drawn among the articles that share one with
 * the helpful article, so both read as plausible for what the responder is looking at.
 */
export type KbSymptom =
  /** Requests failing (5xx, refusals, resets). */
  | "errors"
  /** Requests slow (p99, time spent downstream). */
  | "latency"
  /** A finite resource near its ceiling (CPU, memory, disk, connections, pools). */
  | "saturation"
  /** Request volume out of line with user demand. */
  | "traffic"
  /** Trouble that begins with a change (deploy, configuration, maintenance, rotation). */
  | "change"
  /** Trouble shaped by the network: zones, name resolution, transport errors. */
  | "network"
  /** Work piling up in a queue. */
  | "backlog"
  /** Trouble that builds up over tens of minutes. */
  | "slow_burn";

/** One wording of an article: what the responder is shown. */
export interface KbWording {
  /** Shown as the article id; says nothing about the faults the article fits. */
  id: string;
  title: string;
  tags: readonly string[];
  /** Plain text, no placeholders: pool articles never name this system's nodes. */
  content: string;
}

export interface KbPoolArticle {
  /** Internal name of the article (never shown; the wordings carry the shown ids). */
  key: string;
  symptoms: readonly KbSymptom[];
  /**
   * The failure modes whose symptoms this article describes and whose remedy it gives. Adding a
   * fault to the library means adding it to the `fits` of at least two articles.
   */
  fits: readonly FaultKind[];
  wordings: {
    public: KbWording;
    heldOut: readonly [KbWording, ...KbWording[]];
  };
}
