// Personal API keys: create, list (User.apiKeys), revoke. Their use on the request path is
// server/src/auth/api-key.ts; their last use and refusals are recorded by activity.ts.
import './api-key.js';
import './api-key-input.js';
import './api-key-mutations.js';
