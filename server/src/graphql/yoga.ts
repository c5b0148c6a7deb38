// The GraphQL endpoint: authentication happens once, in the context factory; the context then
// carries the viewer's RLS client and nothing else that reaches the database.
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Authenticate } from '#src/auth/authenticate.js';
import { AccountDisabledError, InvalidCredentialError } from '#src/auth/errors.js';
import type { Viewer } from '#src/auth/viewer.js';
import type { BasePrisma } from '#src/db/client.js';
import { rlsClient, withRls } from '#src/db/rls.js';
import type { Config } from '#src/config.js';
import type { Context } from './context.js';
import { accountDisabled, invalidToken } from './errors.js';
import { schema } from './schema.js';

export interface ServerContext {
  requestId: string;
  log: Logger;
}

export interface YogaDeps {
  config: Config;
  base: BasePrisma;
  authenticate: Authenticate;
}

async function viewerOrRefuse(
  authenticate: Authenticate,
  authorization: string | null,
  log: Logger,
): Promise<Viewer | null> {
  try {
    return await authenticate(authorization);
  } catch (error) {
    if (error instanceof InvalidCredentialError) {
      log.warn({ event: 'auth.failed', reason: error.reason }, 'credential refused');
      throw invalidToken();
    }
    if (error instanceof AccountDisabledError) {
      log.warn({ event: 'auth.account_disabled', userId: error.userId }, 'disabled account refused');
      throw accountDisabled();
    }
    throw error;
  }
}

function refuseUnusable(): never {
  throw new Error('No database access without a signed-in viewer');
}

export function createGraphQLServer(deps: YogaDeps): YogaServerInstance<ServerContext, Context> {
  const { config, base, authenticate } = deps;
  const armor = new EnvelopArmor({
    maxDepth: { n: config.graphql.maxDepth, ignoreIntrospection: true },
    maxTokens: { n: config.graphql.maxTokens },
    maxAliases: { n: 20 },
    maxDirectives: { n: 20 },
    costLimit: { maxCost: 5000 },
    blockFieldSuggestion: { enabled: true },
  });
  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: config.graphql.graphiql,
    landingPage: false,
    logging: false,
    // Unexpected errors become "Unexpected error." with no message or stack, in every mode.
    maskedErrors: { isDev: false },
    plugins: [...armor.protect().plugins],
    context: async ({ request, requestId, log }) => {
      const viewer = await viewerOrRefuse(authenticate, request.headers.get('authorization'), log);
      return {
        requestId,
        log: viewer ? log.child({ userId: viewer.userId }) : log,
        viewer,
        db: viewer ? rlsClient(base, viewer) : null,
        withRls: viewer ? (fn) => withRls(base, viewer, fn) : refuseUnusable,
      };
    },
  });
}
