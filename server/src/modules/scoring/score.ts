// A listing's score under a scoring profile: a number from 0 to 100, defined in docs/scoring.md.
// Pure rules, no GraphQL and no database. The migration 20261207000100_scoring defines the same
// computation in SQL (app_listing_score, used to order listings); test/sql/scoring-sql.test.ts
// holds the two to agreement within 1e-9, so change both together or neither.
import { SCORING_LIMITS } from '@deal-brain/shared/field-limits';
import {
  SCORING_ATTRIBUTE_LABELS,
  SCORING_ATTRIBUTES,
  type ScoringAttribute,
} from '@deal-brain/shared/scoring-attributes';
import { z } from 'zod';

/** A weight for each attribute (SCORING_ATTRIBUTES, shared with the web app's form, in the SQL's order). */
export type ScoringWeights = Record<ScoringAttribute, number>;

const MAX_WEIGHT = SCORING_LIMITS.maxWeight;

/**
 * Stored weights below this count as 0: PostgreSQL refuses to turn a smaller non-zero number into
 * a double (underflow), and the SQL mirror must never fail on a row written outside the API.
 */
export const MIN_NONZERO_WEIGHT = 1e-300;

export type Condition = 'NEW' | 'LIKE_NEW' | 'USED' | 'REFURBISHED' | 'FOR_PARTS';

/** What a score reads of a listing. Price as the database gives it (a Decimal), a string or a number. */
export interface ScorableListing {
  price: number | string | { toString(): string } | null;
  condition: Condition | null;
  cpu: string | null;
  gpu: string | null;
  ramGb: number | null;
  storageGb: number | null;
}

const weight = (attribute: ScoringAttribute) =>
  z
    .number()
    .min(0, `${SCORING_ATTRIBUTE_LABELS[attribute]} weight must be between 0 and ${MAX_WEIGHT}`)
    .max(MAX_WEIGHT, `${SCORING_ATTRIBUTE_LABELS[attribute]} weight must be between 0 and ${MAX_WEIGHT}`);

/** Weights as a client gives them: each 0..100, at least one above 0 (else every score is 0). */
export const scoringWeightsSchema = z
  .object({
    price: weight('price'),
    cpu: weight('cpu'),
    gpu: weight('gpu'),
    ram: weight('ram'),
    storage: weight('storage'),
    condition: weight('condition'),
  })
  .refine((weights) => SCORING_ATTRIBUTES.some((attribute) => weights[attribute] > 0), {
    message: 'At least one weight must be above 0',
  });

// ── sub-scores, each in [0, 1] ──────────────────────────────────────────────────────────────

export const PRICE_HALF_SCORE = 500;
export const RAM_CAP_GB = 64;
export const STORAGE_CAP_GB = 2000;

/** 500 / (500 + price): 1 at a price of 0, 0.5 at 500, approaching 0 as the price grows. */
export function priceSubScore(price: ScorableListing['price']): number {
  if (price === null) return 0;
  const amount = typeof price === 'number' ? price : Number(price.toString());
  return PRICE_HALF_SCORE / (PRICE_HALF_SCORE + Math.max(amount, 0));
}

/** Capped linear: min(gb, cap) / cap; none or negative is 0. */
function cappedSubScore(gb: number | null, cap: number): number {
  return Math.min(Math.max(gb ?? 0, 0), cap) / cap;
}

export const ramSubScore = (ramGb: number | null) => cappedSubScore(ramGb, RAM_CAP_GB);
export const storageSubScore = (storageGb: number | null) => cappedSubScore(storageGb, STORAGE_CAP_GB);

export const CONDITION_SUB_SCORES: Record<Condition, number> = {
  NEW: 1.0,
  LIKE_NEW: 0.9,
  REFURBISHED: 0.8,
  USED: 0.6,
  FOR_PARTS: 0.1,
};

export function conditionSubScore(condition: Condition | null): number {
  return condition === null ? 0 : (CONDITION_SUB_SCORES[condition] ?? 0);
}

// Tier words. These patterns are written once more, verbatim, in the migration: they use only
// what JavaScript RegExp and PostgreSQL's regular expressions (ARE) read the same way, namely
// literals, [bracket] classes, ( | ) groups, ? and +; no \b (ARE spells it \y), no \d, no dot.
// They run case-sensitively on text whose ASCII letters were lowered (foldAscii); a
// case-insensitive match would fold other characters by the database's locale, which JS does not.
// "Word-ish": a tier word must not touch a letter or digit on its left, nor (mostly) on its right.
const START = '(^|[^a-z0-9])';
const END = '([^a-z0-9]|$)';
const NO_DIGIT_AFTER = '([^0-9]|$)';
const NO_LETTER_AFTER = '([^a-z]|$)';
const APPLE_M = 'apple[ -]?m[0-9]+';

export interface Tier {
  score: number;
  pattern: string;
}

