import { vitePlugin as remix } from '@remix-run/dev';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

export default defineConfig(({ command }) => ({
  resolve: {
    alias: { '~': fileURLToPath(new URL('./app', import.meta.url)) },
  },
  define: {
    // True under `remix vite:dev` (which listens on localhost only), false in the built server whatever
    // NODE_ENV says: config.server.ts lets local identity mode go without a loopback HOST only then.
    __VITE_DEV_SERVER__: JSON.stringify(command === 'serve'),
  },
  optimizeDeps: {
    // Dependencies Vite finds only when a page first needs them (those imported for the server and
    // bowser, used by the settings page). Listed, they are optimized at start-up; otherwise Vite
    // re-optimizes mid-session and reloads every open page, which aborts whatever a browser test was doing.
    include: [
      '@clerk/remix',
      '@clerk/remix/ssr.server',
      '@clerk/remix/api.server',
      '@clerk/backend/jwt',
      '@remix-run/node',
      '@urql/core',
      'bowser',
      'cookie',
      'pino',
      'zod',
    ],
  },
  server: {
    // Loopback only: in local identity mode the app hands out sessions to whoever asks.
    host: 'localhost',
  },
  plugins: [
    tailwindcss(),
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
  ],
}));
