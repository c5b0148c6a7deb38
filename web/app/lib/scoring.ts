// Scoring profile fields shared by the pages and the form parser (no server code: the pages import it).

export const WEIGHT_KEYS = ['price', 'cpu', 'gpu', 'ram', 'storage', 'condition'] as const;
export type WeightKey = (typeof WEIGHT_KEYS)[number];
export type Weights = Record<WeightKey, number>;

/** Each weight's label; the API's messages name them the same way ("GPU weight must be …"). */
export const WEIGHT_LABELS: Record<WeightKey, string> = {
  price: 'Price',
  cpu: 'CPU',
  gpu: 'GPU',
  ram: 'RAM',
  storage: 'Storage',
  condition: 'Condition',
};

/** The profile form's values, by field name (the API's input paths without `input.`). */
export type ScoringFormValues = Record<'name' | `weights.${WeightKey}`, string> & { isDefault: boolean };

/** What a new profile starts with: the "Balanced" weights of docs/scoring.md. */
export const DEFAULT_WEIGHTS: Weights = { price: 30, cpu: 25, gpu: 15, ram: 15, storage: 5, condition: 10 };

/** A weight as a person reads it: 30, 12.5 (no trailing zeros, no float noise). */
export function formatWeight(weight: number): string {
  return String(Math.round(weight * 1000) / 1000);
}

/** "Price 30 · CPU 25 · …", leaving out weights of 0 (they do not count). */
export function weightsSummary(weights: Weights): string {
  const counted = WEIGHT_KEYS.filter((key) => weights[key] > 0);
  return counted.map((key) => `${WEIGHT_LABELS[key]} ${formatWeight(weights[key])}`).join(' · ');
}

/** The form's values for a profile's current weights (the editor's first render). */
export function scoringFormValues(name: string, weights: Weights, isDefault = false): ScoringFormValues {
  const values = { name, isDefault } as ScoringFormValues;
  for (const key of WEIGHT_KEYS) values[`weights.${key}`] = formatWeight(weights[key]);
  return values;
}