/** CPU tiers, highest first; the first that matches wins. */
export const CPU_TIERS: readonly Tier[] = [
  {
    score: 1.0,
    pattern: `${START}(i9|core[ -]?(ultra[ -]?)?9|ryzen[ -]?(ai[ -]?)?9|threadripper|xeon|epyc|${APPLE_M}[ -]?(max|ultra))${END}`,
  },
  { score: 0.8, pattern: `${START}(i7|core[ -]?(ultra[ -]?)?7|ryzen[ -]?(ai[ -]?)?7|${APPLE_M}[ -]?pro)${END}` },
  { score: 0.6, pattern: `${START}(i5|core[ -]?(ultra[ -]?)?5|ryzen[ -]?(ai[ -]?)?5|${APPLE_M})${END}` },
  { score: 0.4, pattern: `${START}(i3|core[ -]?(ultra[ -]?)?3|ryzen[ -]?3)${END}` },
];

/** GPU tiers, highest first; the first that matches wins. */
export const GPU_TIERS: readonly Tier[] = [
  { score: 1.0, pattern: `${START}(rtx[ -]?(4080|4090|5080|5090)|rx[ -]?7900)${NO_DIGIT_AFTER}` },
  { score: 0.8, pattern: `${START}(rtx${NO_LETTER_AFTER}|rx[ -]?[679][0-9][0-9][0-9]${NO_DIGIT_AFTER})` },
  { score: 0.5, pattern: `${START}(gtx|rx|arc)${NO_LETTER_AFTER}` },
];

/** Any other text that is not blank (only spaces, tabs and line breaks). */
export const OTHER_TEXT_SUB_SCORE = 0.2;
export const BLANK_PATTERN = '^[ \\t\\n\\r]*$';

/** Lowers A-Z and nothing else, exactly like the SQL's translate(). */
export function foldAscii(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

const compile = (tiers: readonly Tier[]) =>
  tiers.map((tier) => ({ score: tier.score, regex: new RegExp(tier.pattern) }));
const CPU_REGEXES = compile(CPU_TIERS);
const GPU_REGEXES = compile(GPU_TIERS);
const BLANK = new RegExp(BLANK_PATTERN);

function tierSubScore(text: string | null, tiers: { score: number; regex: RegExp }[]): number {
  if (text === null || BLANK.test(text)) return 0;
  const folded = foldAscii(text);
  return tiers.find((tier) => tier.regex.test(folded))?.score ?? OTHER_TEXT_SUB_SCORE;
}

export const cpuSubScore = (cpu: string | null) => tierSubScore(cpu, CPU_REGEXES);
export const gpuSubScore = (gpu: string | null) => tierSubScore(gpu, GPU_REGEXES);

export function subScores(listing: ScorableListing): ScoringWeights {
  return {
    price: priceSubScore(listing.price),
    cpu: cpuSubScore(listing.cpu),
    gpu: gpuSubScore(listing.gpu),
    ram: ramSubScore(listing.ramGb),
    storage: storageSubScore(listing.storageGb),
    condition: conditionSubScore(listing.condition),
  };
}

// ── weights ─────────────────────────────────────────────────────────────────────────────────

/**
 * The weight a stored value counts as: a JSON number clamped to 0..100 (tiny ones are 0);
 * anything else (missing, a string, null) is 0. The API stores only valid weights; this keeps
 * rows written another way (older data, SQL) scoring exactly as the SQL mirror scores them.
 */
export function effectiveWeight(value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < MIN_NONZERO_WEIGHT) return 0;
  return Math.min(value, MAX_WEIGHT);
}

/** A profile's stored weights (JSON) as the six weights they count as. */
export function weightsFromJson(json: unknown): ScoringWeights {
  const record = typeof json === 'object' && json !== null && !Array.isArray(json) ? json : {};
  const read = (attribute: ScoringAttribute) =>
    effectiveWeight(Object.hasOwn(record, attribute) ? (record as Record<string, unknown>)[attribute] : undefined);
  return {
    price: read('price'),
    cpu: read('cpu'),
    gpu: read('gpu'),
    ram: read('ram'),
    storage: read('storage'),
    condition: read('condition'),
  };
}

// ── the score ───────────────────────────────────────────────────────────────────────────────

/**
 * 100 × Σ(wᵢ × sᵢ) / Σwᵢ over the six attributes, as a double, added up in SCORING_ATTRIBUTES
 * order (the SQL adds in the same order, so both round the same way). 0 when every weight is 0.
 */
export function scoreListing(listing: ScorableListing, weights: Partial<Record<ScoringAttribute, unknown>>): number {
  const sub = subScores(listing);
  let weighted = 0;
  let total = 0;
  for (const attribute of SCORING_ATTRIBUTES) {
    const w = effectiveWeight(weights[attribute]);
    weighted += w * sub[attribute];
    total += w;
  }
  return total === 0 ? 0 : (100 * weighted) / total;
}

/** What the API shows: one decimal, halves rounded up. */
export function roundScore(score: number): number {
  return Math.round(score * 10) / 10;
}
