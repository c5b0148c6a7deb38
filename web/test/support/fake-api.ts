// A stand-in for the API server on a loopback port: the local identity provider's routes (JWKS, sessions,
// identities) with its own RSA key, and a /graphql endpoint whose answers a test scripts. Every request
// is recorded, so tests can prove what the web app sent (and that it sent nothing elsewhere).
import { createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface GraphQLReply {
  status?: number;
  /** Sent with the reply (for example Retry-After), besides Content-Type. */
  headers?: Record<string, string>;
  body: unknown;
}

export interface FakeApi {
  url: string;
  requests: RecordedRequest[];
  /** Mints a token signed by this provider's key (claims override the defaults). */
  mint(claims?: Record<string, unknown>): string;
  /** Sessions the provider considers active (refresh succeeds for these). */
  activeSessions: Set<string>;
  endedSessions: string[];
  /** Replies to POST /graphql in order; the last one repeats. */
  graphql: GraphQLReply[];
  /** Route that fails with 500, for outage tests. */
  failJwks: boolean;
  close(): Promise<void>;
}

export const WEB_ORIGIN = 'http://localhost:3000';

/** A signed-in user as the API's `viewer` field answers: what the pages' tests hand the fake. */
export const FAKE_VIEWER = {
  id: 'VXNlcjox',
  email: 'a@b.co',
  firstName: 'A',
  lastName: 'B',
  avatarUrl: null,
  role: 'USER',
  createdAt: '2024-01-01T00:00:00.000Z',
};

function sign(privateKey: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'RS256', typ: 'JWT', kid })}.${encode(claims)}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url')}`;
}

export function generateKey(): { privateKey: KeyObject; publicKey: KeyObject; kid: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicKey, kid: `test_${randomBytes(6).toString('hex')}` };
}

/** Alice's session-token claims as the local provider issues them, with `claims` on top. */
function sessionClaims(claims: Record<string, unknown>): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: 'user_local_alice',
    sid: 'sess_test_1',
    azp: WEB_ORIGIN,
    iat: now - 10,
    nbf: now - 15,
    exp: now + 7200,
    email: 'alice@example.com',
    first_name: 'Alice',
    last_name: 'Anders',
    v: 2,
    ...claims,
  };
}

export function mintWith(key: { privateKey: KeyObject; kid: string }, claims: Record<string, unknown> = {}): string {
  return sign(key.privateKey, key.kid, sessionClaims(claims));
}

/** A token that claims no signature at all (`alg: none`), for forgery tests. */
export function mintUnsigned(claims: Record<string, unknown> = {}): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(sessionClaims(claims))}.`;
}

export async function startFakeApi(): Promise<FakeApi> {
  const key = generateKey();
  const jwk = { ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, alg: 'RS256', use: 'sig' };
  const requests: RecordedRequest[] = [];

  const api: FakeApi = {
    url: '',
    requests,
    mint: (claims) => mintWith(key, claims),
    activeSessions: new Set(['sess_test_1']),
    endedSessions: [],
    graphql: [{ body: { data: {} } }],
    failJwks: false,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });

      if (path === '/__local-auth/.well-known/jwks.json') {
        if (api.failJwks) return json(res, 500, { error: 'internal_error' });
        return json(res, 200, { keys: [jwk] });
      }
      const tokens = /^\/__local-auth\/sessions\/([^/]+)\/tokens$/.exec(path);
      if (tokens && req.method === 'POST') {
        const sid = decodeURIComponent(tokens[1]!);
        if (!api.activeSessions.has(sid)) return json(res, 404, { error: 'session_not_found', message: 'gone' });
        const { ttlSeconds = 3600 } = JSON.parse(body || '{}') as { ttlSeconds?: number };
        const now = Math.floor(Date.now() / 1000);
        const token = api.mint({ sid, iat: now, nbf: now - 5, exp: now + ttlSeconds });
        return json(res, 201, {
          token,
          sessionId: sid,
          userId: 'user_local_alice',
          expiresAt: (now + ttlSeconds) * 1000,
        });
      }
      const end = /^\/__local-auth\/sessions\/([^/]+)\/end$/.exec(path);
      if (end && req.method === 'POST') {
        const sid = decodeURIComponent(end[1]!);
        api.endedSessions.push(sid);
        api.activeSessions.delete(sid);
        res.writeHead(204).end();
        return;
      }
      if (path === '/__local-auth/sessions' && req.method === 'POST') {
        const { email } = JSON.parse(body) as { email: string };
        if (email !== 'alice@example.com') {
          return json(res, 404, { error: 'identity_not_found', message: `No local identity with email ${email}` });
        }
        const now = Math.floor(Date.now() / 1000);
        const token = api.mint({ sid: 'sess_new', iat: now, nbf: now - 5, exp: now + 36000 });
        api.activeSessions.add('sess_new');
        return json(res, 201, {
          token,
          sessionId: 'sess_new',
          userId: 'user_local_alice',
          expiresAt: (now + 36000) * 1000,
        });
      }
      if (path === '/graphql' && req.method === 'POST') {
        const reply = api.graphql.length > 1 ? api.graphql.shift()! : api.graphql[0]!;
        return json(res, reply.status ?? 200, reply.body, reply.headers);
      }
      json(res, 404, { error: 'not_found', message: `No route for ${path}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return api;
}
