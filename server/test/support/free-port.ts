// The helper lives in @deal-brain/shared (the web app's tests use it too); this path stays for the
// server's tests and benchmarks that import it from here.
export { freePort } from '@deal-brain/shared/testing/free-port';
