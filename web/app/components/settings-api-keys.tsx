// Settings → API keys: the viewer's personal keys (revoked and expired ones included), a form to create
// one, and, right after creating it, the secret — shown this once, never stored by the web app.
import { Form } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { DataTable, type Column } from './data-table';
import { smallButton, smallDangerButton } from './collection-ui';
import { FormErrors, TextField, buttonClass } from './fields';
import { Badge, ConfirmRevoke, SettingsSection, type ActionErrors, type FormValues } from './settings-ui';

export type KeyStatus = 'active' | 'expired' | 'revoked';

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  status: KeyStatus;
}

export interface CreatedKey {
  name: string;
  prefix: string;
  scopes: string[];
  expiresAt: string | null;
  secret: string;
}

const COLUMNS: Column[] = [
  { label: 'Name' },
  { label: 'Prefix' },
  { label: 'Scopes' },
  { label: 'Created' },
  { label: 'Last used' },
  { label: 'Expires' },
  { label: 'Status' },
  { label: 'Actions', visuallyHidden: true },
];

const STATUS = {
  active: { label: 'Active', tone: 'green' },
  expired: { label: 'Expired', tone: 'slate' },
  revoked: { label: 'Revoked', tone: 'red' },
} as const;

const SCOPE_LABELS: Record<string, string> = { READ: 'Read', WRITE: 'Write' };

/**
 * The new key's secret: a read-only field (select it and copy, with or without JavaScript) and, once
 * JavaScript runs, a Copy button that uses the clipboard.
 */
function NewKeyPanel({ created }: { created: CreatedKey }) {
  const input = useRef<HTMLInputElement>(null);
  const [canCopy, setCanCopy] = useState(false);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  useEffect(() => {
    setCanCopy(typeof navigator !== 'undefined' && Boolean(navigator.clipboard));
  }, []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.secret);
      setCopied('yes');
    } catch {
      input.current?.select();
      setCopied('failed');
    }
  };
  return (
    <div
      className="mt-4 rounded-md border border-green-200 bg-green-50 p-4 text-sm text-green-800"
      data-testid="new-api-key"
    >
      <h3 className="font-semibold">Your new key “{created.name}”</h3>
      <p className="mt-1 font-medium text-amber-900 dark:text-amber-200" role="alert">
        Copy it now: it will not be shown again. Anyone with this key can act as you through the API
        {created.scopes.includes('WRITE') ? ', including changing your data' : ''}.
      </p>
      <label htmlFor="new-api-key-secret" className="mt-3 block font-medium text-slate-800">
        API key
      </label>
      <div className="mt-1 flex flex-col gap-2 sm:flex-row">
        <input
          ref={input}
          id="new-api-key-secret"
          readOnly
          value={created.secret}
          spellCheck={false}
          autoComplete="off"
          onFocus={(event) => event.currentTarget.select()}
          className="block w-full min-w-0 rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm text-slate-900"
          data-testid="api-key-secret"
        />
        {canCopy ? (
          <button type="button" className={smallButton} onClick={() => void copy()}>
            Copy<span className="sr-only"> the API key</span>
          </button>
        ) : null}
      </div>
      <p className="mt-2 text-xs" role="status" data-testid="copy-status">
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'failed'
            ? 'Could not copy: the key is selected, copy it with your keyboard.'
            : ''}
      </p>
      <p className="mt-1 text-xs text-slate-600">
        Send it as <code className="font-mono">Authorization: Bearer …</code> to the API&apos;s /graphql endpoint.
      </p>
    </div>
  );
}

