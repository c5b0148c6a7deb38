// Writes that keep "exactly one default while any profile exists". Each runs inside one
// transaction as the viewer (ctx.withRls) and first takes a lock on the owner's profiles, so two
// concurrent requests of one user (two first profiles, two deletes) cannot leave zero defaults or
// try for two. The database refuses two defaults on its own (a partial unique index); the
// "at least one" half is kept here.
import { Prisma } from '#src/generated/prisma/client.js';
import type { Tx } from '#src/db/rls.js';
import { notFound } from '#src/graphql/errors.js';
import type { ScoringWeights } from './score.js';

/**
 * Serialises one owner's default-changing writes until the transaction ends. An advisory lock,
 * not row locks: "no profile yet" has no row to lock. Other owners are not held up (a hash
 * collision only makes two owners wait for each other briefly).
 */
async function lockOwnerProfiles(tx: Tx, ownerId: string): Promise<void> {
  await tx.$executeRaw(Prisma.sql`SELECT pg_advisory_xact_lock(hashtextextended(${`scoring_profiles:${ownerId}`}, 0))`);
}

async function unsetDefault(tx: Tx, ownerId: string): Promise<void> {
  await tx.scoringProfile.updateMany({ where: { ownerId, isDefault: true }, data: { isDefault: false } });
}

export interface NewProfile {
  name: string;
  weights: ScoringWeights;
  isDefault?: boolean | null;
}

/** A new profile; it is the default when asked, or when the owner has no default yet. */
export async function createProfile(tx: Tx, ownerId: string, profile: NewProfile): Promise<string> {
  await lockOwnerProfiles(tx, ownerId);
  const hasDefault = (await tx.scoringProfile.count({ where: { ownerId, isDefault: true } })) > 0;
  const isDefault = profile.isDefault === true || !hasDefault;
  // The old default goes first: the unique index is checked statement by statement.
  if (isDefault && hasDefault) await unsetDefault(tx, ownerId);
  const created = await tx.scoringProfile.create({
    data: { ownerId, name: profile.name, weights: profile.weights, isDefault },
    select: { id: true },
  });
  return created.id;
}

/** The owner's profile `id`, or NOT_FOUND (another user's profile looks exactly like a missing one). */
async function ownProfile(tx: Tx, ownerId: string, id: string) {
  const profile = await tx.scoringProfile.findFirst({ where: { id, ownerId }, select: { id: true, isDefault: true } });
  if (!profile) throw notFound('Scoring profile');
  return profile;
}

/** Makes `id` the owner's default, unsetting the old one. Setting the default again changes nothing. */
export async function setDefaultProfile(tx: Tx, ownerId: string, id: string): Promise<void> {
  await lockOwnerProfiles(tx, ownerId);
  const profile = await ownProfile(tx, ownerId, id);
  if (profile.isDefault) return;
  await unsetDefault(tx, ownerId);
  await tx.scoringProfile.update({ where: { id, ownerId }, data: { isDefault: true }, select: { id: true } });
}

/**
 * Deletes the owner's profile `id`. Deleting the default promotes the most recently updated of
 * the rest; the new default's id is returned (null when the default did not change or none is left).
 */
export async function deleteProfile(tx: Tx, ownerId: string, id: string): Promise<string | null> {
  await lockOwnerProfiles(tx, ownerId);
  const profile = await ownProfile(tx, ownerId, id);
  await tx.scoringProfile.delete({ where: { id, ownerId }, select: { id: true } });
  if (!profile.isDefault) return null;
  const next = await tx.scoringProfile.findFirst({
    where: { ownerId },
    orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
    select: { id: true },
  });
  if (!next) return null;
  await tx.scoringProfile.update({ where: { id: next.id, ownerId }, data: { isDefault: true }, select: { id: true } });
  return next.id;
}
