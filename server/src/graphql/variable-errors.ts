// Variables GraphQL itself refuses (an unknown input field, a string for a Boolean, a value outside an enum,
// a required field missing) never reach a resolver or its zod rules, so graphql-js answers them in its own
// words, without a code. This gives them the API's: BAD_USER_INPUT with `issues: [{ path, message }]`, the
// path as the zod rules write it (input.notifications.weeklyDigest), so a client maps every refusal of its
// input the same way. Nothing ran, so nothing changed.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ERROR_CODES } from '@deal-brain/shared/error-codes';

/** graphql-js 16: `Variable "$input" got invalid value <value>[ at "input.a.b"]; <reason>`. */
const INVALID_VALUE = /^Variable "\$([A-Za-z_][A-Za-z0-9_]*)" got invalid value /;
/** `Variable "$input" of required type "T!" was not provided.` / `... of non-null type "T!" must not be null.` */
const MISSING_VALUE =
  /^Variable "\$([A-Za-z_][A-Za-z0-9_]*)" of (?:required|non-null) type "[^"]*" (?:was not provided|must not be null)\.$/;
/** The reasons that name a field below the path: unknown, or required and missing. */
const FIELD_REASON = /^Field "([A-Za-z_][A-Za-z0-9_]*)" (?:is not defined by type|of required type)/;
/** Where the value's text ends: ` at "<variable><path>"; ` or `; `. */
const VALUE_END = /^(?: at "([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*)")?; /;

/** `input.rules[1].number` → `input.rules.1.number`. */
const dotted = (path: string) => path.replace(/\[(\d+)\]/g, '.$1');

/**
 * Where the printed value ends, and the path after it. The value is printed by graphql-js's inspect(), whose
 * strings are JSON-quoted (a quote inside is escaped), so the end is the first `; ` outside a string.
 */
function splitAfterValue(rest: string): { at: string | undefined; reason: string } | undefined {
  let inString = false;
  for (let i = 0; i < rest.length; i++) {
    const char = rest[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      inString = true;
      continue;
    }
    const end = VALUE_END.exec(rest.slice(i));
    if (end) return { at: end[1], reason: rest.slice(i + end[0].length) };
  }
  return undefined;
}

/** The issue a variable coercion message describes, or undefined when it is not one. */
export function variableIssue(message: string): { path: string; message: string } | undefined {
  const invalid = INVALID_VALUE.exec(message);
  const split = invalid ? splitAfterValue(message.slice(invalid[0].length)) : undefined;
  if (invalid && split) {
    const field = FIELD_REASON.exec(split.reason)?.[1];
    const path = [dotted(split.at ?? invalid[1]!), ...(field ? [field] : [])].join('.');
    return { path, message: split.reason };
  }
  const missing = MISSING_VALUE.exec(message);
  if (missing) return { path: missing[1]!, message };
  return undefined;
}

export function variableErrorsAsBadUserInput(): Plugin {
  return {
    onExecute: () => ({
      onExecuteDone: ({ result, setResult }) => {
        if (!('errors' in result) || !result.errors?.length || result.data) return;
        let changed = false;
        const errors = result.errors.map((error) => {
          const issue = error.extensions?.code === undefined ? variableIssue(error.message) : undefined;
          if (!issue) return error;
          changed = true;
          return new GraphQLError(error.message, {
            nodes: error.nodes,
            extensions: { ...error.extensions, code: ERROR_CODES.BAD_USER_INPUT, issues: [issue] },
          });
        });
        if (changed) setResult({ ...result, errors });
      },
    }),
  };
}
