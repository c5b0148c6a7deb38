// Tenant settings: one typed document read through one accessor (tenant-settings.ts), its GraphQL face
// (admins write, every signed-in viewer reads), and the sign-ups switch used by provisioning and webhooks.
import './tenant-settings-graphql.js';
