import { Form, Link, isRouteErrorResponse } from '@remix-run/react';

interface Payload {
  code?: string;
  message?: string;
  requestId?: string;
}

function payloadOf(data: unknown): Payload {
  return typeof data === 'object' && data !== null ? (data as Payload) : {};
}

function RequestId({ id }: { id: string | undefined }) {
  if (!id) return null;
  return (
    <p className="mt-6 text-sm text-slate-600">
      If this keeps happening, quote this request id: <code data-testid="request-id">{id}</code>
    </p>
  );
}

/**
 * What a person sees when something goes wrong. Never renders an exception's message or stack: only
 * our own payloads (code, message, request id) from thrown Responses.
 */
export function ErrorPage({ error }: { error: unknown }) {
  if (isRouteErrorResponse(error)) {
    const payload = payloadOf(error.data);
    if (payload.code === 'ACCOUNT_DISABLED') {
      return (
        <section aria-labelledby="error-title" data-testid="account-disabled">
          <h1 id="error-title" className="text-2xl font-bold">
            Your account is disabled
          </h1>
          <p className="mt-3 text-slate-700">
            An administrator has deactivated this account, so Deal Brain cannot show your data. If you think this is a
            mistake, contact your administrator.
          </p>
          <Form method="post" action="/sign-out" reloadDocument className="mt-6">
            <button type="submit" className="rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white">
              Sign out
            </button>
          </Form>
          <RequestId id={payload.requestId} />
        </section>
      );
    }
    if (error.status === 404) {
      return (
        <section aria-labelledby="error-title">
          <h1 id="error-title" className="text-2xl font-bold">
            Not found
          </h1>
          <p className="mt-3 text-slate-700">There is nothing here, or it is not yours to see.</p>
          <Link to="/app" className="mt-6 inline-block font-medium text-indigo-700 underline">
            Back to your listings
          </Link>
          <RequestId id={payload.requestId} />
        </section>
      );
    }
    if (error.status === 403) {
      return (
        <section aria-labelledby="error-title">
          <h1 id="error-title" className="text-2xl font-bold">
            Not allowed
          </h1>
          <p className="mt-3 text-slate-700">{payload.message ?? 'You do not have access to this page.'}</p>
          <RequestId id={payload.requestId} />
        </section>
      );
    }
    return (
      <section aria-labelledby="error-title">
        <h1 id="error-title" className="text-2xl font-bold">
          Something went wrong
        </h1>
        <p className="mt-3 text-slate-700">
          {payload.message ?? 'We could not complete this request.'} Please try again in a moment.
        </p>
        <RequestId id={payload.requestId} />
      </section>
    );
  }
  return (
    <section aria-labelledby="error-title">
      <h1 id="error-title" className="text-2xl font-bold">
        Something went wrong
      </h1>
      <p className="mt-3 text-slate-700">An unexpected error happened. Please try again in a moment.</p>
    </section>
  );
}
