// Profile pictures in local identity mode: the local identity provider keeps them on the API server
// (`/__local-auth/images/<name>`, its stand-in for Clerk's image host). In local mode the browser talks to
// no host but this app's, so their URLs are rewritten to this app's /settings/avatar/<name>, which fetches
// the image from the API server (routes/settings_.avatar.$name.tsx). Clerk mode's URLs are left alone.
import { LOCAL_AUTH_PREFIX } from '@deal-brain/shared/local-auth';
import { getConfig } from '~/config.server';

/** How the local provider names an image: `<clerk id>-<16 hex digits>.<ext>` (nothing else passes). */
export const LOCAL_IMAGE_NAME = /^user_[A-Za-z0-9_]{1,100}-[0-9a-f]{16}\.(png|jpg|gif|webp)$/;

const LOCAL_IMAGES_PATH = `${LOCAL_AUTH_PREFIX}/images/`;

/** The URL the browser should load a profile picture from (null stays null). */
export function avatarSrc(url: string | null): string | null {
  if (!url || getConfig().authMode !== 'local') return url;
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return null;
  }
  if (!pathname.startsWith(LOCAL_IMAGES_PATH)) return url;
  const name = pathname.slice(LOCAL_IMAGES_PATH.length);
  return LOCAL_IMAGE_NAME.test(name) ? `/settings/avatar/${name}` : null;
}

/** Where the API server serves a local image of this (already checked) name. */
export function localImageUrl(name: string): string {
  return `${getConfig().apiUrl}${LOCAL_IMAGES_PATH}${name}`;
}
