// The record-level buttons of the scoring and valuation pages (make default, activate, delete): one
// mutation whose only failure is that the record is not the viewer's (or is gone), then back with a notice.
import { redirect } from '@remix-run/node';
import type { AnyVariables, TypedDocumentNode } from '@urql/core';
import type { Api } from '~/graphql/client.server';
import { notFound } from './not-found.server';

/**
 * An action's `mutateOrNotFound(document, variables, to)`: runs the mutation, then redirects to `to`
 * (with the session's headers); if the mutation fails, throws the 404 instead.
 */
export function mutateOrNotFoundFor(api: Api, request: Request, headers: Headers) {
  return async <Data, Variables extends AnyVariables>(
    document: TypedDocumentNode<Data, Variables>,
    variables: Variables,
    to: string,
  ): Promise<ReturnType<typeof redirect>> => {
    const result = await api.mutate(document, variables);
    if (!result.ok) throw notFound(request, headers);
    return redirect(to, { headers });
  };
}
