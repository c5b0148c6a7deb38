// The slice of Clerk's Backend API a profile needs, answered from local identities: GET and PATCH
// /v1/users/:id, POST and DELETE /v1/users/:id/profile_image, and POST /v1/users/:id/ban and /unban (the
// admin console's deactivation), so `createClerkClient({ secretKey,
// apiUrl })` works against local mode exactly as against Clerk. Like Clerk's, every /v1 request must carry
// the secret key (routes.ts checks it for the whole /v1 prefix), answers are exactly `application/json`,
// and refusals have Clerk's error shape `{ errors: [{ code, message, long_message, meta }] }`, which
// @clerk/backend turns into a ClerkAPIResponseError with the same fields.
import { LOCAL_AUTH_PREFIX } from '@deal-brain/shared/local-auth';
import { PROFILE_LIMITS } from '@deal-brain/shared/field-limits';
import { z } from 'zod';
import { detectImageType, imageProblems, isProfileImageType } from '#src/clerk/profile-image.js';
import { clerkUserJson } from '../clerk-payloads.js';
import { identityUpdateSchema } from './identities.js';
import type { Reply, RouteRequest } from './routes.js';

/**
 * @clerk/backend parses a response body as JSON only when Content-Type is exactly `application/json` (as
 * Clerk sends it); with a charset parameter its client would hand back the raw text instead of a User.
 */
export const CLERK_API_HEADERS = Object.freeze({ 'content-type': 'application/json', 'cache-control': 'no-store' });

/** The prefix (below /__local-auth) of every Backend API route: all of them need the secret key. */
export const BACKEND_API_PREFIX = '/v1/';

/** Where the stand-in serves the profile images it stores (below /__local-auth; public, as Clerk's image host). */
export const PROFILE_IMAGES_PATH = '/images';

/** One entry of Clerk's `errors` array. */
export interface ClerkErrorEntry {
  code: string;
  message: string;
  longMessage?: string;
  /** The request parameter at fault, as Clerk names it (first_name). */
  paramName?: string;
}

/** A refusal in Clerk's shape, which @clerk/backend parses into a ClerkAPIResponseError. */
export function clerkErrorReply(status: number, errors: ClerkErrorEntry[]): Reply {
  return {
    status,
    body: {
      errors: errors.map(({ code, message, longMessage, paramName }) => ({
        code,
        message,
        long_message: longMessage ?? message,
        meta: paramName === undefined ? {} : { param_name: paramName },
      })),
      clerk_trace_id: 'local',
    },
    headers: { ...CLERK_API_HEADERS },
  };
}

/** Clerk's answer to a request without a valid secret key. */
export function secretKeyRefusal(): Reply {
  const message = 'The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.';
  return {
    ...clerkErrorReply(401, [{ code: 'clerk_key_invalid', message }]),
    headers: { ...CLERK_API_HEADERS, 'www-authenticate': 'Bearer' },
  };
}

function userNotFound(clerkId: string): Reply {
  return clerkErrorReply(404, [
    { code: 'resource_not_found', message: 'not found', longMessage: `No user with id ${clerkId}` },
  ]);
}

/** Clerk answers form errors with 422 and one entry per parameter. */
function formErrors(error: z.ZodError): Reply {
  const entries = error.issues.flatMap((issue): ClerkErrorEntry[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        code: 'form_param_unknown',
        message: 'is unknown',
        longMessage: `${key} is not a valid parameter for this request.`,
        paramName: key,
      }));
    }
    const paramName = issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
    return [
      {
        code: 'form_param_format_invalid',
        message: issue.message,
        longMessage: paramName ? `${paramName}: ${issue.message}` : issue.message,
        ...(paramName ? { paramName } : {}),
      },
    ];
  });
  return clerkErrorReply(422, entries);
}

function userReply(identity: Parameters<typeof clerkUserJson>[0]): Reply {
  return { status: 200, body: clerkUserJson(identity), headers: { ...CLERK_API_HEADERS } };
}

/** The part of Clerk's `PATCH /v1/users/:id` body the settings page uses. */
const userPatchSchema = z.strictObject({
  first_name: identityUpdateSchema.shape.firstName,
  last_name: identityUpdateSchema.shape.lastName,
});

