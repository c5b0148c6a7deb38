// Zod schemas for single environment variables, with messages that name what was given. Every value is
// trimmed, and a blank one counts as unset, exactly as if its line were missing from .env.
import { z } from 'zod';

const blankAsUnset = (value: unknown) => (typeof value === 'string' ? value.trim() || undefined : value);

/** Any text; undefined when unset or blank. */
export const envString = z.preprocess(blankAsUnset, z.string().optional());

/** A PEM written on one line with `\n` for its line breaks (how .env files hold one). */
export const envPem = envString.transform((value) => value?.replace(/\\n/g, '\n'));

/** One of `values`; unset gives `fallback` (undefined when there is none). */
export function envOneOf<const Values extends readonly [string, ...string[]]>(
  values: Values,
): z.ZodType<Values[number] | undefined>;
export function envOneOf<const Values extends readonly [string, ...string[]]>(
  values: Values,
  fallback: Values[number],
): z.ZodType<Values[number]>;
export function envOneOf(values: readonly string[], fallback?: string): z.ZodType<string | undefined> {
  return envString.transform((value, ctx) => {
    if (value === undefined) return fallback;
    if (values.includes(value)) return value;
    ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')}, got "${value}"` });
    return z.NEVER;
  });
}

export interface WholeNumberBounds {
  min: number;
  max: number;
}

/** Digits only (no sign, exponent or hex), within bounds; unset gives `fallback`. */
export function envWholeNumber(bounds: WholeNumberBounds): z.ZodType<number | undefined>;
export function envWholeNumber(bounds: WholeNumberBounds & { fallback: number }): z.ZodType<number>;
export function envWholeNumber({
  min,
  max,
  fallback,
}: WholeNumberBounds & { fallback?: number }): z.ZodType<number | undefined> {
  return envString.transform((raw, ctx) => {
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw)) {
      ctx.addIssue({ code: 'custom', message: `must be a whole number, got "${raw}"` });
      return z.NEVER;
    }
    const value = Number(raw);
    if (value < min || value > max) {
      ctx.addIssue({ code: 'custom', message: `must be between ${min} and ${max}, got ${value}` });
      return z.NEVER;
    }
    return value;
  });
}
