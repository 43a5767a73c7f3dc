/**
 * The shared knowledge-base pool (src/scenarios/kb) and how generated incidents draw from it.
 *
 * The pool: every article fits at least three failure modes, on at least two node kinds; every
 * failure mode is fitted by at least two articles (so its helpful article varies); the texts are
 * runbook-sized, name no node of any system, leave no placeholder; every article has a held-out
 * wording of its own (id, title, tags and text).
 *
 * The incidents (2001 public seeds over the three levels, 300 held-out seeds): the helpful article
 * always fits the true fault and the misleading one never does; the pair of articles shown does
 * not give the fault away (for every pair seen at least 20 times, no fault accounts for more than
 * half of it, and guessing the most frequent fault of each pair is right less than a third of the
 * time: measured 0.284 on these seeds); held-out seeds show only held-out wordings and public seeds
 * only public ones; the same seed shows the same articles.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { FaultKind } from "../src/sim/fault-types.js";
import { FAMILIES } from "../src/scenarios/families/index.js";
import { FAULTS, FAULT_KINDS } from "../src/scenarios/faults/index.js";
import { generateIncident } from "../src/scenarios/generate-incident.js";
import { PRESETS } from "../src/scenarios/incidents/index.js";
import {
  KB_POOL,
  articlesFitting,
  chooseKbArticles,
  kbWordingById,
  misleadingCandidates,
  type KbPoolArticle,
  type KbWording,
} from "../src/scenarios/kb/index.js";
import { SEED_RANGES } from "../src/scenarios/levels.js";
import type { KbArticleSpec, Level, Phrasing } from "../src/sim/vocabulary.js";
import { Rng } from "../src/sim/prng.js";

const LEVELS: readonly Level[] = ["easy", "medium", "hard"];

function allWordings(article: KbPoolArticle): KbWording[] {
  return [article.wordings.public, ...article.wordings.heldOut];
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** Four-word sequences of a text. */
function sequences(text: string): string[] {
  const w = words(text);
  return w.slice(0, Math.max(0, w.length - 3)).map((_, i) => w.slice(i, i + 4).join(" "));
}

/** The pool article behind a shown article, and whether it fits the fault. */
function resolve(shown: KbArticleSpec): { article: KbPoolArticle; phrasing: Phrasing } {
  const entry = kbWordingById(shown.id);
  if (!entry) throw new Error(`${shown.id} is not a pool article`);
  expect(shown).toEqual({
    id: entry.wording.id,
    title: entry.wording.title,
    tags: [...entry.wording.tags],
    content: entry.wording.content,
  });
  return entry;
}

