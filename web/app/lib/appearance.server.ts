// The root loader's part of the viewer: theme, currency, the name and avatar the header shows, the role
// that decides the Admin link, and the tenant's maintenance banner. The header reads them from the API
// rather than from the session token's claims, so a changed name or role shows on the next page load (a
// token keeps the claims it was minted with until it is refreshed).
import { json, type LoaderFunctionArgs } from '@remix-run/node';
import { requireUser } from '~/auth/auth.server';
import { createApi } from '~/graphql/client.server';
import { AppearanceQuery } from '~/graphql/users.server';
import { DEFAULT_APPEARANCE, isCurrency, isTheme, type Appearance } from './appearance';
import { avatarSrc } from './avatar.server';
import { logger } from './log.server';
import { requestIdOf } from './request-id.server';

interface HeaderUser {
  firstName: string | null;
  lastName: string | null;
  imageUrl: string | null;
  role?: 'ADMIN' | 'USER' | null;
}

/**
 * Adds `appearance`, `maintenanceBanner` (and the viewer's current name, avatar and role) to the root
 * loader's JSON response. Signed-out visitors get the defaults and no banner without a call to the API.
 * If the API cannot answer, the page still renders with the defaults, no banner and no role (so no Admin
 * link): the route's own loader reports the failure; a redirect (the session ended) is followed.
 */
export async function withAppearance(args: LoaderFunctionArgs, response: Response): Promise<Response> {
  if (response.status !== 200) return response;
  const body = (await response.clone().json()) as { user?: HeaderUser | null } & Record<string, unknown>;
  let appearance: Appearance = DEFAULT_APPEARANCE;
  let user: HeaderUser | null = body.user ? { ...body.user, role: null } : null;
  let maintenanceBanner: string | null = null;
  if (user) {
    try {
      const session = await requireUser(args);
      const { viewer, tenantSettings } = await createApi(session, args.request).query(AppearanceQuery, {});
      const app = viewer.preferences.app;
      appearance = {
        theme: isTheme(app.theme) ? app.theme : DEFAULT_APPEARANCE.theme,
        currency: isCurrency(app.currency) ? app.currency : DEFAULT_APPEARANCE.currency,
      };
      user = {
        ...user,
        firstName: viewer.firstName ?? null,
        lastName: viewer.lastName ?? null,
        imageUrl: viewer.avatarUrl ?? null,
        role: viewer.role === 'ADMIN' ? 'ADMIN' : 'USER',
      };
      maintenanceBanner = tenantSettings.maintenanceBanner?.trim() || null;
    } catch (error) {
      if (error instanceof Response && error.status >= 300 && error.status < 400) throw error;
      logger.warn('appearance.unavailable', {
        requestId: requestIdOf(args.request),
        status: error instanceof Response ? error.status : undefined,
        err: error instanceof Error ? error.message : undefined,
      });
    }
  }
  if (user) user = { ...user, imageUrl: avatarSrc(user.imageUrl) };
  return json({ ...body, user, appearance, maintenanceBanner }, { status: response.status, headers: response.headers });
}
