// Listings: the deals people track.
import './listing.js';
import './listing-queries.js';
import './listing-mutations.js';