export function ApiKeysSection({
  keys,
  created,
  confirmId,
  scopes,
  expiry,
  maxLive,
  nameLength,
  notice,
  errors,
  values,
  rowError,
  busy,
}: {
  keys: ApiKeyRow[];
  created: CreatedKey | null;
  confirmId: string | null;
  scopes: { value: string; label: string; description: string }[];
  expiry: { min: string; max: string };
  maxLive: number;
  nameLength: number;
  notice: string | null;
  /** The create form's errors and what it sent, when it failed. */
  errors: ActionErrors;
  values: FormValues | null;
  /** A failed revoke. */
  rowError: string | undefined;
  busy: boolean;
}) {
  const confirming = keys.find((key) => key.id === confirmId && key.status === 'active') ?? null;
  const pickedScopes = values?.scopes !== undefined ? values.scopes.split(',') : ['READ'];
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <SettingsSection
      id="api-keys"
      title="API keys"
      description={`Personal keys let your own programs call the API as you. You can have ${maxLive} active keys.`}
      notice={notice}
      error={rowError}
    >
      {created ? <NewKeyPanel created={created} /> : null}
      {confirming ? (
        <ConfirmRevoke
          question={`Revoke the key “${confirming.name}” (${confirming.prefix})?`}
          consequence="Programs using it are refused from their next request. This cannot be undone."
          field="id"
          value={confirming.id}
          intent="revoke-api-key"
          confirmLabel="Yes, revoke key"
          cancelTo="/settings#api-keys"
          busy={busy}
          testId="confirm-revoke-api-key"
        />
      ) : null}

      {keys.length === 0 ? (
        <p className="mt-4 text-sm text-slate-600" data-testid="api-keys-empty">
          You have no API keys.
        </p>
      ) : (
        <DataTable caption="Your API keys, newest first" columns={COLUMNS} bodyTestId="api-keys">
          {keys.map((key) => (
            <tr key={key.id} data-testid="api-key-row">
              <th scope="row" className="max-w-xs break-words px-4 py-3 text-left font-medium">
                {key.name}
              </th>
              <td className="whitespace-nowrap px-4 py-3 font-mono text-xs" data-testid="api-key-prefix">
                {key.prefix}
              </td>
              <td className="px-4 py-3">{key.scopes.map((scope) => SCOPE_LABELS[scope] ?? scope).join(', ')}</td>
              <td className="whitespace-nowrap px-4 py-3">{key.createdAt}</td>
              <td className="whitespace-nowrap px-4 py-3">{key.lastUsedAt ?? 'Never'}</td>
              <td className="whitespace-nowrap px-4 py-3">{key.expiresAt ?? 'Never'}</td>
              <td className="px-4 py-3">
                <Badge tone={STATUS[key.status].tone} testId="api-key-status">
                  {STATUS[key.status].label}
                </Badge>
              </td>
              <td className="whitespace-nowrap px-4 py-3 text-right">
                {key.status === 'active' ? (
                  <Form method="post" action="/settings#api-keys">
                    <input type="hidden" name="id" value={key.id} />
                    <button
                      type="submit"
                      name="intent"
                      value="confirm-revoke-api-key"
                      className={smallDangerButton}
                      disabled={busy}
                    >
                      Revoke<span className="sr-only"> {key.name}</span>
                    </button>
                  </Form>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      )}

      <Form
        method="post"
        noValidate
        className="mt-6 space-y-4 border-t border-slate-100 pt-6"
        aria-label="Create an API key"
      >
        <h3 className="font-semibold">Create a key</h3>
        <FormErrors message={errors.form ?? (hasErrors ? 'Please correct the fields marked below.' : null)} />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            name="name"
            label="Key name"
            hint="What uses it, e.g. “Price tracker script”."
            required
            maxLength={nameLength}
            defaultValue={values?.name ?? ''}
            error={errors.name}
          />
          <TextField
            name="expiresAt"
            label="Expires on (optional)"
            type="date"
            min={expiry.min}
            max={expiry.max}
            hint="It stops working at 00:00 UTC that day; at most a year ahead. Empty: no expiry."
            defaultValue={values?.expiresAt ?? ''}
            error={errors.expiresAt}
          />
        </div>
        <fieldset aria-describedby={errors.scopes ? 'field-scopes-error' : undefined}>
          <legend className="text-sm font-medium text-slate-800">Scopes</legend>
          <div className="mt-2 space-y-2">
            {scopes.map((scope) => (
              <div key={scope.value} className="flex items-start gap-3">
                <input
                  id={`field-scope-${scope.value}`}
                  type="checkbox"
                  name="scopes"
                  value={scope.value}
                  defaultChecked={pickedScopes.includes(scope.value)}
                  aria-describedby={`field-scope-${scope.value}-hint`}
                  className="mt-0.5 h-4 w-4 accent-indigo-600"
                />
                <div>
                  <label htmlFor={`field-scope-${scope.value}`} className="text-sm font-medium text-slate-800">
                    {scope.label}
                  </label>
                  <p id={`field-scope-${scope.value}-hint`} className="text-xs text-slate-500">
                    {scope.description}
                  </p>
                </div>
              </div>
            ))}
          </div>
          {errors.scopes ? (
            <p id="field-scopes-error" className="mt-1 text-sm text-red-700" data-testid="error-scopes">
              {errors.scopes}
            </p>
          ) : null}
        </fieldset>
        <button type="submit" name="intent" value="create-api-key" className={buttonClass} disabled={busy}>
          Create key
        </button>
      </Form>
    </SettingsSection>
  );
}
