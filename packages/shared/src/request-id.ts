// The rule for a request id both services accept from a caller: short and made of characters that are
// safe to log and echo in a header. Anything else is replaced, so a caller cannot inject into the logs.

export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** The caller's id when it follows the rule, otherwise a new random one. */
export function requestIdOr(given: string | null | undefined): string {
  return given && REQUEST_ID_PATTERN.test(given) ? given : crypto.randomUUID();
}