describe("the knowledge-base pool", () => {
  it("holds 14 to 30 articles with unique keys and unique shown ids that say nothing about a fault", () => {
    expect(KB_POOL.length).toBeGreaterThanOrEqual(14);
    expect(KB_POOL.length).toBeLessThanOrEqual(30);
    expect(new Set(KB_POOL.map((a) => a.key)).size).toBe(KB_POOL.length);
    const ids = KB_POOL.flatMap(allWordings).map((w) => w.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^KB-\d{4}$/);
  });

  it("every article fits at least three failure modes, on at least two node kinds", () => {
    for (const article of KB_POOL) {
      expect(new Set(article.fits).size, article.key).toBe(article.fits.length);
      expect(article.fits.length, article.key).toBeGreaterThanOrEqual(3);
      for (const fault of article.fits) expect(FAULT_KINDS, article.key).toContain(fault);
      // An article alone never tells the root's kind: the faults it fits strike different kinds.
      const kinds = new Set(article.fits.flatMap((f) => FAULTS[f].injectable));
      expect(kinds.size, article.key).toBeGreaterThanOrEqual(2);
    }
  });

  it.each(FAULT_KINDS)("%s is fitted by at least two articles, and each has a plausible misleading partner", (fault) => {
    const fitting = articlesFitting(fault);
    expect(fitting.length).toBeGreaterThanOrEqual(2);
    for (const helpful of fitting) {
      const partners = misleadingCandidates(fault, helpful);
      expect(partners.length, helpful.key).toBeGreaterThan(0);
      for (const partner of partners) {
        expect(partner.fits, `${helpful.key} / ${partner.key}`).not.toContain(fault);
        expect(
          partner.symptoms.some((s) => helpful.symptoms.includes(s)),
          `${helpful.key} / ${partner.key} share a symptom`,
        ).toBe(true);
      }
    }
  });

  it("reads like runbook documentation: 60 to 160 words, tagged, no placeholders", () => {
    for (const wording of KB_POOL.flatMap(allWordings)) {
      const count = words(wording.content).length;
      expect(count, `${wording.id}: ${count} words`).toBeGreaterThanOrEqual(60);
      expect(count, `${wording.id}: ${count} words`).toBeLessThanOrEqual(160);
      expect(wording.title.trim().length, wording.id).toBeGreaterThan(0);
      expect(wording.tags.length, wording.id).toBeGreaterThan(0);
      for (const text of [wording.title, wording.content, ...wording.tags]) expect(text, wording.id).not.toMatch(/[{}]/);
    }
  });

  it("names no node of any family or preset", () => {
    const names = new Set([
      ...FAMILIES.flatMap((f) => f.roles.flatMap((r) => r.names.map((n) => n.name))),
      ...PRESETS.flatMap((p) => p.topology.nodes.map((n) => n.name)),
    ]);
    expect(names.size).toBeGreaterThan(100);
    for (const wording of KB_POOL.flatMap(allWordings)) {
      const text = [wording.title, wording.content, ...wording.tags].join(" ").toLowerCase();
      for (const name of names) {
        const named = new RegExp(`(?<![\\w-])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w-])`).test(text);
        expect(named, `${wording.id} names ${name}`).toBe(false);
      }
    }
  });

  it("has a held-out wording of every article that shares neither its id, title, tags nor sentences with the public one", () => {
    for (const article of KB_POOL) {
      const pub = article.wordings.public;
      const publicSequences = new Set(sequences(pub.content));
      for (const held of article.wordings.heldOut) {
        expect(held.id).not.toBe(pub.id);
        expect(held.title.toLowerCase()).not.toBe(pub.title.toLowerCase());
        for (const tag of held.tags) expect(pub.tags, article.key).not.toContain(tag);
        const own = sequences(held.content);
        const shared = own.filter((s) => publicSequences.has(s)).length / own.length;
        expect(shared, `${article.key}: share of four-word sequences also in the public wording`).toBeLessThanOrEqual(0.1);
      }
    }
  });
});

describe("choosing an incident's articles", () => {
  it("gives every fault one article that fits it and one that does not, deterministically, in both orders", () => {
    for (const fault of FAULT_KINDS) {
      const helpfulSeen = new Set<string>();
      const firstFits = new Set<boolean>();
      for (let seed = 0; seed < 60; seed++) {
        const shown = chooseKbArticles(fault, "public", new Rng(seed).fork("kb"));
        expect(chooseKbArticles(fault, "public", new Rng(seed).fork("kb"))).toEqual(shown);
        const fits = shown.map((a) => resolve(a).article.fits.includes(fault));
        expect(fits.filter(Boolean).length, fault).toBe(1);
        firstFits.add(fits[0] === true);
        helpfulSeen.add(shown.find((a) => resolve(a).article.fits.includes(fault))?.id ?? "");
      }
      expect(helpfulSeen.size, `${fault}: the helpful article varies`).toBeGreaterThanOrEqual(2);
      expect(firstFits.size, `${fault}: the helpful article is not always shown first`).toBe(2);
    }
  });
});

interface Sample {
  fault: FaultKind;
  shown: KbArticleSpec[];
}

