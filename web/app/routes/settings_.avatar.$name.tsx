// GET /settings/avatar/<name>: local identity mode only, a profile picture the local identity provider
// keeps on the API server, served from this app's origin (lib/avatar.server.ts). Public, like the image
// host it stands in for; names change with the content, so a response never goes stale.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { getConfig } from '~/config.server';
import { LOCAL_IMAGE_NAME, localImageUrl } from '~/lib/avatar.server';
import { guarded } from '~/lib/guard.server';
import { logger } from '~/lib/log.server';
import { requestIdOf } from '~/lib/request-id.server';

const TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' };

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'Cache-Control': 'no-store' } });
}

export const loader = (args: LoaderFunctionArgs) => guarded(args.request, () => avatar(args));

async function avatar({ params, request }: LoaderFunctionArgs): Promise<Response> {
  const name = params.name ?? '';
  const match = LOCAL_IMAGE_NAME.exec(name);
  const config = getConfig();
  if (config.authMode !== 'local' || !match) return notFound();
  try {
    const upstream = await fetch(localImageUrl(name), { signal: AbortSignal.timeout(config.apiTimeoutMs) });
    if (!upstream.ok) {
      await upstream.body?.cancel();
      return notFound();
    }
    return new Response(await upstream.arrayBuffer(), {
      headers: {
        'Content-Type': TYPES[match[1]!]!,
        'Cache-Control': 'public, max-age=31536000, immutable',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
      },
    });
  } catch (error) {
    logger.warn('avatar.unavailable', { requestId: requestIdOf(request), err: (error as Error).message });
    return new Response('The image is not available right now', {
      status: 503,
      headers: { 'Cache-Control': 'no-store' },
    });
  }
}
