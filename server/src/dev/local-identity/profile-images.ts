// Profile images of local identities, as Clerk keeps them on its image host: the stand-in's
// POST /v1/users/:id/profile_image stores one here, and GET /__local-auth/images/:name serves it back, so
// `image_url` is a short URL (it travels in session tokens and webhooks) rather than the image itself.
// Kept in memory, and under the state directory's images/ when there is one, so avatars survive restarts.
import { createHash } from 'node:crypto';
import { mkdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { PROFILE_IMAGE_EXTENSIONS, type ProfileImageType } from '#src/clerk/profile-image.js';
import { isErrnoException, writeFileAtomically } from '../state-files.js';

export interface StoredImage {
  contentType: ProfileImageType;
  bytes: Buffer;
}

const IMAGES_DIR = 'images';
/** `<clerk id>-<16 hex digits of the content's SHA-256>.<ext>`: nothing else names an image (no path tricks). */
const IMAGE_NAME = /^(user_[A-Za-z0-9_]{1,100})-[0-9a-f]{16}\.(png|jpg|gif|webp)$/;

const TYPE_OF_EXTENSION = Object.fromEntries(
  Object.entries(PROFILE_IMAGE_EXTENSIONS).map(([type, extension]) => [extension, type as ProfileImageType]),
) as Record<string, ProfileImageType>;

/** The image name at the end of an image URL the stand-in handed out, if it is one. */
export function imageNameOf(imageUrl: string | null): string | undefined {
  const name = imageUrl?.split('/').pop();
  return name !== undefined && IMAGE_NAME.test(name) ? name : undefined;
}

export class ProfileImageStore {
  private readonly images = new Map<string, StoredImage>();

  constructor(private readonly stateDir: string | null) {}

  /** Stores an identity's image; its name (the same bytes for the same identity give the same name). */
  async put(clerkId: string, image: StoredImage): Promise<string> {
    const hash = createHash('sha256').update(image.bytes).digest('hex').slice(0, 16);
    const name = `${clerkId}-${hash}.${PROFILE_IMAGE_EXTENSIONS[image.contentType]}`;
    if (!IMAGE_NAME.test(name)) throw new TypeError(`not an identity's Clerk id: ${clerkId}`);
    if (this.stateDir !== null) {
      const dir = path.join(this.stateDir, IMAGES_DIR);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFileAtomically(path.join(dir, name), image.bytes.toString('base64'));
    }
    this.images.set(name, image);
    return name;
  }

  /** The image of this name, from memory or the state directory; undefined when unknown. */
  async get(name: string): Promise<StoredImage | undefined> {
    const match = IMAGE_NAME.exec(name);
    if (!match) return undefined;
    const held = this.images.get(name);
    if (held || this.stateDir === null) return held;
    try {
      const bytes = Buffer.from(await readFile(path.join(this.stateDir, IMAGES_DIR, name), 'utf8'), 'base64');
      const image = { contentType: TYPE_OF_EXTENSION[match[2]!]!, bytes };
      this.images.set(name, image);
      return image;
    } catch (error) {
      if (isErrnoException(error, 'ENOENT')) return undefined;
      throw error;
    }
  }

  /** Forgets an image; one that is not there is fine. */
  async remove(name: string): Promise<void> {
    if (!IMAGE_NAME.test(name)) return;
    this.images.delete(name);
    if (this.stateDir === null) return;
    await unlink(path.join(this.stateDir, IMAGES_DIR, name)).catch((error: unknown) => {
      if (!isErrnoException(error, 'ENOENT')) throw error;
    });
  }
}
