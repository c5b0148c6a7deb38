// Local identity provider: a built-in stand-in for Clerk in development and tests. It keeps identities and
// sessions and mints RS256 session tokens shaped like Clerk's, so the real @clerk/backend verification runs
// unchanged against them, with no Clerk account and no network.
import { randomBytes, type JsonWebKey } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { LocalSession } from '@deal-brain/shared/local-auth';

export type { LocalSession };
import { LocalIdentityError, parseInput } from './errors.js';
import {
  IdentityStore,
  identityInputSchema,
  identityNotFound,
  identityUpdateSchema,
  isDemoIdentity,
  normalizeEmail,
  type IdentityInput,
  type IdentityUpdate,
  type LocalIdentity,
} from './identities.js';
import { loadOrCreateBootSecret } from './boot-secret.js';
import { imageNameOf, ProfileImageStore, type StoredImage } from './profile-images.js';
import { loadOrCreateBackendSecretKey } from './secret-key.js';
import { mintSessionToken } from './session-tokens.js';
import {
  DEFAULT_SESSION_TTL_SECONDS,
  MAX_USER_AGENT_LENGTH,
  SessionRegistry,
  ttlSecondsSchema,
  type LocalSessionRecord,
  type SessionLiveness,
} from './sessions.js';
import { generateSigningKey, loadOrCreateSigningKey, publicJwk, type LocalSigningKey } from './signing-key.js';

export interface SessionOptions {
  /** Lifetime of the token (and at least of the session); default one hour, at most MAX_SESSION_TTL_SECONDS. */
  ttlSeconds?: number | undefined;
  /** The browser's User-Agent (startSession only), shown in the session list; cut to MAX_USER_AGENT_LENGTH. */
  userAgent?: string | undefined;
}

/** What changed, for the webhook sender: the same events Clerk would deliver. */
export type LocalAuthEvent =
  | { type: 'user.created' | 'user.updated' | 'user.deleted'; identity: LocalIdentity }
  | { type: 'session.created' | 'session.ended'; session: LocalSessionRecord };

