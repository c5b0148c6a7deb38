// The GraphQL endpoint. The HTTP layer has already authenticated the request
// (http/graphql-route.ts); the context carries the viewer's RLS client and nothing else that
// reaches the database.
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, NoSchemaIntrospectionCustomRule, getOperationAST } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import { credentialAllows } from '#src/auth/api-key.js';
import type { Viewer } from '#src/auth/viewer.js';
import type { ClerkBackend } from '#src/clerk/backend-api.js';
import type { ProfileWriter } from '#src/clerk/profile-writer.js';
import type { BasePrisma } from '#src/db/client.js';
import { rlsClient, withRls } from '#src/db/rls.js';
import type { Config } from '#src/config.js';
import type { ClientInfo } from '#src/http/client-info.js';
import { keepAppliedMutationsFromRetries } from './committed-mutations.js';
import type { Context } from './context.js';
import { forbidden, maskUnexpectedErrors } from './errors.js';
import { answerOversizedBodies } from './oversized-body.js';
import { schema } from './schema.js';
import { refuseNulCharacters } from './nul-characters.js';
import { stopAtDeadline } from './time-limits.js';
import { variableErrorsAsBadUserInput } from './variable-errors.js';
import { limitOperations } from '#src/rate-limit/graphql-plugin.js';
import type { RateLimits } from '#src/rate-limit/limits.js';

export interface ServerContext {
  requestId: string;
  log: Logger;
  /** Who is calling, established before the request reaches Yoga; null when anonymous. */
  viewer: Viewer | null;
  /** The client's address (trusted proxies applied) and user agent. */
  client: ClientInfo;
  /**
   * Aborted when the request runs past GRAPHQL_REQUEST_TIMEOUT_MS (http/graphql-route.ts): execution
   * stops, the RLS client starts nothing more and open transactions roll back (ADR 0061).
   */
  deadline?: AbortSignal;
}

export interface YogaDeps {
  config: Config;
  base: BasePrisma;
  log: Logger;
  clerk: ClerkBackend;
  profiles: ProfileWriter;
  /** Each operation charged to its user's or API key's budget, by its cost (rate-limit/). */
  rateLimits?: RateLimits;
  /** Run before all others (the request metrics' operation names: http/request-metrics.ts). */
  plugins?: Plugin[];
}

function refuseUnusable(): never {
  throw new Error('No database access without a signed-in viewer');
}

/** Masked errors reach the client as "Unexpected error."; the cause must reach our logs. */
function logUnexpectedErrors(): Plugin<Context> {
  return {
    onExecute: () => ({
      onExecuteDone: ({ args, result }) => {
        if (!('errors' in result) || !result.errors) return;
        for (const error of result.errors) {
          const cause = error.originalError;
          if (cause && !(cause instanceof GraphQLError)) {
            args.contextValue.log.error(
              { event: 'graphql.unexpected_error', path: error.path, err: cause },
              'resolver failed',
            );
          }
        }
      },
    }),
  };
}

/**
 * A personal API key runs only the operations its scopes allow: a mutation needs WRITE. Decided
 * for the whole operation before anything executes, so no Mutation field, present or future, can
 * forget the check, and a refused document changes nothing.
 */
function refuseOperationsBeyondKeyScopes(): Plugin<Context> {
  return {
    onExecute: ({ args, setResultAndStopExecution }) => {
      const operation = getOperationAST(args.document, args.operationName)?.operation;
      if (!operation || credentialAllows(args.contextValue.viewer?.credential, operation)) return;
      setResultAndStopExecution({
        errors: [
          forbidden(
            operation === 'mutation'
              ? 'This API key is read-only: mutations need the WRITE scope'
              : 'API keys cannot run this operation',
          ),
        ],
      });
    },
  };
}

/** The schema is published as schema.graphql; production does not answer introspection. */
function disableIntrospection(): Plugin {
  return { onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) };
}

function yogaLogger(log: Logger) {
  return {
    debug: (...args: unknown[]) => log.debug({ event: 'yoga', args }, 'yoga'),
    info: (...args: unknown[]) => log.info({ event: 'yoga', args }, 'yoga'),
    warn: (...args: unknown[]) => log.warn({ event: 'yoga', args }, 'yoga'),
    error: (...args: unknown[]) =>
      log.error({ event: 'yoga.error', err: args.find((a) => a instanceof Error) }, 'yoga error'),
  };
}

export function createGraphQLServer(deps: YogaDeps): YogaServerInstance<ServerContext, Context> {
  const { config, base } = deps;
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
    logging: yogaLogger(deps.log),
    // Bounds the body while it is read; a declared length is checked before (http/graphql-route.ts).
    maxRequestBodySize: config.graphql.maxBodyBytes,
    // The API takes JSON only: no file uploads, and no multipart parser that would wrap the body
    // limit's refusal in its own error.
    multipart: false,
    // The API is called server to server (the web app's loaders, scripts with an API key), never by a
    // browser page: no CORS headers at all, so no other site's script can read an answer (ADR 0066).
    cors: false,
    // Unexpected errors become "Unexpected error." with no message or stack, in every mode; a statement
    // cancelled at its time limit is TIMEOUT (time-limits.ts), a database that cannot be used 503
    // SERVICE_UNAVAILABLE (errors.ts).
    maskedErrors: { isDev: false, maskError: maskUnexpectedErrors },
    plugins: [
      ...(deps.plugins ?? []),
      ...armor.protect().plugins,
      // Before anything else runs: an operation over its viewer's budget does nothing.
      ...(deps.rateLimits ? [limitOperations(deps.rateLimits, schema)] : []),
      logUnexpectedErrors(),
      // After the logging above (which wants the raw causes), before Yoga's masking.
      keepAppliedMutationsFromRetries(schema),
      refuseNulCharacters(),
      variableErrorsAsBadUserInput(),
      refuseOperationsBeyondKeyScopes(),
      stopAtDeadline(),
      answerOversizedBodies(config.graphql.maxBodyBytes),
      ...(config.nodeEnv === 'production' ? [disableIntrospection()] : []),
    ],
    context: ({ requestId, log, viewer, client, deadline }) => ({
      requestId,
      client,
      log: viewer ? log.child({ userId: viewer.userId }) : log,
      viewer,
      db: viewer ? rlsClient(base, viewer, deadline) : null,
      readAhead: new Map(),
      appliedMutationFields: 0,
      withRls: viewer
        ? (fn, options) => withRls(base, viewer, fn, { ...options, ...(deadline ? { signal: deadline } : {}) })
        : refuseUnusable,
      clerk: deps.clerk,
      profiles: deps.profiles,
    }),
  });
}
