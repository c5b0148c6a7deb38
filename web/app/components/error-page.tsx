import { ERROR_CODES } from '@deal-brain/shared/error-codes';
import { Form, Link, isRouteErrorResponse } from '@remix-run/react';
import type { ReactNode } from 'react';

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

interface ErrorMessageProps {
  title: string;
  /** The explanation, in a sentence or two. */
  message: ReactNode;
  /** What the person can do next (a link, a button). */
  children?: ReactNode;
  requestId?: string | undefined;
  testId?: string;
}

function ErrorMessage({ title, message, children, requestId, testId }: ErrorMessageProps) {
  return (
    <section aria-labelledby="error-title" data-testid={testId}>
      <h1 id="error-title" className="text-2xl font-bold">
        {title}
      </h1>
      <p className="mt-3 text-slate-700">{message}</p>
      {children}
      <RequestId id={requestId} />
    </section>
  );
}

/**
 * What a person sees when something goes wrong. Never renders an exception's message or stack: only
 * our own payloads (code, message, request id) from thrown Responses.
 */
export function ErrorPage({ error }: { error: unknown }) {
  if (!isRouteErrorResponse(error)) {
    return (
      <ErrorMessage
        title="Something went wrong"
        message="An unexpected error happened. Please try again in a moment."
      />
    );
  }
  const payload = payloadOf(error.data);
  if (payload.code === ERROR_CODES.ACCOUNT_DISABLED) {
    return (
      <ErrorMessage
        title="Your account is disabled"
        message={
          'An administrator has deactivated this account, so Deal Brain cannot show your data. If you think this is ' +
          'a mistake, contact your administrator.'
        }
        requestId={payload.requestId}
        testId="account-disabled"
      >
        <Form method="post" action="/sign-out" reloadDocument className="mt-6">
          <button type="submit" className="rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white">
            Sign out
          </button>
        </Form>
      </ErrorMessage>
    );
  }
  if (payload.code === ERROR_CODES.SIGNUPS_DISABLED) {
    return (
      <ErrorMessage
        title="Sign-ups are closed"
        message={
          'You signed in with an identity that has no Deal Brain account yet, and new accounts cannot be created ' +
          'right now: an administrator has turned sign-ups off. Existing accounts work as usual. If you already ' +
          'have an account, sign out and sign in with it; otherwise ask your administrator, or try again later.'
        }
        requestId={payload.requestId}
        testId="signups-disabled"
      >
        <Form method="post" action="/sign-out" reloadDocument className="mt-6">
          <button type="submit" className="rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white">
            Sign out
          </button>
        </Form>
      </ErrorMessage>
    );
  }
  if (payload.code === ERROR_CODES.RATE_LIMITED || error.status === 429) {
    return (
      <ErrorMessage
        title="Too many requests"
        message={`${payload.message ?? 'Too many requests, try again in a moment'}.`}
        requestId={payload.requestId}
        testId="rate-limited"
      />
    );
  }
  if (payload.code === ERROR_CODES.TIMEOUT) {
    return (
      <ErrorMessage
        title="That took too long"
        message="Deal Brain took too long to answer this request. Please try again in a moment."
        requestId={payload.requestId}
        testId="timed-out"
      />
    );
  }
  if (payload.code === 'API_UNAVAILABLE') {
    // The API (or, in local mode, the sign-in service it hosts) could not be reached: a 503, worth a retry.
    return (
      <ErrorMessage
        title="Deal Brain is not reachable right now"
        message={`${payload.message ?? 'The Deal Brain API is not reachable right now'}. Please try again in a moment.`}
        requestId={payload.requestId}
        testId="api-unavailable"
      />
    );
  }
  if (error.status === 404) {
    return (
      <ErrorMessage
        title="Not found"
        message="There is nothing here, or it is not yours to see."
        requestId={payload.requestId}
      >
        <Link to="/app" className="mt-6 inline-block font-medium text-indigo-700 underline">
          Back to your listings
        </Link>
      </ErrorMessage>
    );
  }
  if (error.status === 403) {
    return (
      <ErrorMessage
        title="Not allowed"
        message={payload.message ?? 'You do not have access to this page.'}
        requestId={payload.requestId}
      />
    );
  }
  return (
    <ErrorMessage
      title="Something went wrong"
      message={`${payload.message ?? 'We could not complete this request.'} Please try again in a moment.`}
      requestId={payload.requestId}
    />
  );
}
