import { describe, expect, it } from 'vitest';
import { Prisma } from '#src/generated/prisma/client.js';
import { GraphQLError } from 'graphql';
import { causedByTransientDatabaseError, isTransientDatabaseError } from './transient-errors.js';

function knownError(code: string, cause?: Record<string, unknown>) {
  return new Prisma.PrismaClientKnownRequestError('failed', {
    code,
    clientVersion: 'test',
    ...(cause ? { meta: { driverAdapterError: { name: 'DriverAdapterError', cause } } } : {}),
  });
}

function withCode(code: string): Error {
  return Object.assign(new Error('failed'), { code });
}

describe('isTransientDatabaseError', () => {
  it.each(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2034'])('retries Prisma %s', (code) => {
    expect(isTransientDatabaseError(knownError(code))).toBe(true);
  });

  it.each(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections'])(
    'retries a driver adapter failure of kind %s',
    (kind) => {
      expect(isTransientDatabaseError(knownError('P2010', { kind }))).toBe(true);
    },
  );

  it.each(['40001', '40P01', '57P01', '57014', '08006', '53300', '55P03'])('retries PostgreSQL SQLSTATE %s', (code) => {
    expect(isTransientDatabaseError(knownError('P2010', { kind: 'postgres', code }))).toBe(true);
    expect(isTransientDatabaseError(withCode(code))).toBe(true);
  });

  it('retries lost connections reported by node-postgres and the socket', () => {
    expect(isTransientDatabaseError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientDatabaseError(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isTransientDatabaseError(withCode('ECONNREFUSED'))).toBe(true);
    expect(isTransientDatabaseError(new Prisma.PrismaClientInitializationError('down', 'test'))).toBe(true);
  });

  it('does not retry our own mistakes', () => {
    expect(isTransientDatabaseError(knownError('P2002'))).toBe(false);
    expect(isTransientDatabaseError(knownError('P2010', { kind: 'postgres', code: '42501' }))).toBe(false);
    expect(isTransientDatabaseError(knownError('P2010', { kind: 'UniqueConstraintViolation' }))).toBe(false);
    expect(isTransientDatabaseError(withCode('23505'))).toBe(false);
    expect(isTransientDatabaseError(new TypeError('x is undefined'))).toBe(false);
    expect(isTransientDatabaseError(null)).toBe(false);
    expect(isTransientDatabaseError('Connection terminated')).toBe(false);
  });
});

describe('causedByTransientDatabaseError', () => {
  it("finds a transient failure inside the GraphQLError a resolver's failure becomes, or an Error's cause", () => {
    const located = new GraphQLError('failed', { originalError: knownError('P1001') });
    expect(causedByTransientDatabaseError(located)).toBe(true);
    expect(causedByTransientDatabaseError(new Error('outer', { cause: withCode('57P01') }))).toBe(true);
    expect(causedByTransientDatabaseError(knownError('P1017'))).toBe(true);
  });

  it('is false for our own mistakes, wrapped or not, and for cycles', () => {
    expect(causedByTransientDatabaseError(new GraphQLError('failed', { originalError: knownError('P2002') }))).toBe(
      false,
    );
    expect(causedByTransientDatabaseError(new TypeError('x is undefined'))).toBe(false);
    const cyclic = new Error('a') as Error & { cause?: unknown };
    cyclic.cause = cyclic;
    expect(causedByTransientDatabaseError(cyclic)).toBe(false);
    expect(causedByTransientDatabaseError(undefined)).toBe(false);
  });
});
