// Server-side validation of the local sign-in and sign-up forms.

export const EMAIL_MAX = 254;
export const NAME_MAX = 100;
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

/** The provider's 400 message ("email: must be …; firstName: …") split by field. */
export function providerFieldErrors(message: string): FormErrors {
  const errors: FormErrors = {};
  for (const part of message.split(';')) {
    const match = /^\s*(email|firstName|lastName)\s*:\s*(.+)$/.exec(part);
    if (match) {
      const field = match[1] as 'email' | 'firstName' | 'lastName';
      const label = field === 'email' ? 'Email' : field === 'firstName' ? 'First name' : 'Last name';
      errors[field] ??= `${label} ${match[2]!.trim()}`;
    } else if (part.trim()) {
      errors.form ??= part.trim();
    }
  }
  return errors;
}
