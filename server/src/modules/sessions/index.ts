// Sessions: the viewer's signed-in sessions at the identity provider (User.sessions) and revoking one
// of them (revokeSession), through @clerk/backend's client in both auth modes.
import './session.js';
import './session-mutations.js';
