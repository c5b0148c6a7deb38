// Client entry: Remix's default, plus a marker that the browser tests read to tell whether any of the
// app's scripts ran (they must not when JavaScript is disabled: every form then works as a plain post).
import { RemixBrowser } from '@remix-run/react';
import { startTransition, StrictMode } from 'react';
import { hydrateRoot } from 'react-dom/client';

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <RemixBrowser />
    </StrictMode>,
  );
  window.__dealBrainHydrated = true;
});
