// One id per incoming request: sent to the API as x-request-id, logged, and shown on error pages so a
// person can quote it and an operator can find the request in both services' logs.
import { randomUUID } from 'node:crypto';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const ids = new WeakMap<Request, string>();

export function requestIdOf(request: Request): string {
  let id = ids.get(request);
  if (!id) {
    const given = request.headers.get('x-request-id');
    id = given && REQUEST_ID.test(given) ? given : randomUUID();
    ids.set(request, id);
  }
  return id;
}
