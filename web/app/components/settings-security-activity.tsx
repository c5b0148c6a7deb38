// Settings → Security activity: what happened to the viewer's account (sign-ins and sign-outs, key and
// profile changes, an administrator's actions), newest first, 20 a page, from viewer.auditEvents.
import { Link } from '@remix-run/react';
import { DataTable, type Column } from './data-table';
import { SettingsSection } from './settings-ui';

export interface ActivityRow {
  id: string;
  /** The event type (`auth.sign_in`), for tests and tooltips. */
  type: string;
  /** Its label for people ("Signed in"); an unknown type reads as itself. */
  label: string;
  /** Formatted on the server (UTC), so server and browser render the same text. */
  createdAt: string;
  /** The ISO time, for <time dateTime>. */
  createdAtIso: string;
  ip: string | null;
  /** The browser in a few words ("Chrome 120 on Linux"); null when the event recorded none. */
  browser: string | null;
  /** The full recorded user agent, shown as the browser cell's title. */
  userAgent: string | null;
  /** How many attempts an aggregated event stands for (failed sign-ins, refused keys); 1 otherwise. */
  count: number;
  /** An administrator's reason, for their actions on the account. */
  reason: string | null;
}

const COLUMNS: Column[] = [{ label: 'Event' }, { label: 'When' }, { label: 'IP address' }, { label: 'Browser' }];

/** A dash for the eye, words for a screen reader. */
function NotRecorded() {
  return (
    <>
      <span aria-hidden="true">—</span>
      <span className="sr-only">Not recorded</span>
    </>
  );
}

const pageLink = 'font-medium text-indigo-700 underline dark:text-indigo-300';

export function SecurityActivitySection({
  events,
  olderTo,
  newestTo,
}: {
  /** Null when the API could not list them. */
  events: ActivityRow[] | null;
  /** The next page of older events, when there is one. */
  olderTo: string | null;
  /** Back to the newest events, on any page but the first. */
  newestTo: string | null;
}) {
  return (
    <SettingsSection
      id="security-activity"
      title="Security activity"
      description="What happened to your account, newest first: sign-ins and sign-outs, API key and profile changes, and an administrator's actions. Something you do not recognise? Revoke the session or key above."
    >
      {events === null ? (
        <p className="mt-4 text-sm text-amber-900" role="status" data-testid="security-activity-unavailable">
          Your security activity could not be loaded right now. Reload the page to try again.
        </p>
      ) : events.length === 0 ? (
        <p className="mt-4 text-sm text-slate-600" data-testid="security-activity-empty">
          {newestTo ? 'No older activity.' : 'No security activity yet.'}
        </p>
      ) : (
        <DataTable
          caption="Your account's security activity, newest first"
          columns={COLUMNS}
          bodyTestId="security-activity"
        >
          {events.map((event) => (
            <tr key={event.id} data-testid="security-event" data-type={event.type}>
              <th scope="row" className="px-4 py-3 text-left align-top font-medium">
                <span data-testid="security-event-label">{event.label}</span>
                {event.count > 1 ? (
                  <span className="ml-2 text-xs font-normal text-slate-600" data-testid="security-event-count">
                    ×{event.count}
                  </span>
                ) : null}
                {event.reason ? (
                  <p className="mt-1 text-xs font-normal text-slate-600" data-testid="security-event-reason">
                    Reason: {event.reason}
                  </p>
                ) : null}
              </th>
              <td className="whitespace-nowrap px-4 py-3 align-top">
                <time dateTime={event.createdAtIso}>{event.createdAt}</time>
              </td>
              <td className="whitespace-nowrap px-4 py-3 align-top" data-testid="security-event-ip">
                {event.ip ? <code className="text-xs">{event.ip}</code> : <NotRecorded />}
              </td>
              <td
                className="px-4 py-3 align-top"
                title={event.userAgent ?? undefined}
                data-testid="security-event-browser"
              >
                {event.browser ?? <NotRecorded />}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {olderTo || newestTo ? (
        <nav aria-label="Security activity pages" className="mt-4 flex justify-between text-sm">
          {newestTo ? (
            <Link to={newestTo} className={pageLink}>
              ← Newest
            </Link>
          ) : (
            <span />
          )}
          {olderTo ? (
            <Link to={olderTo} className={pageLink}>
              Older →
            </Link>
          ) : null}
        </nav>
      ) : null}
    </SettingsSection>
  );
}
