// Profile images: what an avatar may be. The type is read from the bytes' signature (magic bytes), never
// taken from what the client declares, so a file renamed to .png is refused here, before Clerk is asked.
// The local Backend API stand-in applies the same check, as Clerk applies its own.
import { PROFILE_LIMITS } from '@deal-brain/shared/field-limits';

export const PROFILE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type ProfileImageType = (typeof PROFILE_IMAGE_TYPES)[number];

export const PROFILE_IMAGE_EXTENSIONS: Record<ProfileImageType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((byte, index) => bytes[offset + index] === byte);

const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

/** The image type the bytes begin like, or undefined for anything else. */
export function detectImageType(bytes: Uint8Array): ProfileImageType | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif';
  // RIFF, a 4-byte size, then WEBP.
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  return undefined;
}

export function isProfileImageType(value: string): value is ProfileImageType {
  return (PROFILE_IMAGE_TYPES as readonly string[]).includes(value);
}

/** One problem with an image, in words a person can act on. */
export type ImageProblem = { field: 'contentType'; message: string } | { field: 'data'; message: string };

/** The problems of an image declared as `contentType` with these bytes; empty when it is acceptable. */
export function imageProblems(contentType: string, bytes: Uint8Array): ImageProblem[] {
  const accepted = PROFILE_IMAGE_TYPES.join(', ');
  if (!isProfileImageType(contentType)) {
    return [{ field: 'contentType', message: `Must be one of ${accepted}` }];
  }
  if (bytes.length === 0) return [{ field: 'data', message: 'The image is empty' }];
  if (bytes.length > PROFILE_LIMITS.imageBytes) {
    return [{ field: 'data', message: `The image must be at most ${PROFILE_LIMITS.imageBytes / 1024} KiB` }];
  }
  const detected = detectImageType(bytes);
  if (!detected) return [{ field: 'data', message: `Not an image of a supported type (${accepted})` }];
  if (detected !== contentType) {
    return [{ field: 'contentType', message: `The data is ${detected}, not ${contentType}` }];
  }
  return [];
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Strict standard base64 (what `btoa` and FileReader give; whitespace and line breaks tolerated), or
 * undefined. Node's decoder would silently skip invalid characters; this refuses them.
 */
export function decodeBase64(data: string): Buffer | undefined {
  const compact = data.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}
