// Local identities: the demo ones, always there, and the ones created since. Created identities and
// changed demo ones are written to the state directory after every change.
import path from 'node:path';
import { DEMO_IDENTITIES } from '@deal-brain/shared/demo-identities';
import { IDENTITY_LIMITS } from '@deal-brain/shared/field-limits';
import { z } from 'zod';
import { parseStateFile, readOptionalFile, writeFileAtomically } from '../state-files.js';
import { LocalIdentityError } from './errors.js';

export interface LocalIdentity {
  clerkId: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  imageUrl: string | null;
  /** Milliseconds since the epoch, like Clerk's `created_at`. */
  createdAt: number;
  /** Milliseconds since the epoch, like Clerk's `updated_at`: strictly increasing per identity. */
  updatedAt: number;
  /** Banned (Clerk's POST /v1/users/:id/ban): its sessions ended and it cannot sign in. Absent: not banned. */
  banned?: boolean;
}

/** A fixed date keeps demo identities identical across restarts and machines. */
const DEMO_CREATED_AT = Date.UTC(2024, 0, 1);

/** The shared demo identities as the provider holds them until their profile changes. */
export const DEMO_LOCAL_IDENTITIES: readonly LocalIdentity[] = Object.freeze(
  DEMO_IDENTITIES.map(({ clerkId, email, firstName, lastName }) =>
    Object.freeze({
      clerkId,
      email,
      firstName,
      lastName,
      imageUrl: null,
      createdAt: DEMO_CREATED_AT,
      updatedAt: DEMO_CREATED_AT,
    }),
  ),
);

export function isDemoIdentity(clerkId: string): boolean {
  return DEMO_IDENTITIES.some((demo) => demo.clerkId === clerkId);
}

// ---------------------------------------------------------------------------------------------------------
// Input

const { emailLength, nameLength } = IDENTITY_LIMITS;
const nameLimit = `must be at most ${nameLength} characters`;

export const emailSchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
  .trim()
  .max(emailLength, `must be at most ${emailLength} characters`)
  .pipe(z.email('must be a valid email address'))
  .transform((email) => email.toLowerCase());

/** A name of a new identity: absent or blank is null. */
const newNameSchema = z
  .string({ error: 'must be a string or null' })
  .trim()
  .max(nameLength, nameLimit)
  .nullish()
  .transform((name) => name || null);

export const identityInputSchema = z.strictObject({
  email: emailSchema,
  firstName: newNameSchema,
  lastName: newNameSchema,
});

/** A profile change, as the settings page sends it: absent fields stay as they are. */
export const identityUpdateSchema = z.strictObject({
  firstName: z.string().trim().max(nameLength, nameLimit).nullable().optional(),
  lastName: z.string().trim().max(nameLength, nameLimit).nullable().optional(),
  imageUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
    .max(2048, 'must be at most 2048 characters')
    .nullable()
    .optional(),
});

export type IdentityInput = z.input<typeof identityInputSchema>;
export type IdentityUpdate = z.input<typeof identityUpdateSchema>;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function identityNotFound(lookup: string, by: 'email' | 'id'): LocalIdentityError {
  return new LocalIdentityError('identity_not_found', `No local identity with ${by} ${lookup}`);
}

// ---------------------------------------------------------------------------------------------------------
// Store

const IDENTITIES_FILE = 'identities.json';
const identitiesFileSchema = z.object({
  version: z.literal(1),
  identities: z.array(
    z.object({
      clerkId: z.string().min(1),
      email: z.string().min(1),
      firstName: z.string().nullable(),
      lastName: z.string().nullable(),
      imageUrl: z.string().nullable(),
      createdAt: z.number(),
      // Absent in files written before profiles could change.
      updatedAt: z.number().optional(),
      // Absent in files written before identities could be banned.
      banned: z.boolean().optional(),
    }),
  ),
});

/**
 * Identities in list order (demo ones first), frozen so no caller can change one behind the store's back.
 * Every change is in memory at once — so a concurrent create with the same email is refused — and undone
 * there when writing it to the file fails.
 */
