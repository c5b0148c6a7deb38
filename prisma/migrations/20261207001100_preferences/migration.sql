-- Issue 11: typed preferences. The document's keys and types are checked by the API (zod, both when it
-- writes and when it reads); the database keeps the one thing every reader relies on: the document is a
-- JSON object, so a partial update can always lay its keys over it.
UPDATE "users" SET "preferences" = '{}'::jsonb WHERE jsonb_typeof("preferences") <> 'object';
ALTER TABLE "users" ADD CONSTRAINT "users_preferences_object"
  CHECK (jsonb_typeof("preferences") = 'object');
