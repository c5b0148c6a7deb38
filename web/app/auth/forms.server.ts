// Server-side validation of the local sign-in and sign-up forms.
import { IDENTITY_LIMITS } from '@deal-brain/shared/field-limits';
import type { ProviderIssue } from './local-provider.server';

// The provider's own limits (@deal-brain/shared), checked here first so the form answers beside the field.
const { emailLength: EMAIL_MAX, nameLength: NAME_MAX } = IDENTITY_LIMITS;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type FormErrors = Partial<Record<'email' | 'firstName' | 'lastName' | 'form', string>>;

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

export function validateEmail(email: string): string | undefined {
  if (!email) return 'Email is required';
  if (email.length > EMAIL_MAX) return `Email must be at most ${EMAIL_MAX} characters`;
  if (!EMAIL.test(email)) return 'Enter a valid email address, like name@example.com';
  return undefined;
}

export function parseSignIn(form: FormData): { email: string; errors: FormErrors } {
  const email = text(form, 'email').toLowerCase();
  const error = validateEmail(email);
  return { email, errors: error ? { email: error } : {} };
}

export function parseSignUp(form: FormData): {
  values: { email: string; firstName: string; lastName: string };
  errors: FormErrors;
} {
  const values = {
    email: text(form, 'email').toLowerCase(),
    firstName: text(form, 'firstName'),
    lastName: text(form, 'lastName'),
  };
  const errors: FormErrors = {};
  const emailError = validateEmail(values.email);
  if (emailError) errors.email = emailError;
  if (!values.firstName) errors.firstName = 'First name is required';
  else if (values.firstName.length > NAME_MAX) errors.firstName = `First name must be at most ${NAME_MAX} characters`;
  if (!values.lastName) errors.lastName = 'Last name is required';
  else if (values.lastName.length > NAME_MAX) errors.lastName = `Last name must be at most ${NAME_MAX} characters`;
  return { values, errors };
}

const FIELD_LABELS = { email: 'Email', firstName: 'First name', lastName: 'Last name' } as const;

function isField(key: unknown): key is keyof typeof FIELD_LABELS {
  return typeof key === 'string' && Object.hasOwn(FIELD_LABELS, key);
}

/** The provider's 400 answer by field: each issue goes to the field its path names, the rest to the form. */
export function providerFieldErrors(error: { message: string; issues: readonly ProviderIssue[] }): FormErrors {
  if (error.issues.length === 0) return { form: error.message };
  const errors: FormErrors = {};
  for (const { path, message } of error.issues) {
    const [field] = path;
    if (path.length === 1 && isField(field)) errors[field] ??= `${FIELD_LABELS[field]} ${message}`;
    else errors.form ??= message;
  }
  return errors;
}
