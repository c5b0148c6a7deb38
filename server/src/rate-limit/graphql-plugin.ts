// Charges each request of a signed-in viewer to its budget (user or API key), exactly once:
// - an operation that executes: its cost with the request's variables (operation-cost.ts), before any
//   resolver runs, so a refused operation does nothing;
// - a request that never executes (a document that fails to parse or validate, a body that is not
//   GraphQL): the minimum, once its answer is ready, which becomes 429 when the budget is spent. Such a
//   request did all its work already (authentication, parsing, validation); it is not free to repeat.
// Anonymous requests were charged to their address by the HTTP layer (http/graphql-route.ts).
import type { Plugin } from 'graphql-yoga';
import type { GraphQLSchema } from 'graphql';
import type { Context } from '#src/graphql/context.js';
import type { ServerContext } from '#src/graphql/yoga.js';
import type { RateLimits } from './limits.js';
import { operationCost } from './operation-cost.js';
import { rateLimitedError, rateLimitedResponse } from './refusal.js';

export function limitOperations(limits: RateLimits, schema: GraphQLSchema): Plugin<Context, ServerContext> {
  /** The requests charged when they executed; the others are charged when answered. */
  const charged = new WeakSet<Request>();
  return {
    onExecute: async ({ args, setResultAndStopExecution }) => {
      const viewer = args.contextValue.viewer;
      if (!viewer) return;
      charged.add(args.contextValue.request);
      const cost = operationCost(schema, args.document, args.variableValues);
      const refusal = await limits.chargeViewer(viewer, cost);
      if (refusal) setResultAndStopExecution({ errors: [rateLimitedError(refusal)] });
    },
    onResponse: async ({ request, serverContext, setResponse, fetchAPI }) => {
      const viewer = serverContext.viewer;
      if (!viewer || charged.has(request)) return;
      // Nothing executed: cost 0, so the minimum is charged.
      const refusal = await limits.chargeViewer(viewer, 0);
      if (refusal) setResponse(rateLimitedResponse(refusal, fetchAPI));
    },
  };
}