export interface LocalIdentityProvider {
  readonly kid: string;
  /** SPKI PEM, usable as @clerk/backend's `jwtKey` / CLERK_JWT_KEY. */
  readonly publicKeyPem: string;
  /**
   * The Backend API stand-in's secret key (sk_local_…), what CLERK_SECRET_KEY is to Clerk: the server's
   * @clerk/backend client sends it, and the stand-in refuses any /v1 request without it. Never log it.
   */
  readonly secretKey: string;
  /**
   * The secret of the provider's own routes (boot-secret.ts), agreed at start-up: with a state directory,
   * the one its file holds (created by the first instance on that DATA_DIR, kept across restarts), which
   * the web app reads and sends in LOCAL_AUTH_SECRET_HEADER; else a fresh one in memory. Fixed for the
   * life of the provider. Tests read it here. Never log it, never send it over HTTP.
   */
  readonly bootSecret: string;
  jwks(): { keys: JsonWebKey[] };
  findIdentityByEmail(email: string): LocalIdentity | undefined;
  findIdentityByClerkId(clerkId: string): LocalIdentity | undefined;
  /** Demo identities first, then created ones in creation order. */
  listIdentities(): LocalIdentity[];
  /** Refused with invalid_input or identity_exists. */
  createIdentity(input: IdentityInput): Promise<LocalIdentity>;
  /** Changes the profile fields given; refused with identity_not_found or invalid_input. */
  updateIdentity(clerkId: string, update: IdentityUpdate): Promise<LocalIdentity>;
  /**
   * Sets (or with null removes) the identity's profile image, like Clerk's profile_image calls: the image
   * is kept by the provider and `imageUrl` becomes `<imageBaseUrl>/<name>`, where the stand-in serves it.
   * The image must be valid already (the stand-in's route checks it). Emits user.updated.
   */
  setProfileImage(clerkId: string, image: StoredImage | null, imageBaseUrl: string): Promise<LocalIdentity>;
  /** An image setProfileImage stored, by the name at the end of its URL; undefined when unknown. */
  profileImage(name: string): Promise<StoredImage | undefined>;
  /**
   * Bans (or unbans) an identity, like Clerk's POST /v1/users/:id/ban and /unban. A ban revokes every active
   * session (each emits session.ended, as revokeSession does) and startSession refuses the identity with
   * identity_banned until it is unbanned. Refused with identity_not_found.
   */
  setBanned(clerkId: string, banned: boolean): Promise<LocalIdentity>;
  /** Deletes a created identity and ends its sessions; demo identities are protected. */
  deleteIdentity(clerkId: string): Promise<LocalIdentity>;
  /** Refused with identity_not_found, identity_banned, or invalid_input for a bad ttl. */
  startSession(email: string, options?: SessionOptions): Promise<LocalSession>;
  /** A fresh token for an active session, which lives at least as long as the new token. */
  refreshSession(sessionId: string, options?: SessionOptions): Promise<LocalSession>;
  /** False when the session was never started here (sessions live in memory only). Idempotent. */
  endSession(sessionId: string): boolean;
  /** Undefined when unknown or past its expiry (expired sessions are forgotten). */
  getSession(sessionId: string): LocalSessionRecord | undefined;
  /** A user's known sessions, ended ones included, the most recently active first. */
  listSessions(userId: string): LocalSessionRecord[];
  /**
   * Ends an active session as revoked (Clerk's POST /v1/sessions/:id/revoke), emitting session.ended; the
   * session as it now stands, or undefined when unknown. Revoking an ended session changes nothing.
   */
  revokeSession(sessionId: string): LocalSessionRecord | undefined;
  /**
   * The API server asks this for every request with a verified token: 'ended' refuses the token; an active
   * session's last activity becomes now. In memory, no I/O.
   */
  touchSession(sessionId: string): SessionLiveness;
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

async function signingKeyFor(options: LocalIdentityProviderOptions, now: () => number): Promise<LocalSigningKey> {
  if (options.signingKey) return options.signingKey;
  if (options.stateDir === null) return generateSigningKey();
  return loadOrCreateSigningKey(options.stateDir, now);
}

function randomId(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** What a banned identity's sign-in is told (the web app's sign-in form shows it). */
export const IDENTITY_BANNED_MESSAGE = 'This account is disabled. Contact your administrator.';

function sessionNotFound(): LocalIdentityError {
  return new LocalIdentityError(
    'session_not_found',
    'No active session with this id (ended, expired, or never started here)',
  );
}

export async function createLocalIdentityProvider(
  options: LocalIdentityProviderOptions,
): Promise<LocalIdentityProvider> {
  assertOrigin(options.authorizedParty);
  const now = options.now ?? Date.now;
  const emit = options.onEvent ?? (() => undefined);
  if (options.stateDir !== null) await mkdir(options.stateDir, { recursive: true, mode: 0o700 });
  const key = await signingKeyFor(options, now);
  const identities = await IdentityStore.open(options.stateDir);
  const images = new ProfileImageStore(options.stateDir);
  const secretKey = await loadOrCreateBackendSecretKey(options.stateDir);
  const bootSecret = await loadOrCreateBootSecret(options.stateDir);
  const sessions = new SessionRegistry(now);
  const jwk = publicJwk(key);

  function requireIdentity(clerkId: string): LocalIdentity {
    const identity = identities.findById(clerkId);
    if (!identity) throw identityNotFound(clerkId, 'id');
    return identity;
  }

  async function issueToken(identity: LocalIdentity, sessionId: string, ttlSeconds: number): Promise<LocalSession> {
    const issuedAt = Math.floor(now() / 1000);
    const input = { identity, sessionId, authorizedParty: options.authorizedParty, issuedAt, ttlSeconds };
    const token = await mintSessionToken(key, input);
    return { token, sessionId, userId: identity.clerkId, expiresAt: (issuedAt + ttlSeconds) * 1000 };
  }

  function ttlOf(requested: number | undefined): number {
    return parseInput(ttlSecondsSchema, requested ?? DEFAULT_SESSION_TTL_SECONDS, 'ttlSeconds');
  }

  return {
    kid: key.kid,
    publicKeyPem: key.publicKeyPem,
    secretKey,
    bootSecret,
    jwks: () => ({ keys: [{ ...jwk }] }),
    findIdentityByEmail: (email) => identities.findByEmail(email),
    findIdentityByClerkId: (clerkId) => identities.findById(clerkId),
    listIdentities: () => identities.all(),

    async createIdentity(input) {
      const { email, firstName, lastName } = parseInput(identityInputSchema, input);
      const createdAt = now();
      const identity = await identities.add({
        clerkId: `user_local_${randomId(10)}`,
        email,
        firstName,
        lastName,
        imageUrl: null,
        createdAt,
        updatedAt: createdAt,
      });
      emit({ type: 'user.created', identity });
      return identity;
    },

    async updateIdentity(clerkId, update) {
      const changes = parseInput(identityUpdateSchema, update);
      const current = requireIdentity(clerkId);
      const updated = await identities.replace(current, {
        ...current,
        ...(changes.firstName === undefined ? {} : { firstName: changes.firstName || null }),
        ...(changes.lastName === undefined ? {} : { lastName: changes.lastName || null }),
        ...(changes.imageUrl === undefined ? {} : { imageUrl: changes.imageUrl }),
        // Strictly newer than the last change, as Clerk's updated_at is: receivers keep the latest.
        updatedAt: Math.max(now(), current.updatedAt + 1),
      });
      emit({ type: 'user.updated', identity: updated });
      return updated;
    },

    async setProfileImage(clerkId, image, imageBaseUrl) {
      const current = requireIdentity(clerkId);
      const name = image ? await images.put(clerkId, image) : undefined;
      const updated = await identities.replace(current, {
        ...current,
        imageUrl: name === undefined ? null : `${imageBaseUrl}/${name}`,
        updatedAt: Math.max(now(), current.updatedAt + 1),
      });
      const previous = imageNameOf(current.imageUrl);
      if (previous !== undefined && previous !== name) await images.remove(previous);
      emit({ type: 'user.updated', identity: updated });
      return updated;
    },

    profileImage: (name) => images.get(name),

    async setBanned(clerkId, banned) {
      const current = requireIdentity(clerkId);
      const updated =
        (current.banned ?? false) === banned
          ? current
          : await identities.replace(current, {
              ...current,
              banned,
              updatedAt: Math.max(now(), current.updatedAt + 1),
            });
      // Clerk ends a banned user's sessions; ended ones stay as they are.
      const ended = banned ? sessions.revokeAllOf(clerkId) : [];
      for (const session of ended) emit({ type: 'session.ended', session: { ...session } });
      return updated;
    },

    async deleteIdentity(clerkId) {
      const identity = requireIdentity(clerkId);
      if (isDemoIdentity(clerkId)) {
        const message = `${clerkId} is a demo identity and cannot be deleted; create one to delete`;
        throw new LocalIdentityError('identity_protected', message);
      }
      await identities.remove(identity);
      const image = imageNameOf(identity.imageUrl);
      if (image !== undefined) await images.remove(image);
      // Clerk ends a deleted user's sessions; its webhooks say so after the deletion.
      const ended = sessions.endAllOf(clerkId);
      emit({ type: 'user.deleted', identity });
      for (const session of ended) emit({ type: 'session.ended', session: { ...session } });
      return identity;
    },

    async startSession(email, sessionOptions = {}) {
      const ttlSeconds = ttlOf(sessionOptions.ttlSeconds);
      const identity = identities.findByEmail(email);
      if (!identity) throw identityNotFound(normalizeEmail(email), 'email');
      if (identity.banned) throw new LocalIdentityError('identity_banned', IDENTITY_BANNED_MESSAGE);
      const session = await issueToken(identity, `sess_local_${randomId(12)}`, ttlSeconds);
      const { sessionId, userId, expiresAt } = session;
      const userAgent = sessionOptions.userAgent?.slice(0, MAX_USER_AGENT_LENGTH);
      const record: LocalSessionRecord = {
        sessionId,
        userId,
        expiresAt,
        endedAt: null,
        createdAt: now(),
        ...(userAgent ? { userAgent } : {}),
      };
      sessions.add(record);
      emit({ type: 'session.created', session: { ...record } });
      return session;
    },

    async refreshSession(sessionId, refreshOptions = {}) {
      const ttlSeconds = ttlOf(refreshOptions.ttlSeconds);
      const record = sessions.get(sessionId);
      // Its identity may have been deleted since; then the session is over too.
      const identity = record?.endedAt === null ? identities.findById(record.userId) : undefined;
      if (!record || !identity || identity.banned) throw sessionNotFound();
      const session = await issueToken(identity, sessionId, ttlSeconds);
      record.expiresAt = Math.max(record.expiresAt, session.expiresAt);
      record.lastActiveAt = now();
      return session;
    },

    endSession(sessionId) {
      const ended = sessions.end(sessionId);
      if (ended) emit({ type: 'session.ended', session: { ...ended } });
      return ended !== undefined || sessions.get(sessionId) !== undefined;
    },

    getSession(sessionId) {
      const record = sessions.get(sessionId);
      return record ? { ...record } : undefined;
    },

    listSessions: (userId) => sessions.allOf(userId).map((record) => ({ ...record })),

    revokeSession(sessionId) {
      // Clerk sends session.revoked; the local sender knows session.ended, which the sync treats alike.
      const revoked = sessions.revoke(sessionId);
      if (revoked) emit({ type: 'session.ended', session: { ...revoked } });
      const record = sessions.get(sessionId);
      return record ? { ...record } : undefined;
    },

    touchSession: (sessionId) => sessions.touch(sessionId),
  };
}
