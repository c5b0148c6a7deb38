// A local stand-in for the slice of Clerk's Backend API the server calls: GET /v1/users/:id (profile
// lookup on first sight) and GET /v1/jwks (verification through the secret key). It records every
// request so tests can assert how often Clerk was asked.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonWebKey } from 'node:crypto';

export interface StubUser {
  id: string;
  emails?: string[];
  /** Index into `emails` of the primary address; undefined: no primary set. */
  primary?: number;
  firstName?: string | null;
  lastName?: string | null;
  imageUrl?: string;
}

export interface ClerkBackendStub {
  /** Base URL, usable as CLERK_API_URL / apiUrl. */
  url: string;
  users: Map<string, StubUser>;
  jwks: { keys: JsonWebKey[] };
  /** Every request as "METHOD /path", with the Authorization header it carried. */
  requests: { path: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

function clerkUserJson(user: StubUser) {
  const emails = user.emails ?? [];
  return {
    object: 'user',
    id: user.id,
    email_addresses: emails.map((email, index) => ({
      object: 'email_address',
      id: `idn_${index}`,
      email_address: email,
      linked_to: [],
    })),
    primary_email_address_id: user.primary === undefined ? null : `idn_${user.primary}`,
    first_name: user.firstName ?? null,
    last_name: user.lastName ?? null,
    image_url: user.imageUrl ?? '',
    created_at: 0,
    updated_at: 0,
  };
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startClerkBackendStub(): Promise<ClerkBackendStub> {
  const users = new Map<string, StubUser>();
  const requests: ClerkBackendStub['requests'] = [];
  const stub = { jwks: { keys: [] as JsonWebKey[] } };
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://stub').pathname;
    requests.push({ path: `${req.method} ${path}`, authorization: req.headers.authorization });
    if (req.method === 'GET' && path === '/v1/jwks') return send(res, 200, stub.jwks);
    const match = /^\/v1\/users\/([^/]+)$/.exec(path);
    const user = match?.[1] ? users.get(decodeURIComponent(match[1])) : undefined;
    if (req.method === 'GET' && user) return send(res, 200, clerkUserJson(user));
    send(res, 404, {
      errors: [{ code: 'resource_not_found', message: 'not found', long_message: `No resource at ${path}` }],
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    users,
    get jwks() {
      return stub.jwks;
    },
    set jwks(value) {
      stub.jwks = value;
    },
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
