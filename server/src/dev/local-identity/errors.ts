// The local identity provider's expected failures: one class, told apart by `code` (the HTTP routes map
// each code to a status). Invalid input carries zod's issues one by one, so a form can show them by field.
import type { LocalAuthIssue } from '@deal-brain/shared/local-auth';
import type { z } from 'zod';

export type LocalIdentityErrorCode =
  | 'invalid_input'
  | 'identity_not_found'
  | 'identity_exists'
  | 'identity_protected'
  | 'identity_banned'
  | 'session_not_found';

/** One problem with an input; `path` locates it (`['email']`), empty for the input as a whole. */
export type InputIssue = LocalAuthIssue;

export class LocalIdentityError extends Error {
  override name = 'LocalIdentityError';
  constructor(
    readonly code: LocalIdentityErrorCode,
    message: string,
    readonly issues: InputIssue[] = [],
  ) {
    super(message);
  }
}

export function inputIssues(error: z.ZodError): InputIssue[] {
  return error.issues.map(({ path, message }) => ({
    path: path.map((key) => (typeof key === 'number' ? key : String(key))),
    message,
  }));
}

/** One line naming every problem, e.g. `email: must be a valid email address; firstName: must be ...`. */
export function describeIssues(issues: InputIssue[]): string {
  return issues.map(({ path, message }) => (path.length > 0 ? `${path.join('.')}: ${message}` : message)).join('; ');
}

/** `value` as `schema` reads it, or an invalid_input error; `label` names a value that has no path (a ttl). */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, label?: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = inputIssues(parsed.error).map((issue) => (label ? { ...issue, path: [label, ...issue.path] } : issue));
  throw new LocalIdentityError('invalid_input', describeIssues(issues), issues);
}
