// A Response a loader throws reaches the browser through Remix, which by default keeps only its cookies
// on the document. The rate-limited page must keep the API's Retry-After too: root.tsx's `headers` export
// does that. Checked through Remix's own request handler, with a build of just the root and one route.
import { createRequestHandler, type ServerBuild } from '@remix-run/node';
import { describe, expect, it } from 'vitest';

const PAGE_ID = 'routes/page';

function throwingLoader(status: number, headers: Record<string, string>) {
  return () => {
    throw new Response(JSON.stringify({ code: 'RATE_LIMITED', message: 'Too many requests', requestId: 'r' }), {
      status,
      headers: { 'Content-Type': 'application/json', 'Set-Cookie': '__session=fresh; Path=/', ...headers },
    });
  };
}

/** The smallest build Remix serves: the root (with the app's `headers`, or none) and a page whose loader throws. */
function buildWith(rootHeaders: unknown, loader: () => never): ServerBuild {
  const entryRoute = (id: string, parentId?: string) => ({
    id,
    parentId,
    path: id === 'root' ? '' : 'page',
    module: `/${id}.js`,
    hasAction: false,
    hasLoader: id !== 'root',
    hasClientAction: false,
    hasClientLoader: false,
    hasErrorBoundary: id === 'root',
  });
  return {
    mode: 'production',
    // The document is not rendered here: the status and headers Remix decided on are what is checked.
    entry: {
      module: {
        default: (_request: Request, status: number, headers: Headers) => new Response('document', { status, headers }),
      },
    },
    routes: {
      root: {
        id: 'root',
        path: '',
        module: { default: () => null, ErrorBoundary: () => null, ...(rootHeaders ? { headers: rootHeaders } : {}) },
      },
      [PAGE_ID]: { id: PAGE_ID, parentId: 'root', path: 'page', module: { default: () => null, loader } },
    },
    assets: {
      entry: { imports: [], module: '/entry.client.js' },
      routes: { root: entryRoute('root'), [PAGE_ID]: entryRoute(PAGE_ID, 'root') },
      url: '/manifest.js',
      version: 'test',
    },
    publicPath: '/',
    assetsBuildDirectory: 'build/client',
    future: {} as ServerBuild['future'],
    isSpaMode: false,
  } as unknown as ServerBuild;
}

async function rootHeaders() {
  return (await import('~/root')).headers;
}

describe("the rate-limited page's headers", () => {
  it('keeps Retry-After (and the refreshed cookie) on the document', async () => {
    const handler = createRequestHandler(buildWith(await rootHeaders(), throwingLoader(429, { 'Retry-After': '37' })));
    const response = await handler(new Request('http://localhost/page'));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('37');
    expect(response.headers.get('set-cookie')).toBe('__session=fresh; Path=/');
  });

  it('would lose it without the root headers export (why root.tsx has one)', async () => {
    const handler = createRequestHandler(buildWith(undefined, throwingLoader(429, { 'Retry-After': '37' })));
    const response = await handler(new Request('http://localhost/page'));
    expect(response.status).toBe(429);
    expect(response.headers.has('retry-after')).toBe(false);
  });

  it('keeps it on a data request (client-side navigation)', async () => {
    const handler = createRequestHandler(buildWith(await rootHeaders(), throwingLoader(429, { 'Retry-After': '37' })));
    const response = await handler(new Request(`http://localhost/page?_data=${encodeURIComponent(PAGE_ID)}`));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('37');
  });

  it('adds nothing to other error pages, or to pages that worked', async () => {
    const headers = await rootHeaders();
    const failed = await createRequestHandler(buildWith(headers, throwingLoader(503, {})))(
      new Request('http://localhost/page'),
    );
    expect(failed.status).toBe(503);
    expect(failed.headers.has('retry-after')).toBe(false);
    const worked = new Headers(headers({ errorHeaders: undefined } as Parameters<typeof headers>[0]));
    expect([...worked.keys()]).toEqual([]);
  });
});
