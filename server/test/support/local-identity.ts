// Helpers for the local identity provider's tests: providers with a hand-moved clock and a recorded event
// stream, token decoding, verification outcomes, and the provider's routes on a real node:http server.
import { createServer } from 'node:http';
import { LOCAL_AUTH_SECRET_HEADER } from '@deal-brain/shared/local-auth';
import { verifyToken } from '@clerk/backend';
import { TokenVerificationError } from '@clerk/backend/errors';
import {
  createLocalIdentityProvider,
  type LocalAuthEvent,
  type LocalIdentityProvider,
  type LocalIdentityProviderOptions,
} from '#src/dev/local-identity/index.js';
import type { LocalIdentityErrorCode } from '#src/dev/local-identity/errors.js';
import { handleLocalAuthRequest } from '#src/dev/local-identity/routes.js';
import { generateSigningKey } from '#src/dev/local-identity/signing-key.js';
import { listen, type ListeningServer } from './listen.js';

export const PARTY = 'http://localhost:3000';
export const START = 1_800_000_000_000;
/** One RSA key for every harness: generating one per test would dominate the run time. */
export const SIGNING_KEY = generateSigningKey();

/** A clock the test moves by hand. */
export function manualClock(start = START) {
  const clock = { now: start, advance: (ms: number) => (clock.now += ms) };
  return clock;
}

export interface Harness {
  provider: LocalIdentityProvider;
  events: LocalAuthEvent[];
  clock: ReturnType<typeof manualClock>;
}

/** An in-memory provider on SIGNING_KEY and a manual clock, recording its events. */
export async function harness(options: Partial<LocalIdentityProviderOptions> = {}): Promise<Harness> {
  const events: LocalAuthEvent[] = [];
  const clock = manualClock();
  const provider = await createLocalIdentityProvider({
    stateDir: null,
    authorizedParty: PARTY,
    now: () => clock.now,
    signingKey: SIGNING_KEY,
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { provider, events, clock };
}

export function headerOf(token: string): Record<string, unknown> {
  return decodePart(token, 0);
}

export function claimsOf(token: string): Record<string, unknown> {
  return decodePart(token, 1);
}

function decodePart(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

/** The verification outcome as a reason string, so failures read as data in assertions. */
export async function verificationReason(token: string, jwtKey: string, parties = [PARTY]): Promise<string> {
  try {
    await verifyToken(token, { jwtKey, authorizedParties: parties });
    return 'ok';
  } catch (error) {
    if (error instanceof TokenVerificationError) return error.reason;
    throw error;
  }
}

export function typesOf(events: LocalAuthEvent[]): string[] {
  return events.map((event) => event.type);
}

/** What a refusal by the provider looks like, for toMatchObject. */
export function refusal(code: LocalIdentityErrorCode, message?: string) {
  return { name: 'LocalIdentityError', code, ...(message === undefined ? {} : { message }) };
}

/** The rejection of `promise`, which must reject. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/**
 * The routes of `provider()` (asked per request, so a test may swap it) on a loopback server; other paths
 * are answered 404 'not a local auth route'. Unexpected (500) failures are pushed to `unexpected`.
 */
export function serveLocalAuth(
  provider: () => LocalIdentityProvider,
  unexpected: unknown[] = [],
): Promise<ListeningServer> {
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const onError = (error: unknown) => unexpected.push(error);
    // This harness stands in for the web app, which sends the boot secret it read from the state directory;
    // a test that sends its own (or an empty) header keeps it. local-mode-exposure.test.ts checks refusals.
    req.headers[LOCAL_AUTH_SECRET_HEADER] ??= provider().bootSecret;
    void handleLocalAuthRequest(provider(), req, res, pathname, { onError }).then((handled) => {
      if (!handled) res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not a local auth route');
    });
  });
  return listen(server);
}