export function getClerkUser({ provider, id }: RouteRequest): Reply {
  const identity = provider.findIdentityByClerkId(id);
  if (!identity) return userNotFound(id);
  return userReply(identity);
}

export async function patchClerkUser({ provider, id, json }: RouteRequest): Promise<Reply> {
  const parsed = userPatchSchema.safeParse(await json());
  if (!parsed.success) return formErrors(parsed.error);
  if (!provider.findIdentityByClerkId(id)) return userNotFound(id);
  const patch = parsed.data;
  return userReply(await provider.updateIdentity(id, { firstName: patch.first_name, lastName: patch.last_name }));
}

/**
 * POST /v1/users/:id/ban: as Clerk's, the identity is banned, every session of it ends (revoked, so the
 * API refuses its tokens from their next request and session.ended webhooks go out), it cannot sign in
 * again until unbanned, and the answer is the user with `banned: true`. Banning a banned identity is
 * answered the same way.
 */
export async function banClerkUser({ provider, id }: RouteRequest): Promise<Reply> {
  if (!provider.findIdentityByClerkId(id)) return userNotFound(id);
  return userReply(await provider.setBanned(id, true));
}

/** POST /v1/users/:id/unban: sign-in works again (ended sessions stay ended); the user with `banned: false`. */
export async function unbanClerkUser({ provider, id }: RouteRequest): Promise<Reply> {
  if (!provider.findIdentityByClerkId(id)) return userNotFound(id);
  return userReply(await provider.setBanned(id, false));
}

/** A multipart body holds the image and a little framing. */
export const PROFILE_IMAGE_MAX_BODY_BYTES = PROFILE_LIMITS.imageBytes + 16 * 1024;

function fileRefusal(message: string): Reply {
  return clerkErrorReply(422, [
    { code: 'form_param_format_invalid', message, longMessage: `file: ${message}`, paramName: 'file' },
  ]);
}

/**
 * POST /v1/users/:id/profile_image: multipart/form-data with the image as `file`, as @clerk/backend's
 * updateUserProfileImage sends it. The image is checked by its bytes (PNG, JPEG, GIF or WebP, at most
 * PROFILE_LIMITS.imageBytes), like Clerk checks what it is given.
 */
export async function setClerkUserProfileImage({ provider, id, formData, origin }: RouteRequest): Promise<Reply> {
  if (!provider.findIdentityByClerkId(id)) return userNotFound(id);
  const form = await formData(PROFILE_IMAGE_MAX_BODY_BYTES);
  if (!form) return fileRefusal('send the image as multipart/form-data');
  const file = form.get('file');
  if (!(file instanceof Blob)) return fileRefusal('is missing');
  const bytes = Buffer.from(await file.arrayBuffer());
  // The declared type has to agree with the bytes; without one, the bytes decide.
  const contentType = file.type.split(';')[0]?.trim().toLowerCase() || detectImageType(bytes) || 'unknown';
  const problem = imageProblems(contentType, bytes)[0];
  if (problem || !isProfileImageType(contentType)) return fileRefusal(problem?.message ?? 'is not a supported image');
  const imageBaseUrl = `${origin}${LOCAL_AUTH_PREFIX}${PROFILE_IMAGES_PATH}`;
  return userReply(await provider.setProfileImage(id, { contentType, bytes }, imageBaseUrl));
}

/** DELETE /v1/users/:id/profile_image: back to no image (Clerk answers the user either way). */
export async function deleteClerkUserProfileImage({ provider, id }: RouteRequest): Promise<Reply> {
  if (!provider.findIdentityByClerkId(id)) return userNotFound(id);
  return userReply(await provider.setProfileImage(id, null, ''));
}

/** GET /images/:name: a stored profile image, as an image host serves it (no secret key; cacheable). */
export async function sendProfileImage({ provider, id }: RouteRequest): Promise<Reply> {
  const image = await provider.profileImage(id);
  if (!image) return { status: 404, body: { error: 'image_not_found', message: 'No such image' } };
  return {
    status: 200,
    raw: image.bytes,
    headers: {
      'content-type': image.contentType,
      // Names change with the content, so an image never changes under its name.
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
    },
  };
}
