// Every domain module of the API. A module is one folder: its Pothos types, queries, mutations,
// input validation, pure domain rules and their tests. Adding a domain adds one line here.
import './users/index.js';
import './listings/index.js';
import './scoring/index.js';
import './valuation/index.js';
import './collections/index.js';
import './sessions/index.js';
import './api-keys/index.js';
import './admin/index.js';
import './audit/index.js';
import './tenant-settings/index.js';
