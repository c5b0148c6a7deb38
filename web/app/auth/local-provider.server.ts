// Client of the API server's local identity provider (/__local-auth/*), local identity mode only.
// Every call happens on the web server: the browser never talks to the provider.
import { createPublicKey, type JsonWebKey } from 'node:crypto';

export interface LocalSession {
  token: string;
  sessionId: string;
  userId: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export interface LocalIdentityInput {
  email: string;
  firstName: string;
  lastName: string;
}

/** The provider answered with an error (`code` is its `error` field, e.g. identity_not_found). */
export class LocalAuthError extends Error {
  override name = 'LocalAuthError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
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
}

export interface LocalProvider {
  /** The provider's public key as an SPKI PEM, usable as Clerk's `jwtKey`. */
  publicKeyPem(): Promise<string>;
  createSession(email: string): Promise<LocalSession>;
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

export function jwkToPem(jwk: JsonWebKey): string {
  return createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
}

export function createLocalProvider(options: LocalProviderOptions): LocalProvider {
  const base = `${options.apiUrl}/__local-auth`;
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const keyTtlMs = options.keyTtlMs ?? 5 * 60 * 1000;
  let key: { pem: string; fetchedAt: number } | undefined;
  let keyRequest: Promise<string> | undefined;

  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    try {
      return await doFetch(`${base}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
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
    let payload: { error?: unknown; message?: unknown } = {};
    try {
      payload = (await response.json()) as typeof payload;
    } catch {
      // not JSON: described by the status alone
    }
    if (response.status >= 500) {
      return new LocalAuthUnavailableError(`The local identity provider failed with HTTP ${response.status}`);
    }
    const code = typeof payload.error === 'string' ? payload.error : `http_${response.status}`;
    const message = typeof payload.message === 'string' ? payload.message : `HTTP ${response.status}`;
    return new LocalAuthError(response.status, code, message);
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

    async createSession(email) {
      return session(await call('POST', '/sessions', { email, ttlSeconds: options.sessionTtlSeconds }));
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
      const path = `/sessions/${encodeURIComponent(sessionId)}`;
      let response = await call('POST', `${path}/end`);
      // Providers without the /end route (404 not_found for the path, or 405) end sessions with DELETE.
      if (response.status === 405 || response.status === 404) {
        const error = await failure(response);
        if (response.status === 405 || (error instanceof LocalAuthError && error.code === 'not_found')) {
          response = await call('DELETE', path);
        } else {
          return; // session_not_found: already ended or expired
        }
      }
      if (response.status === 204 || response.status === 404) {
        await response.body?.cancel();
        return;
      }
      throw await failure(response);
    },
  };
}
