import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Unit tests run without the Remix plugin: they import server modules directly.
export default defineConfig({
  resolve: {
    alias: { '~': fileURLToPath(new URL('./app', import.meta.url)) },
  },
  // Not the dev server: local identity mode in tests needs a loopback HOST, as in the built server.
  define: { __VITE_DEV_SERVER__: 'false' },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 20_000,
    // The code under test logs its failure paths on purpose; keep the test output readable.
    env: { LOG_LEVEL: 'silent' },
  },
});
