// A body that grows past the limit while Yoga reads it (a chunked body declares no length) is
// refused by Yoga itself (maxRequestBodySize). It gets the answer the HTTP layer gives a body
// declared too large (http/graphql-route.ts): the same status, code and message, and the
// connection closed rather than the rest of the body read.
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { bodyTooLarge } from '#src/http/request-body.js';

type ProcessedResult = Parameters<NonNullable<Plugin['onResultProcess']>>[0]['result'];

/** The code of Yoga's own refusal. */
const YOGA_BODY_TOO_LARGE = 'REQUEST_ENTITY_TOO_LARGE';

function refusedAsTooLarge(result: ProcessedResult): boolean {
  if (Array.isArray(result) || !('errors' in result)) return false;
  return result.errors?.some((error) => error.extensions?.code === YOGA_BODY_TOO_LARGE) ?? false;
}

export function answerOversizedBodies(maxBytes: number): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (!refusedAsTooLarge(result)) return;
      const refusal = bodyTooLarge(maxBytes);
      const extensions = { code: 'BAD_REQUEST', http: { status: refusal.status, headers: { connection: 'close' } } };
      setResult({ errors: [createGraphQLError(refusal.message, { extensions })] });
    },
  };
}
