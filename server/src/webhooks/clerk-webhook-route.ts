// POST /api/webhooks/clerk: Svix-signed deliveries from Clerk (or the local identity provider).
// Verify the raw body, parse the event, apply it exactly once, and answer 200 only once that is
// committed. Every delivery ends in one structured log line and one count, by outcome.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { Webhook, type WebhookVerificationError } from 'svix';
import type { BasePrisma } from '#src/db/client.js';
import { isTransientDatabaseError } from '#src/db/transient-errors.js';
import { BodyError, readBody } from '#src/http/request-body.js';
import { sendJson } from '#src/http/send-json.js';
import type { Metrics, WebhookOutcome } from '#src/metrics.js';
import { applyClerkDelivery, recordDeliveryFailure, type Delivery } from './apply-clerk-event.js';
import { type InvalidEventError, parseClerkEvent } from './clerk-events.js';

export const CLERK_WEBHOOK_PATH = '/api/webhooks/clerk';
export const WEBHOOK_MAX_BODY_BYTES = 256 * 1024;

const SVIX_HEADERS = ['svix-id', 'svix-timestamp', 'svix-signature'] as const;
/** Svix message ids are short (msg_ + 27 characters); anything longer is not one. */
const SVIX_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

export interface ClerkWebhookDeps {
  base: BasePrisma;
  metrics: Metrics;
  /** Undefined when no signing secret is configured: every delivery is answered 503. */
  signingSecret: string | undefined;
}

export type ClerkWebhookHandler = (req: IncomingMessage, res: ServerResponse, log: Logger) => Promise<void>;

/** A refusal of the delivery itself: answered 4xx, nothing written. */
class RejectedDelivery extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Set when the signature was valid: the refusal is then recorded under this id, for operators. */
    readonly verifiedSvixId?: string,
  ) {
    super(message);
  }
}

/** svix's messages, by the reason we answer with; anything else it says is a bad signature. */
const VERIFICATION_CODES: Record<string, string> = {
  'Message timestamp too old': 'timestamp_too_old',
  'Message timestamp too new': 'timestamp_too_new',
  'Invalid Signature Headers': 'invalid_timestamp',
  'Missing required headers': 'missing_headers',
};

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function svixHeadersOf(req: IncomingMessage): Record<(typeof SVIX_HEADERS)[number], string> {
  const missing = SVIX_HEADERS.filter((name) => headerOf(req, name) === undefined);
  if (missing.length > 0) {
    throw new RejectedDelivery(400, 'missing_headers', `Missing required header(s): ${missing.join(', ')}`);
  }
  const headers = Object.fromEntries(SVIX_HEADERS.map((name) => [name, headerOf(req, name)!]));
  return headers as Record<(typeof SVIX_HEADERS)[number], string>;
}

function verify(webhook: Webhook, rawBody: string, headers: Record<string, string>): void {
  try {
    webhook.verify(rawBody, headers);
  } catch (error) {
    // Given a string body, everything svix throws here is a verification failure.
    const { message } = error as WebhookVerificationError;
    const code = VERIFICATION_CODES[message] ?? 'invalid_signature';
    throw new RejectedDelivery(400, code, `Webhook signature verification failed: ${message}`);
  }
}

async function readDelivery(req: IncomingMessage, webhook: Webhook): Promise<Delivery> {
  const headers = svixHeadersOf(req);
  let raw: Buffer;
  try {
    raw = await readBody(req, WEBHOOK_MAX_BODY_BYTES);
  } catch (error) {
    // A client that goes away mid-body is its own failure, not ours.
    const status = error instanceof BodyError ? error.status : 400;
    const message = error instanceof BodyError ? error.message : 'The request body was not received completely';
    throw new RejectedDelivery(status, 'invalid_body', message);
  }
  const rawBody = raw.toString('utf8');
  // The signature covers the exact bytes received; verify before looking inside.
  verify(webhook, rawBody, headers);
  const svixId = headers['svix-id'];
  if (!SVIX_ID.test(svixId)) throw new RejectedDelivery(400, 'invalid_headers', 'svix-id is not a message id');
  try {
    const event = parseClerkEvent(rawBody);
    return { svixId, eventType: event.type === 'other' ? event.eventType : event.type, event };
  } catch (error) {
    // parseClerkEvent throws InvalidEventError only.
    throw new RejectedDelivery(400, 'invalid_event', (error as InvalidEventError).message, svixId);
  }
}

