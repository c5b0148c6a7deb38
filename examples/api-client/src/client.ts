// A minimal typed GraphQL client: POSTs a typed document with a personal API key and returns the
// document's own result type. The types come from schema.graphql through GraphQL Code Generator
// (src/generated/), so a field that does not exist, or a wrong variable, fails to compile.
import type { TypedDocumentString } from './generated/graphql.js';

/** The API answered with an error: its code (UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, …) and HTTP status. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  /** The API's GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  url: string;
  /** A personal API key (dbk_…). Sent as a bearer token; never logged. */
  apiKey: string;
  fetch?: typeof fetch;
}

interface GraphQLBody<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export interface Client {
  request<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
  ): Promise<TResult>;
}

export function createClient(options: ClientOptions): Client {
  const send = options.fetch ?? fetch;
  return {
    async request(document, ...[variables]) {
      const response = await send(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
        body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
      });
      const body = (await response.json()) as GraphQLBody<never>;
      const [error] = body.errors ?? [];
      if (error) throw new ApiError(error.message, error.extensions?.code, response.status);
      if (!body.data) throw new ApiError('The API answered without data', undefined, response.status);
      return body.data;
    },
  };
}
