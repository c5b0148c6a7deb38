// A session as the API shows it, made from Clerk's Backend API session (the same shape in local mode,
// where the provider's stand-in answers): browser and device in words, times as dates, and whether it
// is the session of the request's own token. Pure: no I/O.
import type { Session as ClerkSession } from '@clerk/backend';

export interface SessionView {
  /** Clerk's session id (sess_…), not a global id. */
  id: string;
  /** "Chrome 120"; null when Clerk could not tell. */
  browser: string | null;
  /** "Linux desktop", "iPhone"; null when Clerk could not tell. */
  device: string | null;
  createdAt: Date;
  lastActiveAt: Date;
  current: boolean;
}

/** The fields of Clerk's session this view reads (what getSessionList and getSession answer). */
export type ClerkSessionFields = Pick<ClerkSession, 'id' | 'userId' | 'status' | 'createdAt' | 'lastActiveAt'> & {
  latestActivity?: Pick<
    NonNullable<ClerkSession['latestActivity']>,
    'browserName' | 'browserVersion' | 'deviceType' | 'isMobile'
  >;
};

const clean = (value: string | undefined | null): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

/** The browser's name and major version: "Chrome 120.0.6099.71" → "Chrome 120". */
export function browserLabel(name: string | undefined, version: string | undefined): string | null {
  const browser = clean(name);
  if (!browser) return null;
  const major = clean(version)?.split('.')[0];
  return major && /^\d+$/.test(major) ? `${browser} ${major}` : browser;
}

/**
 * The device in words: a phone or tablet by its type ("iPhone", "Android"), anything else a desktop of
 * its system ("Linux desktop", "macOS desktop").
 */
export function deviceLabel(deviceType: string | undefined, isMobile: boolean | undefined): string | null {
  const type = clean(deviceType);
  if (isMobile) return type ?? 'Mobile device';
  return type ? `${type} desktop` : null;
}

export function sessionView(session: ClerkSessionFields, currentSessionId: string | undefined): SessionView {
  const activity = session.latestActivity;
  return {
    id: session.id,
    browser: browserLabel(activity?.browserName, activity?.browserVersion),
    device: deviceLabel(activity?.deviceType, activity?.isMobile),
    createdAt: new Date(session.createdAt),
    // Clerk fills last_active_at from the start; a missing one would be the session's start.
    lastActiveAt: new Date(session.lastActiveAt || session.createdAt),
    current: currentSessionId !== undefined && session.id === currentSessionId,
  };
}

/** Newest activity first; ties by creation, then id, so the order is stable. */
export function byLatestActivity(a: SessionView, b: SessionView): number {
  return (
    b.lastActiveAt.getTime() - a.lastActiveAt.getTime() ||
    b.createdAt.getTime() - a.createdAt.getTime() ||
    a.id.localeCompare(b.id)
  );
}
