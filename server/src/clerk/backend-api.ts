// The one way the server talks to Clerk's Backend API, in both auth modes: @clerk/backend's own client,
// pointed at Clerk (clerk mode: CLERK_SECRET_KEY, CLERK_API_URL) or at the local identity provider's
// stand-in (local mode: its generated secret key, the server's own /__local-auth on loopback). Every call
// has a deadline, and every failure comes out as one of two errors: Clerk refused the request (its
// answer says why), or Clerk could not be asked (unreachable, slow, failing, or misconfigured here).
import { createClerkClient as createClerkSdkClient, type ClerkClient } from '@clerk/backend';

export type { ClerkClient };

/** Clerk answered every call within this in testing; a slower answer is treated as no answer. */
export const DEFAULT_CLERK_TIMEOUT_MS = 10_000;

export interface ClerkBackendOptions {
  /** Undefined: no Backend API (clerk mode verifying networklessly only); every call is unavailable. */
  secretKey: string | undefined;
  /**
   * Clerk's API by default. A function when the address is known only later (the local stand-in lives
   * on the server's own listening port); asked on every call.
   */
  apiUrl?: string | (() => string | undefined) | undefined;
  /** The deadline of one call. */
  timeoutMs?: number;
}

/** One of Clerk's reasons for a refusal (its `errors[]` entries). */
export interface ClerkRefusalReason {
  code: string;
  message: string;
  longMessage: string | undefined;
  /** The request parameter Clerk blames, snake_case as Clerk names it (first_name), when it names one. */
  paramName: string | undefined;
}

/** Clerk answered with a 4xx that the caller's input caused (a name it will not take, an image it cannot read). */
export class ClerkRefusedError extends Error {
  override name = 'ClerkRefusedError';
  constructor(
    readonly status: number,
    readonly reasons: ClerkRefusalReason[],
    /** Seconds Clerk asks us to wait (a 429), when it says. */
    readonly retryAfter: number | undefined,
  ) {
    super(reasons[0]?.longMessage ?? reasons[0]?.message ?? `Clerk refused the request (HTTP ${status})`);
  }
}

export type ClerkUnavailableReason =
  'not-configured' | 'unreachable' | 'timeout' | 'server-error' | 'rejected-credentials';

/**
 * Clerk could not do what was asked, through no fault of the caller's input: it was unreachable, too slow,
 * failing (5xx), or refused our own credentials (a 401 or 403 means our secret key is wrong: a
 * configuration problem, never the person's). Nothing is known to have changed at Clerk; a timeout may
 * still have changed something there, which Clerk's webhook then reports.
 */
export class ClerkUnavailableError extends Error {
  override name = 'ClerkUnavailableError';
  constructor(
    readonly reason: ClerkUnavailableReason,
    /** The HTTP status Clerk answered, when it answered. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(`Clerk's Backend API is unavailable (${reason}${status === undefined ? '' : `, HTTP ${status}`})`, options);
  }
}

export interface ClerkBackend {
  /**
   * Runs one Backend API call with the deadline. Rejects with ClerkRefusedError or ClerkUnavailableError
   * only. `operation` names the call in errors and logs (e.g. 'users.updateUser').
   */
  call<T>(operation: string, fn: (clerk: ClerkClient) => Promise<T>): Promise<T>;
}

/** The @clerk/backend client for this secret key and API URL: the same factory in both modes. */
export function createClerkClient({ secretKey, apiUrl }: { secretKey: string; apiUrl?: string | undefined }) {
  return createClerkSdkClient({
    secretKey,
    ...(apiUrl ? { apiUrl } : {}),
    // The SDK may report usage to Clerk's telemetry host; the server has no reason to, and local mode no network.
    telemetry: { disabled: true },
  });
}

interface ClerkApiErrorShape {
  clerkError?: unknown;
  status?: unknown;
  retryAfter?: unknown;
  errors?: { code?: unknown; message?: unknown; longMessage?: unknown; meta?: { paramName?: unknown } }[];
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/** A ClerkAPIResponseError (@clerk/backend 2.x does not export its type guard): `clerkError` and a status. */
function apiErrorOf(error: unknown): ClerkApiErrorShape | undefined {
  const shape = error as ClerkApiErrorShape | null;
  return shape?.clerkError === true ? shape : undefined;
}

/** What a failed call means to us. */
export function classifyClerkFailure(error: unknown): ClerkRefusedError | ClerkUnavailableError {
  if (error instanceof ClerkRefusedError || error instanceof ClerkUnavailableError) return error;
  const api = apiErrorOf(error);
  const status = typeof api?.status === 'number' ? api.status : undefined;
  // No status: the SDK caught a network failure (connection refused, reset, DNS) and reported it as an error.
  if (api === undefined || status === undefined)
    return new ClerkUnavailableError('unreachable', undefined, { cause: error });
  if (status === 401 || status === 403)
    return new ClerkUnavailableError('rejected-credentials', status, { cause: error });
  if (status >= 500 || status === 408) return new ClerkUnavailableError('server-error', status, { cause: error });
  if (status >= 400) {
    const reasons = (api.errors ?? []).map((entry) => ({
      code: text(entry.code) ?? 'unknown',
      message: text(entry.message) ?? 'refused',
      longMessage: text(entry.longMessage),
      paramName: text(entry.meta?.paramName),
    }));
    return new ClerkRefusedError(status, reasons, typeof api.retryAfter === 'number' ? api.retryAfter : undefined);
  }
  return new ClerkUnavailableError('server-error', status, { cause: error });
}

function withDeadline<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ClerkUnavailableError('timeout')), timeoutMs);
    timer.unref();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

export function createClerkBackend(options: ClerkBackendOptions): ClerkBackend {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CLERK_TIMEOUT_MS;
  const { secretKey } = options;
  // One client per API URL: the SDK keeps no connection state, but building one per call would be waste.
  let cached: { apiUrl: string | undefined; client: ClerkClient } | undefined;

  function client(): ClerkClient {
    if (!secretKey) throw new ClerkUnavailableError('not-configured');
    const apiUrl = typeof options.apiUrl === 'function' ? options.apiUrl() : options.apiUrl;
    // A stand-in that is not listening yet cannot be asked.
    if (typeof options.apiUrl === 'function' && apiUrl === undefined) throw new ClerkUnavailableError('unreachable');
    if (cached && cached.apiUrl === apiUrl) return cached.client;
    const created = createClerkClient({ secretKey, apiUrl });
    cached = { apiUrl, client: created };
    return created;
  }

  return {
    async call(operation, fn) {
      try {
        return await withDeadline(fn(client()), timeoutMs);
      } catch (error) {
        const failure = classifyClerkFailure(error);
        failure.message = `${operation}: ${failure.message}`;
        throw failure;
      }
    },
  };
}
