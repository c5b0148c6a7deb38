import { describe, expect, it } from 'vitest';
import { decodeBase64, detectImageType, imageProblems } from './profile-image.js';

const bytes = (...parts: (number[] | string)[]) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));

const PNG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'rest');
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0], 'rest');
const GIF87 = bytes('GIF87a', 'rest');
const GIF89 = bytes('GIF89a', 'rest');
const WEBP = bytes('RIFF', [0x10, 0, 0, 0], 'WEBPVP8 ');

describe('detectImageType', () => {
  it.each([
    [PNG, 'image/png'],
    [JPEG, 'image/jpeg'],
    [GIF87, 'image/gif'],
    [GIF89, 'image/gif'],
    [WEBP, 'image/webp'],
  ])('reads the signature of %#', (image, type) => {
    expect(detectImageType(image)).toBe(type);
  });

  it.each([
    ['text', bytes('hello')],
    ['SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ['a RIFF that is not WebP (WAV)', bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt ')],
    ['a truncated PNG signature', bytes([0x89, 0x50, 0x4e, 0x47])],
    ['GIF without its version', bytes('GIF')],
    ['nothing', bytes()],
  ])('knows no type for %s', (_name, image) => {
    expect(detectImageType(image)).toBeUndefined();
  });
});

describe('imageProblems', () => {
  it('accepts an image whose bytes are its declared type', () => {
    expect(imageProblems('image/png', PNG)).toEqual([]);
    expect(imageProblems('image/webp', WEBP)).toEqual([]);
  });

  it.each([
    ['image/svg+xml', PNG, 'contentType', 'Must be one of image/png, image/jpeg, image/gif, image/webp'],
    ['image/png', bytes(), 'data', 'The image is empty'],
    [
      'image/png',
      bytes('hello'),
      'data',
      'Not an image of a supported type (image/png, image/jpeg, image/gif, image/webp)',
    ],
    ['image/png', GIF89, 'contentType', 'The data is image/gif, not image/png'],
    ['image/png', Buffer.concat([PNG, Buffer.alloc(64 * 1024)]), 'data', 'The image must be at most 64 KiB'],
  ])('refuses %s with %#', (contentType, image, field, message) => {
    expect(imageProblems(contentType, image)).toEqual([{ field, message }]);
  });

  it('takes exactly 64 KiB', () => {
    const image = Buffer.concat([PNG, Buffer.alloc(64 * 1024 - PNG.length)]);
    expect(imageProblems('image/png', image)).toEqual([]);
  });
});

describe('decodeBase64', () => {
  it('decodes standard base64, line breaks allowed', () => {
    const text = PNG.toString('base64');
    expect(decodeBase64(text)).toEqual(PNG);
    expect(decodeBase64(`${text.slice(0, 8)}\n${text.slice(8)}`)).toEqual(PNG);
  });

  it.each([
    ['characters outside the alphabet', 'iVBO*w0K'],
    ['base64url', 'iVBO-w0_'],
    ['a length that is not a multiple of 4', 'iVBORw0'],
    ['padding in the middle', 'iV==Rw0K'],
    ['a data URL', 'data:image/png;base64,iVBORw0K'],
  ])('refuses %s', (_name, text) => {
    expect(decodeBase64(text)).toBeUndefined();
  });
});
