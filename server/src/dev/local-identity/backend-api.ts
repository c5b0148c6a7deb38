// The slice of Clerk's Backend API a profile needs, answered from local identities: GET and PATCH
// /v1/users/:id, so `createClerkClient({ apiUrl })` works against local mode.
import { z } from 'zod';
import { clerkUserJson } from '../clerk-payloads.js';
import { parseInput } from './errors.js';
import { identityUpdateSchema } from './identities.js';
import type { Reply, RouteRequest } from './routes.js';

/**
 * @clerk/backend parses a response body as JSON only when Content-Type is exactly `application/json` (as
 * Clerk sends it); with a charset parameter its client would hand back the raw text instead of a User.
 */
const CLERK_API_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

/** The part of Clerk's `PATCH /v1/users/:id` body the settings page uses. */
const userPatchSchema = z.strictObject({
  first_name: identityUpdateSchema.shape.firstName,
  last_name: identityUpdateSchema.shape.lastName,
});

function userNotFound(clerkId: string): Reply {
  return { status: 404, body: { error: 'resource_not_found', message: `No user with id ${clerkId}` } };
}

export function getClerkUser({ provider, id }: RouteRequest): Reply {
  const identity = provider.findIdentityByClerkId(id);
  if (!identity) return userNotFound(id);
  return { status: 200, body: clerkUserJson(identity), headers: CLERK_API_HEADERS };
}

export async function patchClerkUser({ provider, id, json }: RouteRequest): Promise<Reply> {
  const patch = parseInput(userPatchSchema, await json());
  if (!provider.findIdentityByClerkId(id)) return userNotFound(id);
  const updated = await provider.updateIdentity(id, { firstName: patch.first_name, lastName: patch.last_name });
  return { status: 200, body: clerkUserJson(updated), headers: CLERK_API_HEADERS };
}
