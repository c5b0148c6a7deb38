// A mutation's root fields run one after another, each applying (committing) its own change. When the
// database fails after one of them was applied, a 503 with Retry-After would tell the client to send the
// whole request again and apply that change twice. Then the failure stays SERVICE_UNAVAILABLE at its field,
// but without the 503: the answer is a 200, as GraphQL answers any field error (ADR 0070).
import { ERROR_CODES } from '@deal-brain/shared/error-codes';
import { defaultFieldResolver, getOperationAST, type GraphQLError, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from './context.js';
import { databaseUnavailable, isDatabaseUnavailable } from './errors.js';

const counted = new WeakSet<GraphQLSchema>();

/**
 * Wraps every Mutation field's resolver (once per schema) to count, in the request's context, the fields
 * whose resolver returned: their change is done. A field refused by its scope or failing counts nothing.
 */
function countAppliedMutationFields(schema: GraphQLSchema): void {
  const mutation = schema.getMutationType();
  if (!mutation || counted.has(schema)) return;
  counted.add(schema);
  for (const field of Object.values(mutation.getFields())) {
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = async (source, args, ctx: Context, info) => {
      const value: unknown = await resolve(source, args, ctx, info);
      ctx.appliedMutationFields += 1;
      return value;
    };
  }
}

/** The error as the client gets it once another field of its mutation was applied. */
function notRetryable(error: GraphQLError): GraphQLError {
  // Masking runs after this plugin, so the error may still be the raw cause or already SERVICE_UNAVAILABLE.
  const unavailable = error.extensions.code === ERROR_CODES.SERVICE_UNAVAILABLE || isDatabaseUnavailable(error);
  return unavailable ? databaseUnavailable(error, { retryable: false }) : error;
}

/**
 * A mutation of which any root field was applied (before or after the failure: a nullable field may run
 * after a failed one) answers a database failure without HTTP 503 / Retry-After. Only a mutation that
 * applied nothing is 503, and safe to retry. Register after the plugins that log a result's raw errors.
 */
export function keepAppliedMutationsFromRetries(schema: GraphQLSchema): Plugin<Context> {
  countAppliedMutationFields(schema);
  return {
    onExecute: ({ args }) => {
      if (getOperationAST(args.document, args.operationName)?.operation !== 'mutation') return;
      return {
        onExecuteDone: ({ result, setResult }) => {
          if (args.contextValue.appliedMutationFields === 0) return;
          if (!('errors' in result) || !result.errors) return;
          setResult({ ...result, errors: result.errors.map(notRetryable) });
        },
      };
    },
  };
}