function sample(seeds: (i: number) => number, count: number): Sample[] {
  return Array.from({ length: count }, (_, i) => {
    const { spec } = generateIncident(LEVELS[i % LEVELS.length] ?? "easy", seeds(i));
    return { fault: spec.fault.kind, shown: [...spec.kb] };
  });
}

describe("articles of generated incidents", () => {
  let publicSample: Sample[] = [];
  let heldOutSample: Sample[] = [];
  beforeAll(() => {
    // Seeds spread over the public range and over the held-out range, levels in turn.
    publicSample = sample((i) => (i * 1_073_741) % SEED_RANGES.held_out.first, 2001);
    heldOutSample = sample((i) => SEED_RANGES.held_out.first + i * 7_158_279, 300);
  }, 120_000);

  it("always show one helpful article (fits the true fault) and one misleading one (does not)", () => {
    for (const { fault, shown } of [...publicSample, ...heldOutSample]) {
      expect(shown.length).toBe(2);
      const fits = shown.map((a) => resolve(a).article.fits.includes(fault));
      expect(fits.filter(Boolean).length, `${fault}: ${shown.map((a) => a.id).join(", ")}`).toBe(1);
    }
  });

  it("show every article of the pool, each as helpful and as misleading", () => {
    const asHelpful = new Set<string>();
    const asMisleading = new Set<string>();
    for (const { fault, shown } of publicSample) {
      for (const a of shown) (resolve(a).article.fits.includes(fault) ? asHelpful : asMisleading).add(resolve(a).article.key);
    }
    expect([...asHelpful].sort()).toEqual(KB_POOL.map((a) => a.key).sort());
    expect([...asMisleading].sort()).toEqual(KB_POOL.map((a) => a.key).sort());
  });

  it("do not give the fault away: the pair of articles shown leaves several faults open", () => {
    const byPair = new Map<string, Map<FaultKind, number>>();
    for (const { fault, shown } of publicSample) {
      const pair = shown
        .map((a) => a.id)
        .sort()
        .join("+");
      const faults = byPair.get(pair) ?? new Map<FaultKind, number>();
      faults.set(fault, (faults.get(fault) ?? 0) + 1);
      byPair.set(pair, faults);
    }
    let guessedRight = 0;
    let frequentPairs = 0;
    for (const [pair, faults] of byPair) {
      const counts = [...faults.values()];
      const total = counts.reduce((a, b) => a + b, 0);
      const top = Math.max(...counts);
      guessedRight += top;
      if (total < 20) continue;
      frequentPairs++;
      // The misleading partner also fits a fault of the root's kind (src/scenarios/kb/select.ts), so
      // that the failing node's kind does not settle the fault; that costs a little spread on a
      // few pairs, bounded here.
      expect(top / total, `${pair}: ${JSON.stringify([...faults])}`).toBeLessThanOrEqual(0.6);
    }
    expect(frequentPairs).toBeGreaterThanOrEqual(20);
    // A policy that answers the most frequent fault of each pair it sees (fitted on these very
    // episodes, so an optimistic figure): 0.284 measured when this test was written.
    expect(guessedRight / publicSample.length).toBeLessThanOrEqual(0.32);
  });

  it("public seeds show only public wordings, held-out seeds only held-out ones", () => {
    for (const { shown } of publicSample) for (const a of shown) expect(resolve(a).phrasing).toBe("public");
    for (const { shown } of heldOutSample) for (const a of shown) expect(resolve(a).phrasing).toBe("held_out");
  });

  it("are the same for the same seed, and follow a pinned fault", () => {
    for (const seed of [3, 2_200_000_000]) {
      for (const level of LEVELS) {
        expect(generateIncident(level, seed).spec.kb).toEqual(generateIncident(level, seed).spec.kb);
        const pinned = generateIncident(level, seed, { faultKind: "dns_failure" }).spec;
        expect(pinned.kb.filter((a) => resolve(a).article.fits.includes("dns_failure")).length).toBe(1);
      }
    }
  });
});
