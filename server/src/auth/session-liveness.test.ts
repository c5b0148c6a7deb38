// Local mode's refusal of tokens whose session has ended.
import { describe, expect, it } from 'vitest';
import { InvalidCredentialError } from './errors.js';
import { assertSessionLive, SESSION_ENDED, type SessionLiveness } from './session-liveness.js';

function livenessOf(states: Record<string, ReturnType<SessionLiveness>>) {
  const asked: string[] = [];
  const liveness: SessionLiveness = (sessionId) => {
    asked.push(sessionId);
    return states[sessionId] ?? 'unknown';
  };
  return { liveness, asked };
}

describe('assertSessionLive', () => {
  it('lets an active session through, asking once', () => {
    const { liveness, asked } = livenessOf({ sess_a: 'active' });
    expect(() => assertSessionLive('sess_a', liveness)).not.toThrow();
    expect(asked).toEqual(['sess_a']);
  });

  it('refuses an ended session as an invalid credential with its own reason', () => {
    const { liveness } = livenessOf({ sess_a: 'ended' });
    let error: unknown;
    try {
      assertSessionLive('sess_a', liveness);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidCredentialError);
    expect(error).toMatchObject({ reason: SESSION_ENDED });
    expect(SESSION_ENDED).toBe('session-ended');
  });

  it('lets an unknown session (a restarted provider) and a token without a session through', () => {
    const { liveness, asked } = livenessOf({});
    expect(() => assertSessionLive('sess_gone', liveness)).not.toThrow();
    expect(() => assertSessionLive(undefined, liveness)).not.toThrow();
    expect(asked).toEqual(['sess_gone']);
  });
});
