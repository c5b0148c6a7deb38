import { signedInNotFoundLoader } from '~/lib/not-found.server';

/** Unknown pages under /app: signed-out visitors go to sign-in first; signed-in ones get a 404. */
export const loader = signedInNotFoundLoader;

// Never rendered (the loader always throws), but without a component this would be a resource route
// and the 404 would not be shown as a page.
export default function NotFound() {
  return null;
}
