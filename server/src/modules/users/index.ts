// Users as the API shows them: the viewer (admins list every user in modules/admin); the viewer's own
// profile (names and avatar, written to Clerk) and preferences.
import './user.js';
import './profile-mutations.js';
import './preferences-mutations.js';
