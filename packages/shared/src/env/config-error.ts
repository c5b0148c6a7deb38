/** An environment the app cannot or must not run with. Each app prints it and exits, with no stack. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
