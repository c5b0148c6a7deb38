// dealbrain_http_request_duration_seconds{route, operation, outcome} for /graphql and the Clerk webhook.
// Every label has a bounded set of values, whatever a caller sends (ADR 0068):
// - operation: an operation name of the web app's documents (generated/known-operations.ts), "other" for
//   any other name, "anonymous" for none;
// - outcome: what the client was answered, read from the start of the response body, so the answers the
//   HTTP layer gives before GraphQL runs (401, 429, 503 TIMEOUT) count like Yoga's own. GraphQL answers
//   put `errors` first, and JSON strings cannot contain an unescaped quote, so the first `"code":"…"` after
//   `{"errors":[{` is the first error's code.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERROR_CODES } from '@deal-brain/shared/error-codes';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { KNOWN_OPERATIONS } from '#src/generated/known-operations.js';
import type { Metrics } from '#src/metrics.js';

export type MeasuredRoute = 'graphql' | 'webhook';

const known: ReadonlySet<string> = new Set(KNOWN_OPERATIONS);

/** The operation label: known names as they are, any other name "other", no name "anonymous". */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  return known.has(name) ? name : 'other';
}

/** Codes the outcome label may take besides "ok"; any other code counts as OTHER_ERROR. */
const OUTCOME_CODES: ReadonlySet<string> = new Set([
  ...Object.values(ERROR_CODES),
  // Yoga's own, for documents that fail to parse or validate.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
]);

/** How much of a response body is kept to find its outcome: the first error's code comes early. */
const PREFIX_BYTES = 4096;

const FIRST_ERROR_CODE = /^\{"errors":\[\{.*?"code":"([A-Z_]+)"/s;
const ERRORS_FIRST = /^\{"errors":\[/;

/** A GraphQL answer's outcome from its status and the start of its body. */
export function graphqlOutcome(status: number, bodyStart: string): string {
  const code = FIRST_ERROR_CODE.exec(bodyStart)?.[1];
  if (code) return OUTCOME_CODES.has(code) ? code : 'OTHER_ERROR';
  // Errors without a code are masked ones; so is any other failure of ours.
  if (ERRORS_FIRST.test(bodyStart) || status >= 500) return ERROR_CODES.INTERNAL_SERVER_ERROR;
  if (status >= 400) return ERROR_CODES.BAD_REQUEST;
  return 'ok';
}

const WEBHOOK_OUTCOME = /^\{"received":true,"outcome":"(applied|duplicate|stale|ignored)"/;

/** A webhook answer's outcome, in the words of dealbrain_webhook_deliveries_total. */
export function webhookOutcome(status: number, bodyStart: string): string {
  if (status < 300) return WEBHOOK_OUTCOME.exec(bodyStart)?.[1] ?? 'applied';
  return status >= 500 ? 'failed' : 'rejected';
}

/** The operation each /graphql request ran, by its Node request; set by the Yoga plugin below. */
const operations = new WeakMap<IncomingMessage, string>();

function nodeRequestOf(context: unknown): IncomingMessage | undefined {
  return (context as { req?: IncomingMessage } | undefined)?.req;
}

/**
 * Yoga plugin: the name of the operation a request asked for (its operationName, or the document's own
 * when it has one operation), for the request duration's operation label.
 */
export function recordOperationNames(): Plugin {
  return {
    onParams: ({ params, context }) => {
      const req = nodeRequestOf(context);
      if (req && params.operationName) operations.set(req, params.operationName);
    },
    onExecute: ({ args }) => {
      const req = nodeRequestOf(args.contextValue);
      const name = getOperationAST(args.document, args.operationName)?.name?.value;
      if (req && name) operations.set(req, name);
    },
  };
}

type Chunk = string | Uint8Array | undefined | null | ((error?: Error | null) => void);

function chunkText(chunk: Chunk, room: number): string {
  if (typeof chunk === 'string') return chunk.slice(0, room);
  if (chunk instanceof Uint8Array)
    return Buffer.from(chunk.buffer, chunk.byteOffset, Math.min(chunk.byteLength, room)).toString('utf8');
  return '';
}

/** Keeps the first PREFIX_BYTES of what is written to `res`, without holding the rest. */
function captureBodyStart(res: ServerResponse): () => string {
  let start = '';
  const keep = (chunk: Chunk) => {
    const room = PREFIX_BYTES - start.length;
    if (room > 0) start += chunkText(chunk, room);
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((chunk: Chunk, ...rest: unknown[]) => {
    keep(chunk);
    return write(chunk, ...rest);
  }) as ServerResponse['write'];
  res.end = ((chunk?: Chunk, ...rest: unknown[]) => {
    keep(chunk);
    return end(chunk, ...rest);
  }) as ServerResponse['end'];
  return () => start;
}

/**
 * Observes one request of `route` into the request duration histogram when its response is finished, or
 * as "aborted" when the connection closes first.
 */
export function measureRequest(
  metrics: Metrics,
  route: MeasuredRoute,
  req: IncomingMessage,
  res: ServerResponse,
  started: bigint,
): void {
  const bodyStart = captureBodyStart(res);
  res.once('close', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    let outcome = 'aborted';
    if (res.writableFinished) {
      outcome =
        route === 'graphql' ? graphqlOutcome(res.statusCode, bodyStart()) : webhookOutcome(res.statusCode, bodyStart());
    }
    const operation = route === 'graphql' ? operationLabel(operations.get(req)) : 'clerk';
    metrics.requestDuration.observe({ route, operation, outcome }, seconds);
  });
}
