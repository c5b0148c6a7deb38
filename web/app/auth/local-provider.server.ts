// Client of the API server's local identity provider (/__local-auth/*), local identity mode only.
// Every call happens on the web server: the browser never talks to the provider.
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  LOCAL_AUTH_PREFIX,
  LOCAL_AUTH_SECRET_HEADER,
  LOCAL_AUTH_SECRET_REFUSED,
  type LocalAuthIssue,
  type LocalSession,
} from '@deal-brain/shared/local-auth';

export type { LocalSession };

/** The provider keeps at most this much of a User-Agent. */
const MAX_USER_AGENT_LENGTH = 512;

export interface LocalIdentityInput {
  email: string;
  firstName: string;
  lastName: string;
}

/** One problem with the input, as the provider's 400 answer names it; `path` locates it (`['email']`). */
export type ProviderIssue = LocalAuthIssue;

/** The provider answered with an error (`code` is its `error` field, e.g. identity_not_found). */
export class LocalAuthError extends Error {
  override name = 'LocalAuthError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** A 400's problems one by one, so a form can show each next to its field. */
    readonly issues: ProviderIssue[] = [],
  ) {
    super(message);
  }
}

/** The provider could not be reached or answered something unusable. */
export class LocalAuthUnavailableError extends Error {
  override name = 'LocalAuthUnavailableError';
}

export interface LocalProviderOptions {
  /** Base URL of the API server. */
  apiUrl: string;
  timeoutMs: number;
  /** ttl of minted tokens, in seconds. */
  sessionTtlSeconds: number;
  fetch?: typeof fetch;
  now?: () => number;
  /** How long the public key is trusted before it is fetched again (the provider allows 5 minutes). */
  keyTtlMs?: number;
  /**
   * The API server's secret for its local routes, asked before every call (it changes when its file is replaced):
   * sent in LOCAL_AUTH_SECRET_HEADER. Undefined sends none, which the API refuses.
   */
  secret?: () => Promise<string | undefined>;
}

/**
 * Reads the local routes' secret from the file the API server writes (WebConfig.local.secretFile), afresh at
 * every call, so a rotated secret is picked up; undefined while the file does not exist yet.
 */
export function secretFromFile(file: string): () => Promise<string | undefined> {
  return async () => {
    try {
      return (await readFile(file, 'utf8')).trim() || undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new LocalAuthUnavailableError(`The local identity provider's secret ${file} is unreadable`, {
        cause: error,
      });
    }
  };
}

export interface LocalProvider {
  /** The provider's public key as an SPKI PEM, usable as Clerk's `jwtKey`. */
  publicKeyPem(): Promise<string>;
  /** `userAgent`: the browser's User-Agent header, which the session list shows as browser and device. */
  createSession(email: string, userAgent?: string | null): Promise<LocalSession>;
  createIdentity(input: LocalIdentityInput): Promise<void>;
  /** A fresh token for a session that is still active; LocalAuthError 404 when it is not. */
  refreshSession(sessionId: string): Promise<LocalSession>;
  /** Ends the session (the server records the sign-out). Unknown or already ended sessions are fine. */
  endSession(sessionId: string): Promise<void>;
}

function isLocalSession(value: unknown): value is LocalSession {
  const v = value as Partial<LocalSession> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.token === 'string' &&
    typeof v.sessionId === 'string' &&
    typeof v.userId === 'string' &&
    typeof v.expiresAt === 'number'
  );
}

function isIssue(value: unknown): value is ProviderIssue {
  const v = value as Partial<ProviderIssue> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.message === 'string' &&
    Array.isArray(v.path) &&
    v.path.every((key) => typeof key === 'string' || typeof key === 'number')
  );
}

export function jwkToPem(jwk: JsonWebKey): string {
  return createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
}