export class IdentityStore {
  private readonly byId = new Map<string, LocalIdentity>();
  /** The Clerk ids the file holds, in order: created identities and demo identities whose profile changed. */
  private readonly persisted = new Set<string>();
  /** Serializes writes so a slow earlier write cannot overwrite a later one. */
  private writes: Promise<void> = Promise.resolve();

  private constructor(private readonly file: string | null) {}

  /** Null `stateDir`: memory only. */
  static async open(stateDir: string | null): Promise<IdentityStore> {
    const store = new IdentityStore(stateDir === null ? null : path.join(stateDir, IDENTITIES_FILE));
    store.load(await readStoredIdentities(store.file));
    return store;
  }

  findByEmail(email: string): LocalIdentity | undefined {
    const wanted = normalizeEmail(email);
    return this.all().find((identity) => identity.email === wanted);
  }

  findById(clerkId: string): LocalIdentity | undefined {
    return this.byId.get(clerkId);
  }

  all(): LocalIdentity[] {
    return [...this.byId.values()];
  }

  async add(identity: LocalIdentity): Promise<LocalIdentity> {
    if (this.findByEmail(identity.email)) {
      throw new LocalIdentityError('identity_exists', `A local identity with email ${identity.email} already exists`);
    }
    const added = this.put(identity);
    await this.persistOrUndo(() => this.drop(added));
    return added;
  }

  /** Puts `next` in the place of `current` (same Clerk id and email). */
  async replace(current: LocalIdentity, next: LocalIdentity): Promise<LocalIdentity> {
    const wasPersisted = this.persisted.has(current.clerkId);
    const replaced = this.put(next);
    await this.persistOrUndo(() => {
      this.byId.set(current.clerkId, current);
      if (!wasPersisted) this.persisted.delete(current.clerkId);
    });
    return replaced;
  }

  async remove(identity: LocalIdentity): Promise<void> {
    this.drop(identity);
    await this.persistOrUndo(() => this.put(identity));
  }

  private load(stored: LocalIdentity[]): void {
    const storedById = new Map(stored.map((identity) => [identity.clerkId, identity]));
    for (const demo of DEMO_LOCAL_IDENTITIES) {
      const changed = storedById.get(demo.clerkId);
      storedById.delete(demo.clerkId);
      // The email of a demo identity is fixed: the seed and the docs rely on it.
      if (changed) this.put({ ...changed, email: demo.email });
      else this.byId.set(demo.clerkId, demo);
    }
    for (const identity of storedById.values()) {
      if (!this.findByEmail(identity.email)) this.put(identity);
    }
  }

  private put(identity: LocalIdentity): LocalIdentity {
    const frozen = Object.freeze({ ...identity, email: normalizeEmail(identity.email) });
    this.byId.set(frozen.clerkId, frozen);
    this.persisted.add(frozen.clerkId);
    return frozen;
  }

  private drop(identity: LocalIdentity): void {
    this.byId.delete(identity.clerkId);
    this.persisted.delete(identity.clerkId);
  }

  private async persistOrUndo(undo: () => void): Promise<void> {
    try {
      await this.persist();
    } catch (error) {
      undo();
      throw error;
    }
  }

  private persist(): Promise<void> {
    const file = this.file;
    if (file === null) return Promise.resolve();
    const identities = [...this.persisted].flatMap((clerkId) => this.byId.get(clerkId) ?? []);
    const text = `${JSON.stringify({ version: 1, identities }, null, 2)}\n`;
    const write = this.writes.then(() => writeFileAtomically(file, text));
    this.writes = write.catch(() => undefined);
    return write;
  }
}

async function readStoredIdentities(file: string | null): Promise<LocalIdentity[]> {
  const text = file === null ? undefined : await readOptionalFile(file);
  if (file === null || text === undefined) return [];
  return parseStateFile(file, text, identitiesFileSchema).identities.map((identity) => ({
    ...identity,
    updatedAt: identity.updatedAt ?? identity.createdAt,
  }));
}
