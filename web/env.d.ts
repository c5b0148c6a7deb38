/// <reference types="@remix-run/node" />
/// <reference types="vite/client" />

interface Window {
  /** Set by entry.client.tsx once the app hydrates: proof that its scripts ran. */
  __dealBrainHydrated?: boolean;
}

/** Replaced at build time (vite.config.ts): whether this code runs in the Vite dev server. */
declare const __VITE_DEV_SERVER__: boolean;
