// Dates as the admin pages show them: formatted on the server only (UTC), so the browser renders the same text.
const DATE_TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
const DATE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });

export function adminDateTime(iso: string): string;
export function adminDateTime(iso: string | null | undefined): string | null;
export function adminDateTime(iso: string | null | undefined): string | null {
  return iso ? `${DATE_TIME.format(new Date(iso))} UTC` : null;
}

export function adminDate(iso: string): string;
export function adminDate(iso: string | null | undefined): string | null;
export function adminDate(iso: string | null | undefined): string | null {
  return iso ? DATE.format(new Date(iso)) : null;
}
