// How a rate-limit refusal reaches the client: 429, Retry-After, extensions.code RATE_LIMITED.
import type { ServerResponse } from 'node:http';
import { ERROR_CODES } from '@deal-brain/shared/error-codes';
import { GraphQLError } from 'graphql';
import { sendGraphQLError } from '#src/http/graphql-error.js';
import type { Refusal } from './limits.js';

function message(refusal: Refusal): string {
  return `Too many requests: retry after ${refusal.retryAfterSeconds} s`;
}

/** From the HTTP layer, before GraphQL runs. */
export function sendRateLimited(res: ServerResponse, refusal: Refusal): void {
  sendGraphQLError(res, 429, ERROR_CODES.RATE_LIMITED, message(refusal), {
    'retry-after': String(refusal.retryAfterSeconds),
  });
}

/**
 * In place of Yoga's answer to a request that never reached execution (it failed to parse or validate):
 * the same answer as sendRateLimited's.
 */
export function rateLimitedResponse(refusal: Refusal, fetchAPI: { Response: typeof Response }): Response {
  const body = { errors: [{ message: message(refusal), extensions: { code: ERROR_CODES.RATE_LIMITED } }] };
  return new fetchAPI.Response(JSON.stringify(body), {
    status: 429,
    headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(refusal.retryAfterSeconds) },
  });
}

/** From GraphQL: Yoga answers with the status and headers of `extensions.http`. */
export function rateLimitedError(refusal: Refusal): GraphQLError {
  return new GraphQLError(message(refusal), {
    extensions: {
      code: ERROR_CODES.RATE_LIMITED,
      http: { status: 429, headers: { 'Retry-After': String(refusal.retryAfterSeconds) } },
    },
  });
}
