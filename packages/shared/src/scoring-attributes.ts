// The attributes a scoring profile weighs. The API's input, its validation messages ("GPU weight must
// be …") and the web app's profile form all use these names and labels.

/** In the order the score's weighted sums add them up (the SQL mirror's order too). */
export const SCORING_ATTRIBUTES = Object.freeze(['price', 'cpu', 'gpu', 'ram', 'storage', 'condition'] as const);
export type ScoringAttribute = (typeof SCORING_ATTRIBUTES)[number];

/** How messages and forms name each attribute's weight. */
export const SCORING_ATTRIBUTE_LABELS: Readonly<Record<ScoringAttribute, string>> = Object.freeze({
  price: 'Price',
  cpu: 'CPU',
  gpu: 'GPU',
  ram: 'RAM',
  storage: 'Storage',
  condition: 'Condition',
});
