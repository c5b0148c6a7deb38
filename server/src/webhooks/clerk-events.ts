// The parts of Clerk's webhook payloads we act on, validated. Clerk sends many more fields; they
// are allowed and ignored. A known event type whose data lacks what we need is refused (400),
// because applying half an event would silently diverge from Clerk.
import { z } from 'zod';

/** Clerk ids are short ASCII strings like user_2abc or sess_2abc; bounded so nothing odd reaches SQL. */
const clerkId = z
  .string()
  .min(1)
  .max(191)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a Clerk id');

/** Milliseconds since the epoch, as Clerk sends `created_at` and `updated_at`. */
const epochMillis = z.number().int().nonnegative().max(8.64e15);

/** PostgreSQL text cannot hold NUL: refuse it here (400) rather than fail every retry in SQL. */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters');

const optionalText = (max: number) => text(max).nullish();

/**
 * Clerk's verification of an address: we act only on `status === 'verified'`. Any other shape,
 * or none, is "not verified" rather than a refused event (it decides nothing else).
 */
const verificationSchema = z
  .looseObject({ status: z.string().max(100).nullish() })
  .nullish()
  .catch(null);

const clerkUserSchema = z.looseObject({
  id: clerkId,
  email_addresses: z
    .array(z.looseObject({ id: text(191), email_address: text(320), verification: verificationSchema }))
    .max(100)
    .default([]),
  primary_email_address_id: optionalText(191),
  first_name: optionalText(256),
  last_name: optionalText(256),
  image_url: optionalText(2048),
  updated_at: epochMillis,
});

const clerkDeletedObjectSchema = z.looseObject({
  id: clerkId,
  deleted: z.literal(true).optional(),
});

const clerkSessionSchema = z.looseObject({
  id: clerkId,
  user_id: clerkId,
  created_at: epochMillis,
});

export type ClerkUser = z.infer<typeof clerkUserSchema>;
export type ClerkSession = z.infer<typeof clerkSessionSchema>;

export const SIGN_OUT_EVENT_TYPES = ['session.ended', 'session.removed', 'session.revoked'] as const;

export type ClerkEvent =
  | { type: 'user.created' | 'user.updated'; data: ClerkUser }
  | { type: 'user.deleted'; data: { id: string } }
  | { type: 'session.created'; data: ClerkSession }
  | { type: (typeof SIGN_OUT_EVENT_TYPES)[number]; data: ClerkSession }
  | { type: 'other'; eventType: string };

const envelopeSchema = z.looseObject({
  type: text(100).pipe(z.string().min(1)),
  object: z.literal('event').optional(),
  data: z.looseObject({}),
});

export class InvalidEventError extends Error {
  override name = 'InvalidEventError';
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, label: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidEventError(`${label}: ${describe(parsed.error)}`);
  return parsed.data;
}

/** Parses a verified raw body into the event we act on; throws InvalidEventError when it cannot. */
export function parseClerkEvent(rawBody: string): ClerkEvent {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new InvalidEventError('body is not valid JSON');
  }
  const envelope = parseWith(envelopeSchema, json, 'event');
  const { type, data } = envelope;
  switch (type) {
    case 'user.created':
    case 'user.updated':
      return { type, data: parseWith(clerkUserSchema, data, 'data') };
    case 'user.deleted':
      return { type, data: parseWith(clerkDeletedObjectSchema, data, 'data') };
    case 'session.created':
    case 'session.ended':
    case 'session.removed':
    case 'session.revoked':
      return { type, data: parseWith(clerkSessionSchema, data, 'data') };
    default:
      return { type: 'other', eventType: type };
  }
}

export interface PrimaryEmail {
  /** Lower-cased. */
  email: string;
  /** Clerk's verification.status of this address is 'verified'. */
  verified: boolean;
}

/** The primary address, or the first one when Clerk names none (a user may have no email at all). */
export function primaryEmailAddressOf(user: ClerkUser): PrimaryEmail | null {
  const primary = user.email_addresses.find((address) => address.id === user.primary_email_address_id);
  const address = primary ?? user.email_addresses[0];
  if (!address) return null;
  return { email: address.email_address.toLowerCase(), verified: address.verification?.status === 'verified' };
}

export function primaryEmailOf(user: ClerkUser): string | null {
  return primaryEmailAddressOf(user)?.email ?? null;
}
