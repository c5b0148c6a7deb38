// Bounded request bodies: refused as soon as they are known to exceed the limit.
import type { IncomingMessage } from 'node:http';

export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function bodyTooLarge(maxBytes: number): BodyError {
  return new BodyError(413, `Request body exceeds ${maxBytes} bytes`);
}

/** The refusal a body earns by its declared Content-Length alone, before any of it is read. */
export function refusalByDeclaredLength(req: IncomingMessage, maxBytes: number): BodyError | undefined {
  const declared = req.headers['content-length'];
  if (declared === undefined) return undefined;
  if (!/^\d+$/.test(declared)) return new BodyError(400, 'Invalid Content-Length header');
  return Number(declared) > maxBytes ? bodyTooLarge(maxBytes) : undefined;
}

/** Reads a request body, refusing it as soon as it is known to exceed the limit. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const refusal = refusalByDeclaredLength(req, maxBytes);
  if (refusal) throw refusal;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw bodyTooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