export function createLocalProvider(options: LocalProviderOptions): LocalProvider {
  const base = `${options.apiUrl}${LOCAL_AUTH_PREFIX}`;
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const keyTtlMs = options.keyTtlMs ?? 5 * 60 * 1000;
  let key: { pem: string; fetchedAt: number } | undefined;
  let keyRequest: Promise<string> | undefined;

  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    const secret = await options.secret?.();
    try {
      return await doFetch(`${base}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(secret === undefined ? {} : { [LOCAL_AUTH_SECRET_HEADER]: secret }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(options.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      throw new LocalAuthUnavailableError(
        `The local identity provider at ${base} is not reachable: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  async function failure(response: Response): Promise<LocalAuthError | LocalAuthUnavailableError> {
    let payload: { error?: unknown; message?: unknown; issues?: unknown } = {};
    try {
      payload = (await response.json()) as typeof payload;
    } catch {
      // not JSON: described by the status alone
    }
    if (response.status >= 500) {
      return new LocalAuthUnavailableError(`The local identity provider failed with HTTP ${response.status}`);
    }
    const code = typeof payload.error === 'string' ? payload.error : `http_${response.status}`;
    if (response.status === 403 && code === LOCAL_AUTH_SECRET_REFUSED) {
      // Not the person's fault: this app and the API server disagree about DATA_DIR, or the API restarted.
      return new LocalAuthUnavailableError(
        'The local identity provider refused this app: it did not send the secret the API server wrote at start-up (run both with the same DATA_DIR)',
      );
    }
    const message = typeof payload.message === 'string' ? payload.message : `HTTP ${response.status}`;
    const issues = Array.isArray(payload.issues) ? payload.issues.filter(isIssue) : [];
    return new LocalAuthError(response.status, code, message, issues);
  }

  async function session(response: Response): Promise<LocalSession> {
    if (response.status !== 201) throw await failure(response);
    const payload: unknown = await response.json().catch(() => undefined);
    if (!isLocalSession(payload)) throw new LocalAuthUnavailableError('The local identity provider sent no session');
    return payload;
  }

  async function fetchKey(): Promise<string> {
    const response = await call('GET', '/.well-known/jwks.json');
    if (!response.ok) throw await failure(response);
    const jwks = (await response.json().catch(() => undefined)) as { keys?: JsonWebKey[] } | undefined;
    const jwk = jwks?.keys?.find((candidate) => candidate.kty === 'RSA');
    if (!jwk) throw new LocalAuthUnavailableError('The local identity provider published no RSA key');
    const pem = jwkToPem(jwk);
    key = { pem, fetchedAt: now() };
    return pem;
  }

  return {
    async publicKeyPem() {
      if (key && now() - key.fetchedAt < keyTtlMs) return key.pem;
      // One request at a time; while it runs (or if it fails), a known key keeps working.
      keyRequest ??= fetchKey().finally(() => {
        keyRequest = undefined;
      });
      if (key) return keyRequest.catch(() => key!.pem);
      return keyRequest;
    },

    async createSession(email, userAgent) {
      // Cut to what the provider keeps: a longer header is not worth refusing a sign-in over.
      const agent = userAgent?.slice(0, MAX_USER_AGENT_LENGTH) || undefined;
      const body = { email, ttlSeconds: options.sessionTtlSeconds, ...(agent ? { userAgent: agent } : {}) };
      return session(await call('POST', '/sessions', body));
    },

    async createIdentity(input) {
      const response = await call('POST', '/identities', input);
      if (response.status !== 201) throw await failure(response);
      await response.body?.cancel();
    },

    async refreshSession(sessionId) {
      const path = `/sessions/${encodeURIComponent(sessionId)}/tokens`;
      return session(await call('POST', path, { ttlSeconds: options.sessionTtlSeconds }));
    },

    async endSession(sessionId) {
      const response = await call('POST', `/sessions/${encodeURIComponent(sessionId)}/end`);
      if (response.status === 204) return;
      const error = await failure(response);
      // Already ended, or expired and forgotten: signed out either way.
      if (error instanceof LocalAuthError && error.code === 'session_not_found') return;
      throw error;
    },
  };
}
