// The admin console's users: the list and one user (admin-users.ts), what it shows of a user
// (user-fields.ts), and role and status changes with their guards, audit events and the ban at Clerk
// (admin-mutations.ts). Admins only, except the User fields, which RLS decides.
import './user-fields.js';
import './admin-users.js';
import './admin-mutations.js';
