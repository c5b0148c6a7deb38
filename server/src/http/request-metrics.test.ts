import { readFileSync } from 'node:fs';
import { Kind, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { KNOWN_OPERATIONS } from '#src/generated/known-operations.js';
import { graphqlOutcome, operationLabel, webhookOutcome } from './request-metrics.js';

describe('operationLabel', () => {
  it('keeps the names of the web app operations and folds every other name into "other"', () => {
    expect(operationLabel('Viewer')).toBe('Viewer');
    expect(operationLabel('Listings')).toBe('Listings');
    expect(operationLabel('listings')).toBe('other');
    expect(operationLabel('Viewer2')).toBe('other');
    expect(operationLabel('__proto__')).toBe('other');
  });

  it('calls a request without a name "anonymous"', () => {
    expect(operationLabel(undefined)).toBe('anonymous');
    expect(operationLabel(null)).toBe('anonymous');
    expect(operationLabel('')).toBe('anonymous');
  });
});

describe('the generated list of known operations', () => {
  it("is exactly the operations of the web app's documents", () => {
    // Read independently of the generator: every document codegen knows, parsed as GraphQL.
    const gql = readFileSync(new URL('../../../web/app/gql/gql.ts', import.meta.url), 'utf8');
    const documents = [...gql.matchAll(/^ {4}("(?:[^"\\]|\\.)*"): typeof types\./gm)].map(
      (match) => JSON.parse(match[1]!) as string,
    );
    expect(documents.length).toBeGreaterThan(10);
    const names = new Set<string>();
    for (const document of documents) {
      for (const definition of parse(document).definitions) {
        if (definition.kind === Kind.OPERATION_DEFINITION && definition.name) names.add(definition.name.value);
      }
    }
    expect([...KNOWN_OPERATIONS]).toEqual([...names].sort());
  });
});

describe('graphqlOutcome', () => {
  const error = (code: string, extra = '') =>
    `{"errors":[{"message":"m","locations":[{"line":1,"column":2}],"path":["a"],"extensions":{${extra}"code":"${code}"}}],"data":null}`;

  it('is ok for an answer with data and no error', () => {
    expect(graphqlOutcome(200, '{"data":{"viewer":{"id":"1"}}}')).toBe('ok');
  });

  it("is the first error's code, whatever follows", () => {
    expect(graphqlOutcome(200, error('NOT_FOUND'))).toBe('NOT_FOUND');
    expect(graphqlOutcome(401, error('UNAUTHENTICATED'))).toBe('UNAUTHENTICATED');
    expect(graphqlOutcome(503, error('TIMEOUT'))).toBe('TIMEOUT');
    const two = `{"errors":[{"message":"a","extensions":{"code":"FORBIDDEN"}},{"message":"b","extensions":{"code":"NOT_FOUND"}}]}`;
    expect(graphqlOutcome(200, two)).toBe('FORBIDDEN');
  });

  it('is not fooled by a code-like text inside a message, or a nested lowercase code', () => {
    const quoted = `{"errors":[{"message":"say \\"code\\":\\"RATE_LIMITED\\"","extensions":{"code":"BAD_USER_INPUT"}}]}`;
    expect(graphqlOutcome(200, quoted)).toBe('BAD_USER_INPUT');
    expect(graphqlOutcome(200, error('BAD_USER_INPUT', '"issues":[{"code":"too_small"}],'))).toBe('BAD_USER_INPUT');
  });

  it('bounds the label: an unknown code is OTHER_ERROR', () => {
    expect(graphqlOutcome(200, error('SOMETHING_NEW'))).toBe('OTHER_ERROR');
  });

  it('counts errors without a code, and failures without a GraphQL body, as INTERNAL_SERVER_ERROR', () => {
    expect(graphqlOutcome(200, '{"errors":[{"message":"Unexpected error."}],"data":null}')).toBe(
      'INTERNAL_SERVER_ERROR',
    );
    expect(graphqlOutcome(500, 'oops')).toBe('INTERNAL_SERVER_ERROR');
    expect(graphqlOutcome(405, '')).toBe('BAD_REQUEST');
  });
});

describe('webhookOutcome', () => {
  it("uses the webhook counter's words", () => {
    expect(webhookOutcome(200, '{"received":true,"outcome":"duplicate"}')).toBe('duplicate');
    expect(webhookOutcome(200, '{"received":true,"outcome":"applied"}')).toBe('applied');
    expect(webhookOutcome(400, '{"error":"invalid_signature"}')).toBe('rejected');
    expect(webhookOutcome(503, '{"error":"unavailable"}')).toBe('failed');
  });
});
