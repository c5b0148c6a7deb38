// The viewer's theme and currency as the pages use them: the root loader reads them from the API for
// signed-in people (lib/appearance.server.ts); everyone else gets the defaults. Safe for the browser.
import { useRouteLoaderData } from '@remix-run/react';

export const CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'JPY', 'CHF', 'SEK'] as const;
export type CurrencyCode = (typeof CURRENCIES)[number];

export const THEMES = ['SYSTEM', 'LIGHT', 'DARK'] as const;
export type ThemeName = (typeof THEMES)[number];

export interface Appearance {
  theme: ThemeName;
  currency: CurrencyCode;
}

/** The API's defaults, and what signed-out visitors get. */
export const DEFAULT_APPEARANCE: Appearance = Object.freeze({ theme: 'SYSTEM', currency: 'USD' });

/** Prices read the same on the server and in the browser (no hydration mismatch): one fixed locale. */
export const MONEY_LOCALE = 'en-US';

export function isCurrency(value: unknown): value is CurrencyCode {
  return typeof value === 'string' && (CURRENCIES as readonly string[]).includes(value);
}

export function isTheme(value: unknown): value is ThemeName {
  return typeof value === 'string' && (THEMES as readonly string[]).includes(value);
}

/**
 * The class of <html>: `dark` for DARK, none for LIGHT, `theme-system` for SYSTEM (the operating
 * system's prefers-color-scheme decides; see tailwind.css).
 */
export function themeClass(theme: ThemeName): string | undefined {
  if (theme === 'DARK') return 'dark';
  if (theme === 'SYSTEM') return 'theme-system';
  return undefined;
}

const formatters = new Map<CurrencyCode, Intl.NumberFormat>();

function formatter(currency: CurrencyCode): Intl.NumberFormat {
  let format = formatters.get(currency);
  if (!format) {
    // The currency's usual digits (none for JPY), but never fewer than the amount has: an amount is what
    // the person typed, shown in the currency they shop in, never converted or rounded away.
    format = new Intl.NumberFormat(MONEY_LOCALE, { style: 'currency', currency, maximumFractionDigits: 2 });
    formatters.set(currency, format);
  }
  return format;
}

/** "549.00" in EUR → "€549.00"; a value that is not a number is shown as it is. */
export function formatMoney(amount: string | number, currency: CurrencyCode): string {
  if (typeof amount === 'string' && amount.trim() === '') return amount;
  const value = typeof amount === 'number' ? amount : Number(amount);
  return Number.isFinite(value) ? formatter(currency).format(value) : String(amount);
}

/** The currency's symbol as the prices show it ("€", "CA$", "CHF"). */
export function currencySymbol(currency: CurrencyCode): string {
  return (
    formatter(currency)
      .formatToParts(0)
      .find((part) => part.type === 'currency')?.value ?? currency
  );
}

/** "EUR (€)", for labels and selects. */
export function currencyLabel(currency: CurrencyCode): string {
  const symbol = currencySymbol(currency);
  return symbol === currency ? currency : `${currency} (${symbol})`;
}

/** The appearance in the root loader's data (the defaults on error pages and for signed-out visitors). */
export function useAppearance(): Appearance {
  const data = useRouteLoaderData('root') as { appearance?: Appearance } | undefined;
  return data?.appearance ?? DEFAULT_APPEARANCE;
}

/** A price formatter in the viewer's currency: `const money = useMoney(); money(listing.price)`. */
export function useMoney(): (amount: string | number) => string {
  const { currency } = useAppearance();
  return (amount) => formatMoney(amount, currency);
}
