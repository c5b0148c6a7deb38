// How long or large an input may be. The API's validation enforces these; the web app's forms state
// them (maxLength, max) so a person learns a limit before sending. One definition keeps them equal.

export const LISTING_LIMITS = Object.freeze({
  titleLength: 200,
  urlLength: 2048,
  /** CPU and GPU descriptions alike. */
  partLength: 200,
  notesLength: 5000,
  /** RAM and storage, in GB. */
  sizeGb: 1_000_000,
  price: 10_000_000,
});

export const COLLECTION_LIMITS = Object.freeze({
  nameLength: 100,
  descriptionLength: 1000,
  noteLength: 1000,
  emailLength: 320,
  itemsPerCollection: 500,
  sharesPerCollection: 100,
});

export const SCORING_LIMITS = Object.freeze({
  nameLength: 100,
  /** Each weight is 0 to this. */
  maxWeight: 100,
});

export const VALUATION_LIMITS = Object.freeze({
  rules: 50,
  nameLength: 100,
  labelLength: 100,
  /** A CPU or GPU word a rule looks for. */
  wordLength: 50,
});

/** Personal API keys. maxLivePerUser: unrevoked, unexpired keys one user may hold at once. */
export const API_KEY_LIMITS = Object.freeze({
  nameLength: 100,
  maxLivePerUser: 10,
  /** The latest expiry a new key may have, in days from its creation. */
  maxLifetimeDays: 365,
});

/** The local identity provider's sign-up (local mode only). */
export const IDENTITY_LIMITS = Object.freeze({
  /** RFC 5321's longest usable address. */
  emailLength: 254,
  /** First and last name each. */
  nameLength: 100,
});

/** The profile a person edits on the settings page (names and avatar, written to Clerk). */
export const PROFILE_LIMITS = Object.freeze({
  /** First and last name each, after trimming. */
  nameLength: 100,
  /** An avatar image (PNG, JPEG, GIF or WebP), in bytes before base64. */
  imageBytes: 64 * 1024,
});

/** The admin console: a reason given with a role or status change, and the users search box. */
export const ADMIN_LIMITS = Object.freeze({
  /** A reason, after trimming. Deactivation requires one. */
  reasonLength: 500,
  /** The users search text, after trimming. */
  searchLength: 100,
});

/** Tenant settings that admins edit. */
export const TENANT_SETTINGS_LIMITS = Object.freeze({
  /** The maintenance banner, after trimming. */
  maintenanceBannerLength: 500,
  /** maxApiKeysPerUser may be set between these, inclusive. */
  minApiKeysPerUser: 1,
  maxApiKeysPerUser: 100,
});
