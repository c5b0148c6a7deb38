// PostgreSQL cannot store U+0000 in text, so a string holding one would fail deep in a resolver as an
// unexpected (masked, 500-looking) error, whichever field it came through. Refused here instead, before
// anything runs: BAD_USER_INPUT naming the variable, and nothing changes.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ERROR_CODES } from '@deal-brain/shared/error-codes';

const NUL = '\u0000';
/** The escape a GraphQL string literal writes it with (`"\u0000"`), any case of hex digits. */
const NUL_ESCAPE = /\\u0{4}/i;

/** The dotted path of the first string holding NUL inside `value`, or undefined. */
export function nulPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], `${path}.${i}`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulPath(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

function refusal(message: string, path?: string): GraphQLError {
  const extensions = { code: ERROR_CODES.BAD_USER_INPUT, ...(path ? { issues: [{ path, message }] } : {}) };
  return new GraphQLError(message, { extensions });
}

export function refuseNulCharacters(): Plugin {
  return {
    onParams({ params, setResult }) {
      const query = params.query ?? '';
      if (query.includes(NUL) || NUL_ESCAPE.test(query)) {
        setResult({ errors: [refusal('Text must not contain the NUL character (U+0000)')] });
        return;
      }
      for (const [name, value] of Object.entries(params.variables ?? {})) {
        const path = nulPath(value, name);
        if (path) {
          setResult({ errors: [refusal('Text must not contain the NUL character (U+0000)', path)] });
          return;
        }
      }
    },
  };
}
