-- Undoes 20261207001100_preferences (documents reset to {} because they were not objects stay reset).
ALTER TABLE "users" DROP CONSTRAINT "users_preferences_object";
