// One id per incoming request: sent to the API as x-request-id, logged, and shown on error pages so a
// person can quote it and an operator can find the request in both services' logs.
import { requestIdOr } from '@deal-brain/shared/request-id';

const ids = new WeakMap<Request, string>();

export function requestIdOf(request: Request): string {
  let id = ids.get(request);
  if (!id) {
    id = requestIdOr(request.headers.get('x-request-id'));
    ids.set(request, id);
  }
  return id;
}
