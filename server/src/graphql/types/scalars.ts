import { Kind } from 'graphql';
import { builder } from '../builder.js';
import { badUserInput } from '../errors.js';

// Money travels as a decimal string ("1299.99"): floats cannot hold cents exactly.
const DECIMAL = /^-?\d{1,10}(\.\d{1,2})?$/;

function parseDecimal(value: unknown): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || !DECIMAL.test(text)) {
    throw badUserInput('Decimal must be a number with at most two decimal places, like "1299.99"');
  }
  return text;
}

builder.scalarType('Decimal', {
  description: 'A decimal number with two fractional digits, serialised as a string ("1299.99").',
  serialize: (value) => (typeof value === 'object' ? value.toFixed(2) : Number(value).toFixed(2)),
  parseValue: parseDecimal,
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.FLOAT || ast.kind === Kind.INT) return parseDecimal(ast.value);
    return parseDecimal(undefined);
  },
});

function parseDateTime(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw badUserInput('DateTime must be an ISO 8601 string');
  }
  return date;
}

builder.scalarType('DateTime', {
  description: 'An ISO 8601 timestamp in UTC.',
  serialize: (value) => value.toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

builder.scalarType('JSON', {
  description: 'An arbitrary JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
});
