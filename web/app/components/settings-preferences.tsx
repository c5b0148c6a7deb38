// Settings → Preferences: email notifications, currency, theme, and the default scoring profile and
// valuation ruleset (the active one). One form; every field is on it, so an unticked box means "off". Neither
// default can be cleared: with none to choose from, a line says so instead of the select.
import { Form, Link } from '@remix-run/react';
import type { ReactNode } from 'react';
import { FormErrors, SelectField, buttonClass } from './fields';
import { SettingsSection, type ActionErrors, type FormValues } from './settings-ui';

export interface PreferenceValues {
  securityAlerts: boolean;
  collectionShared: boolean;
  weeklyDigest: boolean;
  currency: string;
  theme: string;
  defaultScoringProfileId: string | null;
  defaultValuationRulesetId: string | null;
}

export interface Choice {
  value: string;
  label: string;
}

const NOTIFICATIONS: { name: 'securityAlerts' | 'collectionShared' | 'weeklyDigest'; label: string; hint: string }[] = [
  {
    name: 'securityAlerts',
    label: 'Security alerts',
    hint: 'A new sign-in, a new API key, or a change to your account.',
  },
  {
    name: 'collectionShared',
    label: 'A collection is shared with me',
    hint: 'When someone shares one of their collections with you.',
  },
  { name: 'weeklyDigest', label: 'Weekly digest', hint: 'Once a week, the best deals among your listings.' },
];

const THEME_LABELS: Record<string, string> = { SYSTEM: 'Match my device', LIGHT: 'Light', DARK: 'Dark' };

function Fieldset({
  legend,
  error,
  name,
  children,
}: {
  legend: string;
  error?: string | undefined;
  name: string;
  children: ReactNode;
}) {
  return (
    <fieldset aria-describedby={error ? `field-${name}-error` : undefined}>
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      {children}
      {error ? (
        <p id={`field-${name}-error`} className="mt-1 text-sm text-red-700" data-testid={`error-${name}`}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/**
 * One of the viewer's scoring profiles or rulesets as a default: a select, with a placeholder only while
 * none is chosen (a default cannot be cleared, only moved); a link to create one when there are none.
 */
function DefaultChoice(props: {
  name: string;
  label: string;
  options: Choice[];
  current: string;
  error: string | undefined;
  placeholder: string;
  empty: { testId: string; text: string; to: string };
}) {
  if (props.options.length === 0) {
    return (
      <div className="text-sm">
        <p className="font-medium text-slate-800">{props.label}</p>
        <p className="mt-1 text-slate-600" data-testid={props.empty.testId}>
          {props.empty.text}{' '}
          <Link to={props.empty.to} className="font-medium text-indigo-700 underline">
            Create one
          </Link>
        </p>
      </div>
    );
  }
  return (
    <SelectField name={props.name} label={props.label} defaultValue={props.current} error={props.error}>
      {props.current ? null : <option value="">{props.placeholder}</option>}
      {props.options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </SelectField>
  );
}

export function PreferencesSection({
  preferences,
  currencies,
  themes,
  scoringProfiles,
  valuationRulesets,
  notice,
  errors,
  values,
  busy,
}: {
  preferences: PreferenceValues;
  currencies: Choice[];
  themes: string[];
  scoringProfiles: Choice[];
  valuationRulesets: Choice[];
  notice: string | null;
  errors: ActionErrors;
  /** What a failed post sent, to put back into the form. */
  values: FormValues | null;
  busy: boolean;
}) {
  const checked = (name: (typeof NOTIFICATIONS)[number]['name']) =>
    values ? values[name] === 'on' : preferences[name];
  const theme = values?.theme ?? preferences.theme;
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <SettingsSection
      id="preferences"
      title="Preferences"
      description="How Deal Brain looks and what it tells you."
      notice={notice}
    >
      <Form method="post" noValidate className="mt-6 space-y-6">
        <FormErrors message={errors.form ?? (hasErrors ? 'Please correct the fields marked below.' : null)} />
        <Fieldset legend="Email notifications" name="notifications">
          <div className="mt-2 space-y-3">
            {NOTIFICATIONS.map((option) => (
              <div key={option.name} className="flex items-start gap-3">
                <input
                  id={`field-${option.name}`}
                  type="checkbox"
                  name={option.name}
                  defaultChecked={checked(option.name)}
                  aria-describedby={`field-${option.name}-hint`}
                  className="mt-0.5 h-4 w-4 rounded border-slate-300 accent-indigo-600"
                />
                <div>
                  <label htmlFor={`field-${option.name}`} className="text-sm font-medium text-slate-800">
                    {option.label}
                  </label>
                  <p id={`field-${option.name}-hint`} className="text-xs text-slate-500">
                    {option.hint}
                  </p>
                </div>
              </div>
            ))}
          </div>
        </Fieldset>

        <div className="grid gap-6 sm:grid-cols-2">
          <SelectField
            name="currency"
            label="Currency"
            defaultValue={values?.currency ?? preferences.currency}
            error={errors.currency}
          >
            {currencies.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </SelectField>

          <Fieldset legend="Theme" error={errors.theme} name="theme">
            <div className="mt-2 flex flex-wrap gap-x-5 gap-y-2">
              {themes.map((option) => (
                <label key={option} className="flex items-center gap-2 text-sm">
                  <input
                    type="radio"
                    name="theme"
                    value={option}
                    defaultChecked={theme === option}
                    className="h-4 w-4 accent-indigo-600"
                  />
                  {THEME_LABELS[option] ?? option}
                </label>
              ))}
            </div>
          </Fieldset>
        </div>
        <p className="-mt-3 text-xs text-slate-500">
          Prices show in your currency as you entered them; nothing is converted.
        </p>

        <div className="grid gap-6 sm:grid-cols-2">
          <DefaultChoice
            name="defaultScoringProfileId"
            label="Default scoring profile"
            options={scoringProfiles}
            current={values?.defaultScoringProfileId ?? preferences.defaultScoringProfileId ?? ''}
            error={errors.defaultScoringProfileId}
            placeholder="Choose a profile"
            empty={{ testId: 'no-scoring-profiles', text: 'You have no scoring profiles yet.', to: '/app/scoring' }}
          />
          <DefaultChoice
            name="defaultValuationRulesetId"
            label="Default valuation ruleset"
            options={valuationRulesets}
            current={values?.defaultValuationRulesetId ?? preferences.defaultValuationRulesetId ?? ''}
            error={errors.defaultValuationRulesetId}
            placeholder="Choose a ruleset"
            empty={{
              testId: 'no-valuation-rulesets',
              text: 'You have no valuation rulesets yet.',
              to: '/app/valuation',
            }}
          />
        </div>

        <button type="submit" name="intent" value="update-preferences" className={buttonClass} disabled={busy}>
          Save preferences
        </button>
      </Form>
    </SettingsSection>
  );
}
