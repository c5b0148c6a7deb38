// Scoring profile fields shared by the pages and the form parser (no server code: the pages import it).
// The attributes and their labels come from @deal-brain/shared: the API's messages name them the same
// way ("GPU weight must be …").
import { SCORING_ATTRIBUTE_LABELS, SCORING_ATTRIBUTES } from '@deal-brain/shared/scoring-attributes';
import type { ScoringAttribute } from '@deal-brain/shared/scoring-attributes';

export type Weights = Record<ScoringAttribute, number>;

/** The profile form's values, by field name (the API's input paths without `input.`). */
export type ScoringFormValues = Record<'name' | `weights.${ScoringAttribute}`, string> & { isDefault: boolean };

/** What a new profile starts with: the "Balanced" weights of docs/scoring.md. */
export const DEFAULT_WEIGHTS: Weights = { price: 30, cpu: 25, gpu: 15, ram: 15, storage: 5, condition: 10 };

/** A weight as a person reads it: 30, 12.5 (no trailing zeros, no float noise). */
export function formatWeight(weight: number): string {
  return String(Math.round(weight * 1000) / 1000);
}

/** "Price 30 · CPU 25 · …", leaving out weights of 0 (they do not count). */
export function weightsSummary(weights: Weights): string {
  const counted = SCORING_ATTRIBUTES.filter((key) => weights[key] > 0);
  return counted.map((key) => `${SCORING_ATTRIBUTE_LABELS[key]} ${formatWeight(weights[key])}`).join(' · ');
}

/** The form's values for a profile's current weights (the editor's first render). */
export function scoringFormValues(name: string, weights: Weights, isDefault = false): ScoringFormValues {
  const values = { name, isDefault } as ScoringFormValues;
  for (const key of SCORING_ATTRIBUTES) values[`weights.${key}`] = formatWeight(weights[key]);
  return values;
}
