import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '#src/graphql/schema.js';
import { DEFAULT_PAGE_SIZE, MAX_COSTS_PER_DOCUMENT, MAX_PAGE_SIZE, operationCost } from './operation-cost.js';

const cost = (source: string, variables?: Record<string, unknown>) => operationCost(schema, parse(source), variables);

const literal = (size: number) => cost(`{ listings(first: ${size}) { edges { node { id title } } } }`);
const BY_VARIABLE = 'query ($n: Int) { listings(first: $n) { edges { node { id title } } } }';

describe('operationCost', () => {
  it('grows with the page size asked for, as graphql-armor counts it', () => {
    const small = literal(1);
    const large = literal(50);
    expect(small).toBeGreaterThan(1);
    expect(large).toBeGreaterThan(small * 45);
  });

  it('takes the largest operation of a document, and is at least 1', () => {
    const document = parse('query A { __typename } query B { listings(first: 10) { edges { node { id } } } }');
    expect(operationCost(schema, document)).toBe(
      operationCost(schema, parse('{ listings(first: 10) { edges { node { id } } } }')),
    );
    expect(operationCost(schema, parse('{ __typename }'))).toBe(1);
  });

  it('caches per parsed document', () => {
    const document = parse('{ listings(first: 2) { edges { node { id } } } }');
    expect(operationCost(schema, document)).toBe(operationCost(schema, document));
  });

  it('a page size given as a variable costs what the same literal costs', () => {
    for (const n of [1, 10, 20, 100]) expect(cost(BY_VARIABLE, { n })).toBe(literal(n));
    const backwards =
      'query ($n: Int, $before: String) { listings(last: $n, before: $before) { edges { node { id title } } } }';
    expect(cost(backwards, { n: 50, before: 'x' })).toBe(literal(50));
    expect(literal(100)).toBeGreaterThan(cost(BY_VARIABLE, { n: 1 }) * 95);
  });

  it('counts the same parsed document at each request’s own page size', () => {
    const document = parse(BY_VARIABLE);
    expect(operationCost(schema, document, { n: 5 })).toBe(literal(5));
    expect(operationCost(schema, document, { n: 100 })).toBe(literal(100));
    expect(operationCost(schema, document, { n: 5 })).toBe(literal(5));
  });

  it('counts a page size over the maximum as the maximum, which is all a connection returns', () => {
    expect(cost(BY_VARIABLE, { n: 1_000_000 })).toBe(literal(MAX_PAGE_SIZE));
    expect(literal(1_000)).toBe(literal(MAX_PAGE_SIZE));
  });

  it('a variable not sent: its declared default, else the connection’s default page size', () => {
    const withDefault = 'query ($n: Int = 40) { listings(first: $n) { edges { node { id title } } } }';
    expect(cost(withDefault, {})).toBe(literal(40));
    expect(cost(withDefault, { n: 3 })).toBe(literal(3));
    expect(cost(BY_VARIABLE, {})).toBe(literal(DEFAULT_PAGE_SIZE));
    expect(cost(BY_VARIABLE)).toBe(literal(DEFAULT_PAGE_SIZE));
    // null asks for no page size: the default applies, declared default or not.
    expect(cost(BY_VARIABLE, { n: null })).toBe(literal(DEFAULT_PAGE_SIZE));
    expect(cost(withDefault, { n: null })).toBe(literal(DEFAULT_PAGE_SIZE));
  });

  it('a variable that is not an Int counts as the most a page holds', () => {
    for (const n of ['100', 2.5, { n: 1 }, true]) expect(cost(BY_VARIABLE, { n })).toBe(literal(MAX_PAGE_SIZE));
  });

  it('a connection asked for without a page size counts at the default page size it is served with', () => {
    expect(cost('{ listings { edges { node { id title } } } }')).toBe(literal(DEFAULT_PAGE_SIZE));
  });

  it('the web app’s paging: the page argument sent counts, the one left out does not', () => {
    const paged =
      'query ($first: Int, $after: String, $last: Int, $before: String) { listings(first: $first, after: $after, last: $last, before: $before) { edges { node { id title } } } }';
    expect(cost(paged, { first: 30, after: null })).toBe(literal(30));
    expect(cost(paged, { last: 30, before: 'x' })).toBe(literal(30));
  });

  it('multiplies nested connections and connections in fragments by their own variables', () => {
    const nested = `query ($collections: Int, $items: Int) {
      collections(first: $collections) { edges { node { ...Items } } }
    }
    fragment Items on Collection { items(first: $items) { edges { node { id note } } } }`;
    const literals = `{
      collections(first: 10) { edges { node { ...Items } } }
    }
    fragment Items on Collection { items(first: 30) { edges { node { id note } } } }`;
    expect(cost(nested, { collections: 10, items: 30 })).toBe(cost(literals));
    expect(cost(nested, { collections: 10, items: 30 })).toBeGreaterThan(
      cost(nested, { collections: 10, items: 1 }) * 25,
    );
  });

  it('keeps a bounded number of costs per document and stays right past it', () => {
    const document = parse(BY_VARIABLE);
    for (let n = 1; n <= MAX_COSTS_PER_DOCUMENT; n++) operationCost(schema, document, { n });
    expect(operationCost(schema, document, { n: 7 })).toBe(literal(7));
    expect(operationCost(schema, document, { n: 1 })).toBe(literal(1));
  });
});
