// The listings table's order (`?order=created|score|delta`) and how it shows scores and values.
import type { ListingOrderField } from '~/gql/graphql';

export type OrderParam = 'created' | 'score' | 'delta';

export const ORDER_FIELDS: Record<OrderParam, ListingOrderField> = {
  created: 'CREATED_AT',
  score: 'SCORE',
  delta: 'VALUATION_DELTA',
};

export const ORDER_LABELS: Record<OrderParam, string> = {
  created: 'Newest',
  score: 'Score',
  delta: 'Best deal',
};

/** `?order=` → the order asked for; anything unknown is the default, newest first. */
export function orderParam(value: string | null): OrderParam {
  return value === 'score' || value === 'delta' ? value : 'created';
}

/**
 * The order the page can use: SCORE needs a default scoring profile and VALUATION_DELTA an active
 * ruleset (the API refuses them without one), so without one the page falls back to newest first.
 */
export function usableOrder(requested: OrderParam, available: { score: boolean; delta: boolean }): OrderParam {
  if (requested === 'score' && !available.score) return 'created';
  if (requested === 'delta' && !available.delta) return 'created';
  return requested;
}

/**
 * The table's URL for an order and page: cursors belong to one order, so links that change the
 * order carry none; the page size is kept.
 */
export function listingsHref(
  order: OrderParam,
  { size, after, before }: { size?: number; after?: string | null; before?: string | null } = {},
): string {
  const params = new URLSearchParams();
  if (order !== 'created') params.set('order', order);
  if (after) params.set('after', after);
  else if (before) params.set('before', before);
  if (size !== undefined && size !== 20) params.set('size', String(size));
  const query = params.toString();
  return query ? `/app?${query}` : '/app';
}

/** A score with one decimal ("59.1"), or "—" without one. */
export function formatScore(score: number | null | undefined): string {
  return score === null || score === undefined ? '—' : score.toFixed(1);
}

/** A valuation delta with its sign: "+45.00", "−30.00" (a real minus sign), "0.00". */
export function formatDelta(delta: string): { text: string; tone: 'positive' | 'negative' | 'zero' } {
  const trimmed = delta.trim();
  if (/^[+-]?0*(\.0*)?$/.test(trimmed)) return { text: trimmed.replace(/^[+-]/, ''), tone: 'zero' };
  if (trimmed.startsWith('-')) return { text: `\u2212${trimmed.slice(1)}`, tone: 'negative' };
  return { text: trimmed.startsWith('+') ? trimmed : `+${trimmed}`, tone: 'positive' };
}
