// What the sign-in and sign-up routes share on the server: where to go afterwards, and (local mode)
// starting the session their forms ask for.
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { logger } from '~/lib/log.server';
import { safeRedirect } from '~/lib/redirects';
import { requestIdOf } from '~/lib/request-id.server';
import { authenticate, authMode, localProvider, sessionHeaders } from './auth.server';

/**
 * The loader's part of a sign-in or sign-up page: where to go after signing in (`?redirect_url=`, checked),
 * and the headers to answer with. A visitor who is already signed in goes straight there.
 */
export async function signedOutVisit(args: LoaderFunctionArgs): Promise<{ redirectUrl: string; headers: Headers }> {
  const url = new URL(args.request.url);
  const redirectUrl = safeRedirect(url.searchParams.get('redirect_url'));
  const { auth, headers } = await authenticate(args);
  if (auth.userId) throw redirect(redirectUrl, { headers });
  return { redirectUrl, headers };
}

/**
 * A post of our own sign-in or sign-up form and where to go afterwards. Those forms exist in local mode
 * only: in clerk mode Clerk's components talk to Clerk, and this answers 404.
 */
export async function localAuthPost(args: ActionFunctionArgs): Promise<{ form: FormData; redirectUrl: string }> {
  if (authMode() !== 'local') throw new Response('Not found', { status: 404 });
  const form = await args.request.formData();
  return { form, redirectUrl: safeRedirect(form.get('redirect_url')) };
}

/** Local mode: starts a session for `email` and sends the browser on to `redirectUrl` with its cookies. */
export async function startLocalSession(
  request: Request,
  email: string,
  redirectUrl: string,
  event: 'auth.signed_in' | 'auth.signed_up',
): Promise<Response> {
  // The browser's User-Agent names the session in Settings → Sessions (browser and device).
  const session = await localProvider().createSession(email, request.headers.get('user-agent'));
  logger.info(event, { requestId: requestIdOf(request), userId: session.userId });
  return redirect(redirectUrl, { headers: sessionHeaders(request, session.token) });
}
