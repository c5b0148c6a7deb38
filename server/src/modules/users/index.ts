// Users as the API shows them: the viewer, and every user for admins.
import './user.js';
