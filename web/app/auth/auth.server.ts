// Who is asking: @clerk/remix's `getAuth` / `rootAuthLoader` in both modes. In local mode the session
// cookies come from our own sign-in forms and are verified networklessly with the local provider's
// public key; in clerk mode they come from clerk-js and Clerk's keys.
import { getAuth as clerkGetAuth, rootAuthLoader as clerkRootAuthLoader } from '@clerk/remix/ssr.server';
import { createClerkClient } from '@clerk/remix/api.server';
import { decodeJwt, hasValidSignature } from '@clerk/backend/jwt';
import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { getConfig, LOCAL_FRONTEND_API_HOST, type WebConfig } from '~/config.server';
import { signInPath } from '~/lib/redirects';
import { logger } from '~/lib/log.server';
import { createLocalProvider, secretFromFile, type LocalProvider } from './local-provider.server';
import { createLocalSessionKeeper, signedOutRequest, type LocalSessionKeeper } from './session-keeper.server';
import {
  SESSION_COOKIE,
  clearedSessionCookies,
  clearedSuffixedSessionCookies,
  isSecureRequest,
  parseCookies,
  readTokenClaims,
  sessionCookies,
} from './session-cookies.server';

export type AuthArgs = Pick<LoaderFunctionArgs, 'request' | 'context' | 'params'>;
type ClerkOptions = NonNullable<Parameters<typeof clerkRootAuthLoader>[1]> & { jwtKey?: string };
type AuthObject = Awaited<ReturnType<typeof clerkGetAuth>>;

/** What the pages show about the signed-in person (from the session token's claims). */
export interface SessionUser {
  userId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  imageUrl: string | null;
}

export interface SignedIn {
  user: SessionUser;
  sessionId: string | null;
  /** The session token, for the API's Authorization header. */
  token: string;
  /** Set-Cookie (refreshed session) and Cache-Control headers for the response. */
  headers: Headers;
}

interface Services {
  config: WebConfig;
  provider: LocalProvider | undefined;
  keeper: LocalSessionKeeper | undefined;
  /** Local mode: whether a token was issued by the local provider for this app (expiry aside). */
  isGenuine: ((token: string) => Promise<boolean>) | undefined;
}

let services: Services | undefined;

/**
 * An RS256 signature by `publicKeyPem` and an authorized `azp`; expiry is deliberately not checked (this
 * decides whether an expired token may be exchanged for a fresh one of the same session, or ended).
 */
export async function isSignedBy(token: string, publicKeyPem: string, authorizedParties: string[]): Promise<boolean> {
  try {
    const jwt = decodeJwt(token);
    if (jwt.header.alg !== 'RS256') return false;
    if (!(await hasValidSignature(jwt, publicKeyPem))) return false;
    const { azp } = jwt.payload as { azp?: unknown };
    return typeof azp === 'string' && authorizedParties.includes(azp);
  } catch {
    return false;
  }
}

function getServices(): Services {
  if (!services) {
    const config = getConfig();
    let provider: LocalProvider | undefined;
    let keeper: LocalSessionKeeper | undefined;
    let isGenuine: Services['isGenuine'];
    if (config.authMode === 'local') {
      provider = createLocalProvider({
        apiUrl: config.apiUrl,
        timeoutMs: config.apiTimeoutMs,
        sessionTtlSeconds: config.local.sessionTtlSeconds,
        secret: secretFromFile(config.local.secretFile),
      });
      const localProvider = provider;
      isGenuine = async (token) => isSignedBy(token, await localProvider.publicKeyPem(), config.authorizedParties);
      keeper = createLocalSessionKeeper({
        provider,
        isGenuine,
        refreshBeforeSeconds: config.local.refreshBeforeSeconds,
        onRefreshFailed: (error) => logger.warn('auth.refresh_failed', { err: (error as Error).message }),
      });
    }
    services = { config, provider, keeper, isGenuine };
  }
  return services;
}

