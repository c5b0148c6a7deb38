// Valuation: rulesets of typed rules that say what a deal is worth to its viewer, and
// Listing.valuation. The SQL mirror of the rules lives in migration 20261207000200_valuation.
import './valuation-ruleset.js';
import './valuation-queries.js';
import './valuation-mutations.js';
import './listing-valuation.js';
