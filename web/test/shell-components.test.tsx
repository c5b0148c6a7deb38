// The signed-in shell's pieces rendered to HTML as the server sends them: the maintenance banner (text,
// never markup), the Admin link (admins only), the Security activity section, and the error page a new
// identity gets while sign-ups are closed (no browser test turns sign-ups off: other specs run alongside).
import { ERROR_CODES } from '@deal-brain/shared/error-codes';
import type { ReactElement } from 'react';
import { renderToString } from 'react-dom/server';
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from 'react-router-dom/server';
import { describe, expect, it } from 'vitest';
import { ErrorPage } from '~/components/error-page';
import { MaintenanceBanner } from '~/components/maintenance-banner';
import { SecurityActivitySection, type ActivityRow } from '~/components/settings-security-activity';
import { UserMenu, type MenuUser } from '~/components/user-menu';

/** Renders inside a data router on the server, as Remix does (Form and Link need one). */
async function render(element: ReactElement): Promise<string> {
  const handler = createStaticHandler([{ path: '*', element }]);
  const context = await handler.query(new Request('http://localhost/settings'));
  if (context instanceof Response) throw new Error('unexpected redirect');
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(<StaticRouterProvider router={router} context={context} hydrate={false} />);
}

/** What isRouteErrorResponse recognises: a Response thrown by a loader, as Remix hands it to the boundary. */
function routeError(status: number, data: unknown) {
  return { status, statusText: '', internal: false, data };
}