export function authMode(): WebConfig['authMode'] {
  return getServices().config.authMode;
}

/** The local identity provider; only in local mode. */
export function localProvider(): LocalProvider {
  const { provider } = getServices();
  if (!provider) throw new Error('The local identity provider exists in local mode only');
  return provider;
}

async function clerkOptions(): Promise<ClerkOptions> {
  const { config, provider } = getServices();
  const jwtKey = provider ? await provider.publicKeyPem() : config.clerk.jwtKey;
  return {
    publishableKey: config.clerk.publishableKey,
    secretKey: config.clerk.secretKey,
    ...(jwtKey ? { jwtKey } : {}),
    authorizedParties: config.authorizedParties,
    signInUrl: '/sign-in',
    signUpUrl: '/sign-up',
    signInFallbackRedirectUrl: '/app',
    signUpFallbackRedirectUrl: '/app',
  };
}

/** Local mode: refreshes or drops the session cookies first, so Clerk never needs a handshake. */
async function prepare<A extends AuthArgs>(args: A): Promise<{ args: A; setCookies: string[] }> {
  const { keeper } = getServices();
  if (!keeper) return { args, setCookies: [] };
  const prepared = await keeper.prepare(args.request);
  return { args: { ...args, request: prepared.request }, setCookies: prepared.setCookies };
}

function isLocalHandshake(error: unknown): boolean {
  return (
    error instanceof Response &&
    error.status >= 300 &&
    error.status < 400 &&
    (error.headers.get('location') ?? '').includes(LOCAL_FRONTEND_API_HOST)
  );
}

/**
 * Runs Clerk's verification. In local mode a handshake redirect (to a host that does not exist) can still
 * come from a token the keeper let through — e.g. one that is not valid yet — so it is answered here:
 * the visitor is signed out instead of sent nowhere.
 */
async function verifyWithClerk<A extends AuthArgs, T>(
  args: A,
  run: (args: A) => Promise<T>,
): Promise<{ result: T; setCookies: string[] }> {
  const prepared = await prepare(args);
  try {
    return { result: await run(prepared.args), setCookies: prepared.setCookies };
  } catch (error) {
    if (!getServices().keeper || !isLocalHandshake(error)) throw error;
    const signedOut = signedOutRequest(args.request);
    return { result: await run({ ...args, request: signedOut.request }), setCookies: signedOut.setCookies };
  }
}

function appendCookies(headers: Headers, setCookies: string[]): Headers {
  for (const cookie of setCookies) headers.append('Set-Cookie', cookie);
  return headers;
}

