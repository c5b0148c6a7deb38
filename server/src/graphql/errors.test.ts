import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { Prisma } from '#src/generated/prisma/client.js';
import { maskUnexpectedErrors } from './errors.js';

/** A resolver's failure as Yoga hands it to the mask: a GraphQLError at the field, wrapping the cause. */
function atField(cause: Error): GraphQLError {
  return new GraphQLError(cause.message, { originalError: cause, path: ['createListing', 'listing'] });
}

function withCode(code: string): Error {
  return Object.assign(new Error('failed'), { code });
}

describe('maskUnexpectedErrors', () => {
  it('answers a database that cannot be used 503 SERVICE_UNAVAILABLE with Retry-After, at the field', () => {
    const unreachable = new Prisma.PrismaClientKnownRequestError("Can't reach database server", {
      code: 'P1001',
      clientVersion: 'test',
    });
    for (const cause of [unreachable, withCode('57P01'), new Error('Connection terminated unexpectedly')]) {
      const masked = maskUnexpectedErrors(atField(cause), 'Unexpected error.', false) as GraphQLError;
      expect(masked.message).toBe('The service cannot use its database right now; try again shortly');
      expect(masked.path).toEqual(['createListing', 'listing']);
      expect(masked.extensions).toEqual({
        code: 'SERVICE_UNAVAILABLE',
        http: { status: 503, headers: { 'Retry-After': '5' } },
      });
      // Nothing of the cause reaches the client.
      expect(JSON.stringify(masked.toJSON())).not.toContain(cause.message);
    }
  });

  it('keeps a cancelled statement TIMEOUT (it is transient too, but the client is told why)', () => {
    const masked = maskUnexpectedErrors(atField(withCode('57014')), 'Unexpected error.', false) as GraphQLError;
    expect(masked.extensions.code).toBe('TIMEOUT');
  });

  it('masks everything else as an unexpected error, with no detail', () => {
    const masked = maskUnexpectedErrors(atField(new TypeError('x is undefined')), 'Unexpected error.', false);
    expect((masked as GraphQLError).message).toBe('Unexpected error.');
    expect((masked as GraphQLError).extensions.code).toBe('INTERNAL_SERVER_ERROR');
  });
});