describe('MaintenanceBanner', () => {
  it('shows the text in a status region, as text: markup in it is escaped', () => {
    const html = renderToString(<MaintenanceBanner message={'Upgrade <b>tonight</b> & <script>alert(1)</script>'} />);
    expect(html).toContain('<section aria-label="Service notice"');
    expect(html).toContain('data-testid="maintenance-banner"');
    expect(html).toContain('Upgrade &lt;b&gt;tonight&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
  });

  it('renders nothing without a banner (null, empty or blank)', () => {
    for (const message of [null, undefined, '', '   ']) {
      expect(renderToString(<MaintenanceBanner message={message} />)).toBe('');
    }
  });

  it('has its own dark colours', () => {
    const html = renderToString(<MaintenanceBanner message="Heads up" />);
    expect(html).toMatch(/dark:bg-amber-900/);
    expect(html).toMatch(/dark:text-amber-50/);
  });
});

describe('UserMenu', () => {
  const user: MenuUser = { email: 'bob@example.com', firstName: 'Bob', lastName: 'B', imageUrl: null };

  it('links to /admin for an admin', async () => {
    const html = await render(<UserMenu user={{ ...user, role: 'ADMIN' }} />);
    expect(html).toMatch(/<a[^>]*href="\/admin"[^>]*>Admin<\/a>/);
  });

  it('has no Admin link for a user, or when the role is unknown (the API could not answer)', async () => {
    for (const role of ['USER', null, undefined] as const) {
      const html = await render(<UserMenu user={{ ...user, role }} />);
      expect(html).not.toContain('href="/admin"');
      expect(html).toContain('href="/settings"');
    }
  });
});

describe('ErrorPage', () => {
  it('explains closed sign-ups and offers to sign out', async () => {
    const html = await render(
      <ErrorPage
        error={routeError(403, {
          code: ERROR_CODES.SIGNUPS_DISABLED,
          message: 'Sign-ups are closed',
          requestId: 'r-1',
        })}
      />,
    );
    expect(html).toContain('data-testid="signups-disabled"');
    expect(html).toContain('Sign-ups are closed</h1>');
    expect(html).toContain('an administrator has turned sign-ups off');
    expect(html).toContain('Existing accounts work as usual');
    expect(html).toMatch(/<form[^>]*method="post"[^>]*action="\/sign-out"/);
    expect(html).toContain('Sign out</button>');
    expect(html).toContain('r-1');
    // Not the generic 403 page.
    expect(html).not.toContain('Not allowed');
  });

  it('keeps the disabled-account and forbidden pages apart from it', async () => {
    const disabled = await render(<ErrorPage error={routeError(403, { code: ERROR_CODES.ACCOUNT_DISABLED })} />);
    expect(disabled).toContain('Your account is disabled');
    expect(disabled).not.toContain('Sign-ups are closed');
    const forbidden = await render(<ErrorPage error={routeError(403, { code: ERROR_CODES.FORBIDDEN })} />);
    expect(forbidden).toContain('Not allowed');
    expect(forbidden).not.toContain('Sign-ups are closed');
  });
});

describe('ErrorPage: refusals worth waiting out', () => {
  it('says how long to wait when the API rate-limited the request', async () => {
    const html = await render(
      <ErrorPage
        error={routeError(429, {
          code: ERROR_CODES.RATE_LIMITED,
          message: 'Too many requests, try again in 37 seconds',
          requestId: 'r-2',
        })}
      />,
    );
    expect(html).toContain('data-testid="rate-limited"');
    expect(html).toContain('Too many requests</h1>');
    expect(html).toContain('Too many requests, try again in 37 seconds.');
    expect(html).toContain('r-2');
    expect(html).not.toContain('Something went wrong');
  });

  it('has words of its own for a 429 that carries no message', async () => {
    const html = await render(<ErrorPage error={routeError(429, null)} />);
    expect(html).toContain('Too many requests, try again in a moment.');
  });

  it('says the request took too long on TIMEOUT', async () => {
    const html = await render(
      <ErrorPage
        error={routeError(503, {
          code: ERROR_CODES.TIMEOUT,
          message: 'The Deal Brain API took too long to answer this request',
          requestId: 'r-3',
        })}
      />,
    );
    expect(html).toContain('data-testid="timed-out"');
    expect(html).toContain('That took too long</h1>');
    expect(html).toContain('Please try again in a moment.');
    expect(html).toContain('r-3');
  });

  it('has a page of its own for the API being unavailable, with the request id', async () => {
    const html = await render(
      <ErrorPage
        error={routeError(503, {
          code: 'API_UNAVAILABLE',
          message: 'The Deal Brain API is not reachable right now',
          requestId: 'r-503',
        })}
      />,
    );
    expect(html).toContain('data-testid="api-unavailable"');
    expect(html).toContain('Deal Brain is not reachable right now</h1>');
    expect(html).toContain('The Deal Brain API is not reachable right now. Please try again in a moment.');
    expect(html).toContain('r-503');
    expect(html).not.toContain('took too long');
    expect(html).not.toContain('Too many requests');
  });
});

describe('SecurityActivitySection', () => {
  const event = (overrides: Partial<ActivityRow>): ActivityRow => ({
    id: 'QXVkaXRFdmVudDox',
    type: 'auth.sign_in',
    label: 'Signed in',
    createdAt: '7 Dec 2026, 10:00 UTC',
    createdAtIso: '2026-12-07T10:00:00.000Z',
    ip: '203.0.113.7',
    browser: 'Chrome 120 on Linux',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0',
    count: 1,
    reason: null,
    ...overrides,
  });

  it('lists each event with its label, time, address and browser', async () => {
    const html = await render(<SecurityActivitySection events={[event({})]} olderTo={null} newestTo={null} />);
    expect(html).toContain('Security activity</h2>');
    expect(html).toContain('Signed in');
    expect(html).toContain('dateTime="2026-12-07T10:00:00.000Z"');
    expect(html).toContain('203.0.113.7');
    expect(html).toContain('Chrome 120 on Linux');
    expect(html).toContain('title="Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0"');
    expect(html).not.toContain('security-event-count');
    expect(html).not.toContain('Pagination');
  });

  it('shows the count of an aggregated event and the reason of an admin action', async () => {
    const html = await render(
      <SecurityActivitySection
        events={[
          event({ id: 'a', type: 'api_key.refused', label: 'API key refused', count: 12 }),
          event({ id: 'b', type: 'user.deactivated', label: 'Account deactivated', reason: 'Spam <a>' }),
        ]}
        olderTo={null}
        newestTo={null}
      />,
    );
    expect(html).toMatch(/data-testid="security-event-count"[^>]*>×<!-- -->12</);
    expect(html).toContain('Reason: <!-- -->Spam &lt;a&gt;');
  });

  it('shows an em dash for what was not recorded', async () => {
    const html = await render(
      <SecurityActivitySection
        events={[event({ ip: null, browser: null, userAgent: null })]}
        olderTo={null}
        newestTo={null}
      />,
    );
    expect(html.match(/>—</g)).toHaveLength(2);
    expect(html.match(/Not recorded/g)).toHaveLength(2);
  });

  it('pages with Older and Newest links', async () => {
    const html = await render(
      <SecurityActivitySection
        events={[event({})]}
        olderTo="/settings?activity=abc#security-activity"
        newestTo="/settings#security-activity"
      />,
    );
    expect(html).toContain('href="/settings?activity=abc#security-activity"');
    expect(html).toContain('Older →');
    expect(html).toContain('← Newest');
  });

  it('has an empty state, and says so when the API could not answer', async () => {
    expect(await render(<SecurityActivitySection events={[]} olderTo={null} newestTo={null} />)).toContain(
      'No security activity yet.',
    );
    expect(
      await render(<SecurityActivitySection events={[]} olderTo={null} newestTo="/settings#security-activity" />),
    ).toContain('No older activity.');
    expect(await render(<SecurityActivitySection events={null} olderTo={null} newestTo={null} />)).toContain(
      'could not be loaded right now',
    );
  });
});