function stringClaim(claims: Record<string, unknown> | null | undefined, name: string): string | null {
  const value = claims?.[name];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

export function sessionUser(auth: { userId: string; sessionClaims?: Record<string, unknown> | null }): SessionUser {
  const claims = auth.sessionClaims;
  return {
    userId: auth.userId,
    email: stringClaim(claims, 'email'),
    firstName: stringClaim(claims, 'first_name'),
    lastName: stringClaim(claims, 'last_name'),
    imageUrl: stringClaim(claims, 'image_url'),
  };
}

/**
 * The root loader: Clerk's rootAuthLoader (which puts the auth state into the page for ClerkApp) plus
 * what our header needs. Set-Cookie from a local refresh is added to its response.
 */
export async function rootAuthLoader<T extends Record<string, unknown>>(
  args: LoaderFunctionArgs,
  data: (user: SessionUser | null) => T,
): Promise<Response> {
  const options = await clerkOptions();
  const { result: response, setCookies } = await verifyWithClerk(
    args,
    async (verifiable) =>
      (await clerkRootAuthLoader(
        verifiable,
        ({ request }) => {
          const auth = request.auth as AuthObject;
          return data(auth.userId ? sessionUser(auth) : null);
        },
        options,
      )) as unknown as Response,
  );
  appendCookies(response.headers, setCookies);
  if (response.headers.has('Set-Cookie')) response.headers.set('Cache-Control', 'private, no-store');
  return response;
}

/** The auth state of any request (signed in or not), with the headers the response must carry. */
export async function authenticate(args: AuthArgs): Promise<{ auth: AuthObject; headers: Headers }> {
  const options = (await clerkOptions()) as Parameters<typeof clerkGetAuth>[1];
  const { result: auth, setCookies } = await verifyWithClerk(args, (verifiable) =>
    clerkGetAuth(verifiable as LoaderFunctionArgs, options),
  );
  const headers = appendCookies(new Headers({ 'Cache-Control': 'private, no-store' }), setCookies);
  return { auth, headers };
}

/**
 * A signed-in session or a redirect to the sign-in page that comes back to this page afterwards.
 * Protected loaders and actions start with this.
 */
export async function requireUser(args: AuthArgs): Promise<SignedIn> {
  const { auth, headers } = await authenticate(args);
  if (!auth.userId) {
    const url = new URL(args.request.url);
    throw redirect(signInPath(`${url.pathname}${url.search}`), { headers });
  }
  const token = await auth.getToken();
  if (!token) throw redirect(signInPath(new URL(args.request.url).pathname), { headers });
  return { user: sessionUser(auth), sessionId: auth.sessionId, token, headers };
}

/**
 * Local mode: the session an expired (or otherwise unverifiable) token names, but only when the local
 * provider really issued that token for this app: a forged token must not end someone else's session.
 */
async function sessionOfGenuineToken(request: Request, isGenuine: (token: string) => Promise<boolean>) {
  const token = parseCookies(request.headers.get('cookie')).get(SESSION_COOKIE);
  if (!token) return null;
  try {
    return (await isGenuine(token)) ? (readTokenClaims(token)?.sid ?? null) : null;
  } catch (error) {
    logger.warn('auth.sign_out_unverified', { err: (error as Error).message });
    return null;
  }
}

/**
 * Signs the session out: in local mode ends it at the provider (the server records the sign-out), in
 * clerk mode revokes it through the Backend API; clears the cookies either way. Clerk mode's browser signs
 * out through clerk-js (<SignOutButton>), which also removes the cookies clerk-js set on the parent
 * domain; this route is the fallback and clears what it can: the suffixed copies present in the request,
 * and everything else through `Clear-Site-Data`.
 */
export async function signOut(args: AuthArgs): Promise<Headers> {
  const { config, provider, isGenuine } = getServices();
  const headers = new Headers({ 'Cache-Control': 'private, no-store' });
  const secure = isSecureRequest(args.request);
  let sessionId: string | null = null;
  try {
    sessionId = (await authenticate(args)).auth.sessionId;
  } catch (error) {
    if (error instanceof Response) throw error;
    logger.warn('auth.sign_out_unverified', { err: (error as Error).message });
  }
  // An expired token of a session that cannot be refreshed still names its session: end it too.
  if (!sessionId && isGenuine) sessionId = await sessionOfGenuineToken(args.request, isGenuine);
  if (sessionId) {
    try {
      if (provider) await provider.endSession(sessionId);
      else await createClerkClient({ secretKey: config.clerk.secretKey }).sessions.revokeSession(sessionId);
    } catch (error) {
      // The cookies are cleared regardless: this browser is signed out either way.
      logger.error('auth.sign_out_failed', { err: (error as Error).message });
    }
  }
  appendCookies(headers, clearedSessionCookies({ secure }));
  if (config.authMode === 'clerk') {
    appendCookies(headers, clearedSuffixedSessionCookies(args.request, { secure }));
    headers.set('Clear-Site-Data', '"cookies"');
  }
  return headers;
}

/** Local mode: sets the cookies of a newly started session. */
export function sessionHeaders(request: Request, token: string): Headers {
  const headers = new Headers({ 'Cache-Control': 'private, no-store' });
  const secure = isSecureRequest(request);
  return appendCookies(headers, sessionCookies(token, Math.floor(Date.now() / 1000), { secure }));
}
