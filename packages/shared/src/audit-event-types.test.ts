import { describe, expect, it } from 'vitest';
import { AUDIT_EVENT_FAMILIES, AUDIT_EVENT_TYPES, auditEventLabel, isAuditEventType } from './audit-event-types.js';

describe('AUDIT_EVENT_TYPES', () => {
  it('names every type family.name with a non-empty label', () => {
    for (const [type, label] of Object.entries(AUDIT_EVENT_TYPES)) {
      expect(type).toMatch(/^[a-z_]+\.[a-z_]+$/);
      expect(label.trim()).not.toBe('');
    }
  });

  it('lists the families a type filter may name by prefix', () => {
    expect([...AUDIT_EVENT_FAMILIES].sort()).toEqual([
      'api_key.',
      'auth.',
      'collection.',
      'session.',
      'tenant_settings.',
      'user.',
    ]);
  });

  it('labels known types and reads an unknown one as itself', () => {
    expect(auditEventLabel('auth.sign_in')).toBe('Signed in');
    expect(auditEventLabel('future.thing')).toBe('future.thing');
    expect(isAuditEventType('toString')).toBe(false);
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(AUDIT_EVENT_TYPES)).toBe(true);
  });
});
