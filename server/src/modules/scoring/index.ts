// Scoring: profiles of weights, and a listing's score under one (docs/scoring.md).
import './scoring-profile.js';
import './scoring-profile-queries.js';
import './scoring-profile-mutations.js';
import './listing-score.js';

export { resolveScoringWeights, type ResolvedScoringWeights } from './scoring-profile-loader.js';
export { scoreListing, roundScore, type ScoringWeights } from './score.js';