/** Bounded label values: unknown event types from a verified sender still count, as "other". */
function typeLabel(delivery: Delivery | undefined): string {
  if (!delivery) return 'unknown';
  return delivery.event.type === 'other' ? 'other' : delivery.event.type;
}

export function createClerkWebhookHandler(deps: ClerkWebhookDeps): ClerkWebhookHandler {
  const webhook = deps.signingSecret === undefined ? undefined : new Webhook(deps.signingSecret);

  function count(outcome: WebhookOutcome, delivery: Delivery | undefined): void {
    deps.metrics.webhookDeliveries.inc({ outcome, type: typeLabel(delivery) });
  }

  /** Best effort, after the answer is sent: when the database is down this fails too, and is logged. */
  function recordFailure(log: Logger, svixId: string, type: string, error: string): void {
    recordDeliveryFailure(deps.base, svixId, type, error).catch((recordError: unknown) => {
      log.warn(
        { event: 'webhook.delivery', svixId, type, err: (recordError as Error).message },
        'failure not recorded',
      );
    });
  }

  function fail(res: ServerResponse, log: Logger, delivery: Delivery, error: unknown): void {
    const transient = isTransientDatabaseError(error);
    const fields = { event: 'webhook.delivery', outcome: 'failed', svixId: delivery.svixId, type: delivery.eventType };
    log.error({ ...fields, transient, err: error }, 'webhook delivery failed; it stays re-playable');
    count('failed', delivery);
    // Answer first: Svix waits only a few seconds, and the bookkeeping below may be slow or fail.
    if (transient) {
      const body = { error: 'unavailable', message: 'The event could not be recorded now; retry later' };
      sendJson(res, 503, body, { 'retry-after': '5' });
    } else {
      sendJson(res, 500, { error: 'internal', message: 'The event could not be applied; retry later' });
    }
    // Only a summary is stored: the error itself (with whatever it quotes) stays in the server log.
    const summary = transient ? 'database unavailable' : 'could not be applied (see the server log)';
    recordFailure(log, delivery.svixId, delivery.eventType, summary);
  }

  return async function handleClerkWebhook(req, res, log) {
    if (req.method !== 'POST') {
      return sendJson(res, 405, { error: 'method_not_allowed', message: 'Use POST' }, { allow: 'POST' });
    }
    if (!webhook) {
      log.error({ event: 'webhook.delivery', outcome: 'failed' }, 'CLERK_WEBHOOK_SIGNING_SECRET is not set');
      count('failed', undefined);
      return sendJson(res, 503, { error: 'not_configured', message: 'Webhooks are not configured on this server' });
    }
    let delivery: Delivery;
    try {
      delivery = await readDelivery(req, webhook);
    } catch (error) {
      if (!(error instanceof RejectedDelivery)) throw error;
      const rejection = error;
      const svixId = headerOf(req, 'svix-id')?.slice(0, 128);
      log.warn({ event: 'webhook.delivery', outcome: 'rejected', reason: rejection.code, svixId }, rejection.message);
      count('rejected', undefined);
      // A body left unread would be parsed as the next request on this connection.
      if (!req.complete) res.setHeader('connection', 'close');
      sendJson(res, rejection.status, { error: rejection.code, message: rejection.message });
      // Signed by Clerk but unusable: keep a trace under its id so it can be found and replayed.
      if (rejection.verifiedSvixId) {
        recordFailure(log, rejection.verifiedSvixId, 'invalid', `${rejection.code}: ${rejection.message}`);
      }
      return;
    }
    let result;
    try {
      result = await applyClerkDelivery(deps.base, delivery);
    } catch (error) {
      return fail(res, log, delivery, error);
    }
    log.info(
      {
        event: 'webhook.delivery',
        outcome: result.outcome,
        svixId: delivery.svixId,
        type: delivery.eventType,
        attempts: result.attempts,
        reason: result.reason,
      },
      `webhook ${result.outcome}`,
    );
    count(result.outcome, delivery);
    sendJson(res, 200, { received: true, outcome: result.outcome });
  };
}
