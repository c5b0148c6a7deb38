// Users as the API shows them: the viewer, and every user for admins; the viewer's own profile (names and
// avatar, written to Clerk) and preferences.
import './user.js';
import './profile-mutations.js';
import './preferences-mutations.js';
