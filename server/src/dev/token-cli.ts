// `npm run token -- alice@example.com`: asks the running dev server's local identity provider for a session
// token and prints only the token on stdout, so `TOKEN=$(npm run -s token -- alice@example.com)` works.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEMO_IDENTITIES } from '@deal-brain/shared/demo-identities';
import { ConfigError, loadConfig, type Config } from '#src/config.js';
import {
  LOCAL_AUTH_PREFIX,
  LOCAL_AUTH_SECRET_HEADER,
  LOCAL_AUTH_SECRET_REFUSED,
  LOCAL_AUTH_STATE_DIR,
} from '@deal-brain/shared/local-auth';
import { readBootSecret } from './local-identity/boot-secret.js';

const USAGE = `Usage: npm run token -- <email> [--ttl <seconds>] [--url <base url>]

Prints a local session token for <email> (e.g. ${DEMO_IDENTITIES.map((demo) => demo.email).join(', ')}).
The dev server must be running in local auth mode (npm run dev). --url defaults to http://<HOST>:<PORT>.`;

const REQUEST_TIMEOUT_MS = 10_000;

export interface TokenCliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  fetch: typeof fetch;
  /** Only consulted when --url is absent. */
  loadConfig: () => Pick<Config, 'host' | 'port'>;
  /** The running server's local routes' secret, read from its state directory; none sends no header. */
  bootSecret?: () => Promise<string | undefined>;
}

/** A usage or request problem, reported as one line on stderr. */
class CliError extends Error {}

/** Runs the CLI and returns the exit code; all output goes through `io` so tests can capture it. */
export async function runTokenCli(args: string[], io: TokenCliIo): Promise<number> {
  try {
    const options = parseCliArgs(args);
    if (options === 'help') {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const baseUrl = options.url ?? baseUrlFromConfig(io.loadConfig());
    const secret = await io.bootSecret?.();
    const token = await requestToken(io.fetch, baseUrl, options.email, options.ttlSeconds, secret);
    io.stdout(`${token}\n`);
    return 0;
  } catch (error) {
    if (error instanceof CliError || error instanceof ConfigError) {
      io.stderr(`token: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

interface CliOptions {
  email: string;
  ttlSeconds: number | undefined;
  url: string | undefined;
}

function parseCliArgs(args: string[]): CliOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { ttl: { type: 'string' }, url: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`);
  }
  if (parsed.values.help) return 'help';
  const [email, ...extra] = parsed.positionals;
  if (!email || extra.length > 0) throw new CliError(`expected exactly one email\n${USAGE}`);
  return { email, ttlSeconds: parseTtl(parsed.values.ttl), url: parsed.values.url };
}

function parseTtl(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ttl = Number(value);
  if (!Number.isInteger(ttl) || ttl < 1) throw new CliError(`--ttl must be a positive whole number of seconds`);
  return ttl;
}

/** The server may listen on a wildcard address, which is not something to connect to. */
export function baseUrlFromConfig(config: Pick<Config, 'host' | 'port'>): string {
  const wildcard = config.host === '' || config.host === '0.0.0.0' || config.host === '::';
  const host = wildcard ? 'localhost' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

async function requestToken(
  fetchFn: typeof fetch,
  baseUrl: string,
  email: string,
  ttlSeconds: number | undefined,
  secret: string | undefined,
): Promise<string> {
  const url = sessionsUrl(baseUrl);
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(secret ? { [LOCAL_AUTH_SECRET_HEADER]: secret } : {}) },
      body: JSON.stringify({ email, ttlSeconds }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new CliError(`could not reach ${url.origin} (${describeFetchFailure(error)}) — is \`npm run dev\` running?`);
  }
  return tokenFromResponse(response, url);
}

function sessionsUrl(baseUrl: string): URL {
  try {
    return new URL(`${LOCAL_AUTH_PREFIX}/sessions`, baseUrl);
  } catch {
    throw new CliError(`--url must be a URL like http://localhost:4000, got "${baseUrl}"`);
  }
}

function describeFetchFailure(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS} ms`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}

async function tokenFromResponse(response: Response, url: URL): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (response.ok && typeof body?.token === 'string') return body.token;
  if (typeof body?.error === 'string') {
    const hint =
      body.error === 'identity_not_found'
        ? ` (try ${DEMO_IDENTITIES[0]?.email}, or create it via POST ${LOCAL_AUTH_PREFIX}/identities)`
        : body.error === LOCAL_AUTH_SECRET_REFUSED
          ? ' (is this the server started with the same DATA_DIR?)'
          : '';
    const message = typeof body.message === 'string' ? body.message : body.error;
    throw new CliError(`${message}${hint}`);
  }
  if (response.status === 404) {
    throw new CliError(`${url.origin} has no local auth routes — is the server running with AUTH_MODE=local?`);
  }
  throw new CliError(`unexpected answer from ${url.href}: HTTP ${response.status}`);
}

function isMainModule(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isMainModule()) {
  const io: TokenCliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    fetch,
    loadConfig,
    // The server's state directory, where it wrote this boot's secret (same DATA_DIR as `npm run dev`).
    bootSecret: () => readBootSecret(path.join(loadConfig().dataDir, LOCAL_AUTH_STATE_DIR)),
  };
  // exitCode rather than exit(): stdout must flush when it is a pipe (`TOKEN=$(...)`).
  process.exitCode = await runTokenCli(process.argv.slice(2), io).catch((error: unknown) => {
    io.stderr(`token: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  });
}
