// Settings → Sessions: where the viewer is signed in. Every session but this browser's can be revoked,
// after a confirmation step; this one ends by signing out.
import { Form } from '@remix-run/react';
import { DataTable, type Column } from './data-table';
import { smallDangerButton } from './collection-ui';
import { Badge, ConfirmRevoke, SettingsSection } from './settings-ui';

export interface SessionRow {
  id: string;
  browser: string;
  device: string;
  createdAt: string;
  lastActiveAt: string;
  current: boolean;
}

const COLUMNS: Column[] = [
  { label: 'Browser' },
  { label: 'Device' },
  { label: 'Signed in' },
  { label: 'Last active' },
  { label: 'Actions', visuallyHidden: true },
];

function describe(session: SessionRow): string {
  return `${session.browser} on ${session.device}`;
}

export function SessionsSection({
  sessions,
  confirmId,
  notice,
  error,
  busy,
}: {
  /** Null when the identity provider could not list them. */
  sessions: SessionRow[] | null;
  /** The session whose revoke waits for confirmation. */
  confirmId: string | null;
  notice: string | null;
  error: string | undefined;
  busy: boolean;
}) {
  const confirming = sessions?.find((session) => session.id === confirmId && !session.current) ?? null;
  return (
    <SettingsSection
      id="sessions"
      title="Sessions"
      description="Browsers where you are signed in. Revoke one you do not recognise: it is signed out on its next page load."
      notice={notice}
      error={error}
    >
      {confirming ? (
        <ConfirmRevoke
          question={`Revoke the session of ${describe(confirming)}?`}
          consequence="That browser is signed out on its next page load. This cannot be undone."
          field="sessionId"
          value={confirming.id}
          intent="revoke-session"
          confirmLabel="Yes, revoke session"
          cancelTo="/settings#sessions"
          busy={busy}
          testId="confirm-revoke-session"
        />
      ) : null}
      {sessions === null ? (
        <p className="mt-4 text-sm text-amber-900" role="status" data-testid="sessions-unavailable">
          Your sessions could not be loaded right now. Reload the page to try again.
        </p>
      ) : sessions.length === 0 ? (
        <p className="mt-4 text-sm text-slate-600" data-testid="sessions-empty">
          No active sessions.
        </p>
      ) : (
        <DataTable caption="Your active sessions, most recently active first" columns={COLUMNS} bodyTestId="sessions">
          {sessions.map((session) => (
            <tr key={session.id} data-testid="session-row" data-current={session.current ? 'true' : undefined}>
              <th scope="row" className="whitespace-nowrap px-4 py-3 text-left font-medium">
                {session.browser}
              </th>
              <td className="whitespace-nowrap px-4 py-3">{session.device}</td>
              <td className="whitespace-nowrap px-4 py-3">{session.createdAt}</td>
              <td className="whitespace-nowrap px-4 py-3">{session.lastActiveAt}</td>
              <td className="whitespace-nowrap px-4 py-3 text-right">
                {session.current ? (
                  <Badge tone="indigo" testId="current-session">
                    This device
                  </Badge>
                ) : (
                  <Form method="post" action="/settings#sessions">
                    <input type="hidden" name="sessionId" value={session.id} />
                    <button
                      type="submit"
                      name="intent"
                      value="confirm-revoke-session"
                      className={smallDangerButton}
                      disabled={busy}
                    >
                      Revoke<span className="sr-only"> the session of {describe(session)}</span>
                    </button>
                  </Form>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </SettingsSection>
  );
}
