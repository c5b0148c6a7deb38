// The tenant's maintenance banner (tenantSettings.maintenanceBanner), shown at the top of every page of a
// signed-in person while an admin has it set. The root loader reads it with the viewer's appearance
// (lib/appearance.server.ts) on every page load, so setting or clearing it shows on the next page.
//
// Signed-out pages do not show it: the API lets only signed-in callers read tenant settings, and the web
// app asks nothing of the API for a visitor without a session.
//
// The text is rendered as text (a React child, escaped): an admin's banner can never inject markup.

export function MaintenanceBanner({ message }: { message: string | null | undefined }) {
  const text = message?.trim();
  if (!text) return null;
  return (
    // A labelled region, not role="status": it is not a live update, and pages keep their one status
    // message (a saved form's notice) unambiguous.
    <section
      aria-label="Service notice"
      className="border-b border-amber-300 bg-amber-100 text-amber-950 dark:border-amber-700 dark:bg-amber-900 dark:text-amber-50"
      data-testid="maintenance-banner"
    >
      <p className="mx-auto max-w-6xl whitespace-pre-line break-words px-4 py-2 text-sm font-medium">{text}</p>
    </section>
  );
}
