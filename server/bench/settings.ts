// The benchmarks' knobs, read from the environment: unset or empty means the default.

function read(name: string, fallback: number): number {
  const raw = process.env[name];
  return raw === undefined || raw === '' ? fallback : Number(raw);
}

/** A positive number (durations may be fractional). */
export function positiveSetting(name: string, fallback: number): number {
  const value = read(name, fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

/** A positive whole number (counts, rounds, connections). */
export function positiveIntegerSetting(name: string, fallback: number): number {
  const value = read(name, fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}
