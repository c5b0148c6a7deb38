// What an admin's change to a user's role or status may do: pure rules over the rows the mutation locked
// (the target and every active, non-deleted admin), so the decision is made on a state no concurrent
// change can alter before the transaction ends.
import type { Role } from '#src/generated/prisma/client.js';

/** The target's row as locked. */
export interface TargetState {
  id: string;
  role: Role;
  active: boolean;
  deleted: boolean;
}

export type AdminChange = { kind: 'role'; role: Role } | { kind: 'active'; active: boolean };

/** Why a change is refused (FORBIDDEN, `extensions.reason`). */
export type GuardReason = 'self-demotion' | 'self-deactivation' | 'last-admin' | 'not-admin';

export type Decision =
  { outcome: 'apply' } | { outcome: 'no-op' } | { outcome: 'deleted' } | { outcome: 'refused'; reason: GuardReason };

export const GUARD_MESSAGES: Record<GuardReason, string> = {
  'self-demotion': 'You cannot remove your own admin role. Another admin can.',
  'self-deactivation': 'You cannot deactivate your own account. Another admin can.',
  'last-admin': 'This change would leave no active admin. Make another user an admin first.',
  'not-admin': 'You are no longer an admin.',
};

export interface DecisionInput {
  actorId: string;
  target: TargetState;
  change: AdminChange;
  /** Ids of every active, non-deleted admin, locked with the target. */
  activeAdminIds: readonly string[];
}

export function decideAdminChange({ actorId, target, change, activeAdminIds }: DecisionInput): Decision {
  if (target.deleted) return { outcome: 'deleted' };
  const self = target.id === actorId;
  if (change.kind === 'role' && self && change.role !== 'ADMIN') return { outcome: 'refused', reason: 'self-demotion' };
  if (change.kind === 'active' && self && !change.active) return { outcome: 'refused', reason: 'self-deactivation' };
  const unchanged = change.kind === 'role' ? target.role === change.role : target.active === change.active;
  if (unchanged) return { outcome: 'no-op' };
  // The target stops counting as an active admin: demoted, or deactivated while an admin.
  const removesAnAdmin =
    activeAdminIds.includes(target.id) && (change.kind === 'role' ? change.role !== 'ADMIN' : !change.active);
  if (removesAnAdmin && activeAdminIds.every((id) => id === target.id)) {
    return { outcome: 'refused', reason: 'last-admin' };
  }
  // The actor was demoted or deactivated by a change that committed while this request was in flight.
  if (!activeAdminIds.includes(actorId)) return { outcome: 'refused', reason: 'not-admin' };
  return { outcome: 'apply' };
}
