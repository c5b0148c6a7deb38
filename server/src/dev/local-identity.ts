// Local identity provider: a built-in stand-in for Clerk in development and tests. It keeps identities and
// mints RS256 session tokens shaped like Clerk's, so the real @clerk/backend verification (`verifyToken`
// with `jwtKey`) runs unchanged against them, with no Clerk account and no network.
import {
  createPrivateKey,
  createPublicKey,
  createSign,
  generateKeyPairSync,
  randomBytes,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { createFileExclusively, readOptionalFile, restrictFileMode, writeFileAtomically } from './state-files.js';

export interface LocalIdentity {
  clerkId: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  imageUrl: string | null;
  /** Milliseconds since the epoch, like Clerk's `created_at`. */
  createdAt: number;
  /** Milliseconds since the epoch, like Clerk's `updated_at`: strictly increasing per identity. */
  updatedAt: number;
}

/** A fixed date keeps demo identities identical across restarts and machines. */
const DEMO_CREATED_AT = Date.UTC(2024, 0, 1);

function demoIdentity(clerkId: string, email: string, firstName: string, lastName: string): LocalIdentity {
  return Object.freeze({
    clerkId,
    email,
    firstName,
    lastName,
    imageUrl: null,
    createdAt: DEMO_CREATED_AT,
    updatedAt: DEMO_CREATED_AT,
  });
}

/** Always known to every provider; written to disk only once changed (a profile edit). */
export const DEMO_IDENTITIES: readonly LocalIdentity[] = Object.freeze([
  demoIdentity('user_local_alice', 'alice@example.com', 'Alice', 'Anders'),
  demoIdentity('user_local_bob', 'bob@example.com', 'Bob', 'Baker'),
  demoIdentity('user_local_admin', 'admin@example.com', 'Ada', 'Admin'),
]);

export const DEFAULT_SESSION_TTL_SECONDS = 60 * 60;
/** Long enough for a web app that mints long-lived local tokens (an expired one would redirect to Clerk). */
export const MAX_SESSION_TTL_SECONDS = 30 * 24 * 60 * 60;
/** Clerk backdates `nbf` a little so small clock differences between machines do not reject fresh tokens. */
const NOT_BEFORE_LEEWAY_SECONDS = 5;
const NAME_MAX_LENGTH = 100;

// ---------------------------------------------------------------------------------------------------------
// Errors

export type LocalIdentityErrorCode =
  'invalid_input' | 'identity_not_found' | 'identity_exists' | 'identity_protected' | 'session_not_found';

export class LocalIdentityError extends Error {
  override name = 'LocalIdentityError';
  constructor(
    readonly code: LocalIdentityErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export class InvalidIdentityInputError extends LocalIdentityError {
  override name = 'InvalidIdentityInputError';
  constructor(message: string) {
    super('invalid_input', message);
  }
}

export class IdentityNotFoundError extends LocalIdentityError {
  override name = 'IdentityNotFoundError';
  /** `lookup` is the email asked for, or the Clerk id when `by` says so. */
  constructor(
    readonly lookup: string,
    by: 'email' | 'id' = 'email',
  ) {
    super('identity_not_found', `No local identity with ${by} ${lookup}`);
  }
}

export class IdentityExistsError extends LocalIdentityError {
  override name = 'IdentityExistsError';
  constructor(readonly email: string) {
    super('identity_exists', `A local identity with email ${email} already exists`);
  }
}

export class IdentityProtectedError extends LocalIdentityError {
  override name = 'IdentityProtectedError';
  constructor(readonly clerkId: string) {
    super('identity_protected', `${clerkId} is a demo identity and cannot be deleted; create one to delete`);
  }
}

export class SessionNotFoundError extends LocalIdentityError {
  override name = 'SessionNotFoundError';
  constructor(readonly sessionId: string) {
    super('session_not_found', 'No active session with this id (ended, expired, or never started here)');
  }
}

/** The state directory holds a file we cannot use; replacing it silently would lose keys or identities. */
export class LocalStateError extends Error {
  override name = 'LocalStateError';
}

// ---------------------------------------------------------------------------------------------------------
// Input validation (shared with the HTTP routes so both report the same messages)

export const emailSchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be a valid email address'))
  .transform((email) => email.toLowerCase());

const nameSchema = z
  .string({ error: 'must be a string or null' })
  .trim()
  .max(NAME_MAX_LENGTH, `must be at most ${NAME_MAX_LENGTH} characters`)
  .nullish()
  .transform((name) => (name ? name : null));

export const identityInputSchema = z.strictObject({
  email: emailSchema,
  firstName: nameSchema,
  lastName: nameSchema,
});

const imageUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
  .max(2048, 'must be at most 2048 characters')
  .nullable();

/** A profile change, as the settings page sends it: absent fields stay as they are. */
export const identityUpdateSchema = z.strictObject({
  firstName: z
    .string()
    .trim()
    .max(NAME_MAX_LENGTH, `must be at most ${NAME_MAX_LENGTH} characters`)
    .nullable()
    .optional(),
  lastName: z
    .string()
    .trim()
    .max(NAME_MAX_LENGTH, `must be at most ${NAME_MAX_LENGTH} characters`)
    .nullable()
    .optional(),
  imageUrl: imageUrlSchema.optional(),
});

export type IdentityUpdate = z.input<typeof identityUpdateSchema>;

export const ttlSecondsSchema = z
  .number({ error: 'must be a number' })
  .int('must be a whole number of seconds')
  .min(1, 'must be at least 1')
  .max(MAX_SESSION_TTL_SECONDS, `must be at most ${MAX_SESSION_TTL_SECONDS}`);

/** One line naming every problem, e.g. `email: must be a valid email address; firstName: must be ...`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

// ---------------------------------------------------------------------------------------------------------
// Signing

export interface LocalSigningKey {
  kid: string;
  /** Kept as a KeyObject so an accidental log prints no key material. */
  privateKey: KeyObject;
  /** SPKI PEM: what @clerk/backend accepts as `jwtKey`. */
  publicKeyPem: string;
}

function randomId(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** @clerk/backend 2.x caches keys by `kid` forever, so every key pair gets its own. */
export function generateSigningKey(): LocalSigningKey {
  // Clerk's jwtKey parsing strips a fixed 2048-bit SPKI prefix: other sizes would not verify.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    kid: `local_${randomId(8)}`,
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function base64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * Signs `claims` as an RS256 JWT with header {alg, typ, kid}. No defaults are added, so tests can craft
 * any token (expired, wrong azp, foreign key) and know exactly what is in it.
 */
export function signSessionToken(privateKey: KeyObject | string, kid: string, claims: Record<string, unknown>): string {
  const signingInput = `${base64UrlJson({ alg: 'RS256', typ: 'JWT', kid })}.${base64UrlJson(claims)}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

function publicJwk(key: LocalSigningKey): JsonWebKey {
  const { kty, n, e } = createPublicKey(key.publicKeyPem).export({ format: 'jwk' });
  return { kid: key.kid, alg: 'RS256', use: 'sig', kty, n, e };
}

/** Claims of a Clerk v2 session token; absent profile fields are omitted rather than sent as null. */
function sessionClaims(
  identity: LocalIdentity,
  sessionId: string,
  authorizedParty: string,
  issuedAt: number,
  ttlSeconds: number,
): Record<string, unknown> {
  // No `iss`: @clerk/remix compares it with the publishable key's host, and omitting it is accepted.
  const claims: Record<string, unknown> = {
    sub: identity.clerkId,
    sid: sessionId,
    azp: authorizedParty,
    iat: issuedAt,
    nbf: issuedAt - NOT_BEFORE_LEEWAY_SECONDS,
    exp: issuedAt + ttlSeconds,
    email: identity.email,
  };
  if (identity.firstName !== null) claims.first_name = identity.firstName;
  if (identity.lastName !== null) claims.last_name = identity.lastName;
  if (identity.imageUrl !== null) claims.image_url = identity.imageUrl;
  claims.v = 2;
  return claims;
}

// ---------------------------------------------------------------------------------------------------------
// State files

const SIGNING_KEY_FILE = 'signing-key.json';
const IDENTITIES_FILE = 'identities.json';
const signingKeyFileSchema = z.object({
  version: z.literal(1),
  kid: z.string().min(1),
  privateKeyPem: z.string().min(1),
  createdAt: z.number(),
});

const identitiesFileSchema = z.object({
  version: z.literal(1),
  identities: z.array(
    z.object({
      clerkId: z.string().min(1),
      email: z.string().min(1),
      firstName: z.string().nullable(),
      lastName: z.string().nullable(),
      imageUrl: z.string().nullable(),
      createdAt: z.number(),
      // Absent in files written before profiles could change.
      updatedAt: z.number().optional(),
    }),
  ),
});

function parseStateFile<T>(file: string, text: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new LocalStateError(`${file} is not valid JSON; delete it to start over`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new LocalStateError(`${file} is not in the expected format (${describeIssues(parsed.error)}); delete it`);
  }
  return parsed.data;
}

function signingKeyFromFile(file: string, text: string): LocalSigningKey {
  const stored = parseStateFile(file, text, signingKeyFileSchema);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(stored.privateKeyPem);
  } catch {
    throw new LocalStateError(`${file} does not hold a readable private key; delete it`);
  }
  const details = privateKey.asymmetricKeyDetails;
  if (privateKey.asymmetricKeyType !== 'rsa' || details?.modulusLength !== 2048) {
    throw new LocalStateError(`${file} must hold a 2048-bit RSA key (the only size Clerk's jwtKey accepts)`);
  }
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { kid: stored.kid, privateKey, publicKeyPem };
}

function serializeSigningKey(key: LocalSigningKey, createdAt: number): string {
  const privateKeyPem = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return `${JSON.stringify({ version: 1, kid: key.kid, privateKeyPem, createdAt }, null, 2)}\n`;
}

/** Reuses the persisted key so tokens (and a configured CLERK_JWT_KEY) stay valid across restarts. */
async function loadOrCreateSigningKey(stateDir: string, now: () => number): Promise<LocalSigningKey> {
  const file = path.join(stateDir, SIGNING_KEY_FILE);
  const existing = await readOptionalFile(file);
  if (existing !== undefined) {
    await restrictFileMode(file);
    return signingKeyFromFile(file, existing);
  }
  const key = generateSigningKey();
  if (await createFileExclusively(file, serializeSigningKey(key, now()))) return key;
  // Another process (e.g. the web app starting alongside) created it first: sign with the same key.
  return signingKeyFromFile(file, await readFile(file, 'utf8'));
}

async function loadStoredIdentities(stateDir: string): Promise<LocalIdentity[]> {
  const file = path.join(stateDir, IDENTITIES_FILE);
  const text = await readOptionalFile(file);
  if (text === undefined) return [];
  return parseStateFile(file, text, identitiesFileSchema).identities.map((identity) => ({
    ...identity,
    updatedAt: identity.updatedAt ?? identity.createdAt,
  }));
}

// ---------------------------------------------------------------------------------------------------------
// Provider

export interface CreateIdentityInput {
  email: string;
  firstName?: string | null;
  lastName?: string | null;
}

export interface StartSessionOptions {
  /** Default one hour; at most MAX_SESSION_TTL_SECONDS. */
  ttlSeconds?: number;
}

export interface LocalSession {
  token: string;
  sessionId: string;
  /** The identity's Clerk id (the token's `sub`). */
  userId: string;
  /** Milliseconds since the epoch (the token's `exp` × 1000). */
  expiresAt: number;
}

export interface RefreshSessionOptions {
  /** Lifetime of the new token (and the session's new expiry); default one hour. */
  ttlSeconds?: number;
}

/** What changed, for the webhook sender: the same events Clerk would deliver. */
export type LocalAuthEvent =
  | { type: 'user.created' | 'user.updated' | 'user.deleted'; identity: LocalIdentity }
  | { type: 'session.created' | 'session.ended'; session: LocalSessionRecord };

export interface LocalSessionRecord {
  sessionId: string;
  userId: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  /** Milliseconds since the epoch when ended; null while active. */
  endedAt: number | null;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

export interface LocalIdentityProvider {
  readonly kid: string;
  /** SPKI PEM, usable as @clerk/backend's `jwtKey` / CLERK_JWT_KEY. */
  readonly publicKeyPem: string;
  /** The `azp` of every minted token. */
  readonly authorizedParty: string;
  jwks(): { keys: JsonWebKey[] };
  findIdentityByEmail(email: string): LocalIdentity | undefined;
  findIdentityByClerkId(clerkId: string): LocalIdentity | undefined;
  /** Demo identities first, then created ones in creation order. */
  listIdentities(): LocalIdentity[];
  /** Throws InvalidIdentityInputError or IdentityExistsError. */
  createIdentity(input: CreateIdentityInput): Promise<LocalIdentity>;
  /** Changes the profile fields given; throws IdentityNotFoundError or InvalidIdentityInputError. */
  updateIdentity(clerkId: string, update: IdentityUpdate): Promise<LocalIdentity>;
  /** Deletes a created identity and ends its sessions; demo identities are protected. */
  deleteIdentity(clerkId: string): Promise<LocalIdentity>;
  /** Throws IdentityNotFoundError, or InvalidIdentityInputError for a bad ttl. */
  startSession(email: string, options?: StartSessionOptions): LocalSession;
  /** A fresh token for an active session, which lives as long as the new token. */
  refreshSession(sessionId: string, options?: RefreshSessionOptions): LocalSession;
  /** False when the session was never started here (sessions live in memory only). Idempotent. */
  endSession(sessionId: string): boolean;
  /** Undefined when unknown or past its expiry (expired sessions are forgotten). */
  getSession(sessionId: string): LocalSessionRecord | undefined;
}

export interface LocalIdentityProviderOptions {
  /** Null: keys and identities in memory only (tests). Otherwise persisted there. */
  stateDir: string | null;
  /** An origin like http://localhost:3000, checked by verifyToken's `authorizedParties`. */
  authorizedParty: string;
  /** Milliseconds since the epoch; injectable so tests can mint expired tokens. */
  now?: () => number;
  /** Tests only: sign with this key instead of a generated or persisted one (it is never written). */
  signingKey?: LocalSigningKey;
  /** Told about every change, after it happened (the local webhook sender listens here). */
  onEvent?: (event: LocalAuthEvent) => void;
}

function assertOrigin(authorizedParty: string): void {
  let origin: string | undefined;
  try {
    origin = new URL(authorizedParty).origin;
  } catch {
    origin = undefined;
  }
  // verifyToken compares `azp` exactly, so a trailing slash or path would reject every token.
  if (origin !== authorizedParty) {
    throw new TypeError(`authorizedParty must be a bare origin like http://localhost:3000, got "${authorizedParty}"`);
  }
}

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, label?: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const description = describeIssues(parsed.error);
    throw new InvalidIdentityInputError(label ? `${label}: ${description}` : description);
  }
  return parsed.data;
}

/** Identities by email and by Clerk id; created and changed ones are persisted after every change. */
class IdentityStore {
  private readonly byEmail = new Map<string, LocalIdentity>();
  private readonly byClerkId = new Map<string, LocalIdentity>();
  /** What the file holds: created identities and demo identities whose profile changed. */
  private readonly stored: LocalIdentity[] = [];
  /** Serializes writes so a slow earlier write cannot overwrite a later one. */
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly file: string | null) {}

  /** Undefined when the email or Clerk id is taken. */
  add(identity: LocalIdentity, persisted: boolean): LocalIdentity | undefined {
    // Frozen so callers cannot change an identity behind the store's back.
    const frozen = Object.freeze({ ...identity, email: normalizeEmail(identity.email) });
    if (this.byEmail.has(frozen.email) || this.byClerkId.has(frozen.clerkId)) return undefined;
    this.byEmail.set(frozen.email, frozen);
    this.byClerkId.set(frozen.clerkId, frozen);
    if (persisted) this.stored.push(frozen);
    return frozen;
  }

  /** Puts `updated` in the place of `current` (same Clerk id and email); it is persisted from now on. */
  replace(current: LocalIdentity, updated: LocalIdentity): LocalIdentity {
    const frozen = Object.freeze({ ...updated });
    this.byEmail.set(frozen.email, frozen);
    this.byClerkId.set(frozen.clerkId, frozen);
    const index = this.stored.indexOf(current);
    if (index >= 0) this.stored[index] = frozen;
    else this.stored.push(frozen);
    return frozen;
  }

  remove(identity: LocalIdentity): void {
    this.byEmail.delete(identity.email);
    this.byClerkId.delete(identity.clerkId);
    const index = this.stored.indexOf(identity);
    if (index >= 0) this.stored.splice(index, 1);
  }

  byEmailAddress(email: string): LocalIdentity | undefined {
    return this.byEmail.get(normalizeEmail(email));
  }

  byId(clerkId: string): LocalIdentity | undefined {
    return this.byClerkId.get(clerkId);
  }

  all(): LocalIdentity[] {
    return [...this.byEmail.values()];
  }

  persist(): Promise<void> {
    const file = this.file;
    if (file === null) return Promise.resolve();
    const text = `${JSON.stringify({ version: 1, identities: this.stored }, null, 2)}\n`;
    const write = this.writes.then(() => writeFileAtomically(file, text));
    this.writes = write.catch(() => undefined);
    return write;
  }

  /** Runs a change and persists it; the change is undone in memory when the write fails. */
  async commit<T>(change: () => T, undo: () => void): Promise<T> {
    const result = change();
    try {
      await this.persist();
    } catch (error) {
      undo();
      throw error;
    }
    return result;
  }
}

/** Demo identities, each replaced by its stored version when its profile was changed; then created ones. */
function loadIdentities(store: IdentityStore, stored: LocalIdentity[]): void {
  const storedById = new Map(stored.map((identity) => [identity.clerkId, identity]));
  for (const demo of DEMO_IDENTITIES) {
    const changed = storedById.get(demo.clerkId);
    // The email of a demo identity is fixed: the seed and the docs rely on it.
    if (changed) store.add({ ...changed, email: demo.email }, true);
    else store.add(demo, false);
    storedById.delete(demo.clerkId);
  }
  for (const identity of storedById.values()) store.add(identity, true);
}

/** In-memory session records; expired ones are dropped since their tokens no longer verify anyway. */
class SessionRegistry {
  private readonly sessions = new Map<string, LocalSessionRecord>();

  constructor(private readonly now: () => number) {}

  add(record: LocalSessionRecord): void {
    this.prune();
    this.sessions.set(record.sessionId, record);
  }

  /** The record when this call ended it; undefined when unknown or already ended. */
  end(sessionId: string): LocalSessionRecord | undefined {
    const record = this.get(sessionId);
    if (!record || record.endedAt !== null) return undefined;
    record.endedAt = this.now();
    return record;
  }

  /** Ends every active session of a user; returns the ones it ended. */
  endAllOf(userId: string): LocalSessionRecord[] {
    const ended: LocalSessionRecord[] = [];
    for (const record of this.sessions.values()) {
      if (record.userId === userId) {
        const endedNow = this.end(record.sessionId);
        if (endedNow) ended.push(endedNow);
      }
    }
    return ended;
  }

  get(sessionId: string): LocalSessionRecord | undefined {
    const record = this.sessions.get(sessionId);
    if (!record || record.expiresAt <= this.now()) return undefined;
    return record;
  }

  private prune(): void {
    const now = this.now();
    for (const [id, record] of this.sessions) {
      if (record.expiresAt <= now) this.sessions.delete(id);
    }
  }
}

async function prepareState(options: LocalIdentityProviderOptions, now: () => number) {
  const { stateDir } = options;
  if (stateDir === null) {
    return { key: options.signingKey ?? generateSigningKey(), stored: [], identitiesFile: null };
  }
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const key = options.signingKey ?? (await loadOrCreateSigningKey(stateDir, now));
  const stored = await loadStoredIdentities(stateDir);
  return { key, stored, identitiesFile: path.join(stateDir, IDENTITIES_FILE) };
}

function copyOf(record: LocalSessionRecord): LocalSessionRecord {
  return { ...record };
}

export async function createLocalIdentityProvider(
  options: LocalIdentityProviderOptions,
): Promise<LocalIdentityProvider> {
  assertOrigin(options.authorizedParty);
  const now = options.now ?? Date.now;
  const emit = options.onEvent ?? (() => undefined);
  const { key, stored, identitiesFile } = await prepareState(options, now);
  const identities = new IdentityStore(identitiesFile);
  loadIdentities(identities, stored);
  const sessions = new SessionRegistry(now);
  const jwk = publicJwk(key);

  function requireIdentity(clerkId: string): LocalIdentity {
    const identity = identities.byId(clerkId);
    if (!identity) throw new IdentityNotFoundError(clerkId, 'id');
    return identity;
  }

  function issueToken(identity: LocalIdentity, sessionId: string, ttlSeconds: number): LocalSession {
    const issuedAt = Math.floor(now() / 1000);
    const claims = sessionClaims(identity, sessionId, options.authorizedParty, issuedAt, ttlSeconds);
    const token = signSessionToken(key.privateKey, key.kid, claims);
    return { token, sessionId, userId: identity.clerkId, expiresAt: (issuedAt + ttlSeconds) * 1000 };
  }

  function ttlOf(requested: number | undefined): number {
    return parseOrThrow(ttlSecondsSchema, requested ?? DEFAULT_SESSION_TTL_SECONDS, 'ttlSeconds');
  }

  return {
    kid: key.kid,
    publicKeyPem: key.publicKeyPem,
    authorizedParty: options.authorizedParty,
    jwks: () => ({ keys: [{ ...jwk }] }),
    findIdentityByEmail: (email) => identities.byEmailAddress(email),
    findIdentityByClerkId: (clerkId) => identities.byId(clerkId),
    listIdentities: () => identities.all(),

    async createIdentity(input) {
      const { email, firstName, lastName } = parseOrThrow(identityInputSchema, input);
      if (identities.byEmailAddress(email)) throw new IdentityExistsError(email);
      const createdAt = now();
      const identity: LocalIdentity = {
        clerkId: `user_local_${randomId(10)}`,
        email,
        firstName,
        lastName,
        imageUrl: null,
        createdAt,
        updatedAt: createdAt,
      };
      // Added before the write so a concurrent create with the same email is refused.
      const added = identities.add(identity, true);
      if (!added) throw new IdentityExistsError(email);
      await identities.commit(
        () => added,
        () => identities.remove(added),
      );
      emit({ type: 'user.created', identity: added });
      return added;
    },

    async updateIdentity(clerkId, update) {
      const changes = parseOrThrow(identityUpdateSchema, update);
      const current = requireIdentity(clerkId);
      const next: LocalIdentity = {
        ...current,
        ...(changes.firstName === undefined ? {} : { firstName: changes.firstName || null }),
        ...(changes.lastName === undefined ? {} : { lastName: changes.lastName || null }),
        ...(changes.imageUrl === undefined ? {} : { imageUrl: changes.imageUrl }),
        // Strictly newer than the last change, as Clerk's updated_at is: receivers keep the latest.
        updatedAt: Math.max(now(), current.updatedAt + 1),
      };
      let replaced: LocalIdentity | undefined;
      const updated = await identities.commit(
        () => (replaced = identities.replace(current, next)),
        () => replaced && identities.replace(replaced, current),
      );
      emit({ type: 'user.updated', identity: updated });
      return updated;
    },

    async deleteIdentity(clerkId) {
      const identity = requireIdentity(clerkId);
      if (DEMO_IDENTITIES.some((demo) => demo.clerkId === clerkId)) throw new IdentityProtectedError(clerkId);
      await identities.commit(
        () => identities.remove(identity),
        () => identities.add(identity, true),
      );
      // Clerk ends a deleted user's sessions; its webhooks say so after the deletion.
      const ended = sessions.endAllOf(clerkId);
      emit({ type: 'user.deleted', identity });
      for (const session of ended) emit({ type: 'session.ended', session: copyOf(session) });
      return identity;
    },

    startSession(email, sessionOptions = {}) {
      const ttlSeconds = ttlOf(sessionOptions.ttlSeconds);
      const identity = identities.byEmailAddress(email);
      if (!identity) throw new IdentityNotFoundError(normalizeEmail(email));
      const session = issueToken(identity, `sess_local_${randomId(12)}`, ttlSeconds);
      const record = {
        sessionId: session.sessionId,
        userId: identity.clerkId,
        expiresAt: session.expiresAt,
        endedAt: null,
        createdAt: now(),
      };
      sessions.add(record);
      emit({ type: 'session.created', session: copyOf(record) });
      return session;
    },

    refreshSession(sessionId, refreshOptions = {}) {
      const ttlSeconds = ttlOf(refreshOptions.ttlSeconds);
      const record = sessions.get(sessionId);
      if (!record || record.endedAt !== null) throw new SessionNotFoundError(sessionId);
      // Its identity may have been deleted since; then the session is over too.
      const identity = identities.byId(record.userId);
      if (!identity) throw new SessionNotFoundError(sessionId);
      const session = issueToken(identity, sessionId, ttlSeconds);
      record.expiresAt = Math.max(record.expiresAt, session.expiresAt);
      return session;
    },

    endSession(sessionId) {
      const ended = sessions.end(sessionId);
      if (ended) emit({ type: 'session.ended', session: copyOf(ended) });
      return ended !== undefined || sessions.get(sessionId) !== undefined;
    },
    getSession(sessionId) {
      const record = sessions.get(sessionId);
      return record ? copyOf(record) : undefined;
    },
  };
}
