// The rule editor's form ↔ rows ↔ GraphQL input. Rows are posted as `rules.<index>.<field>`, so the
// API's issue at `input.rules.2.number` belongs to the field `rules.2.value` (the operand) of the third
// row. Add, remove and move re-render the posted rows without saving; only Save calls the API. Only
// shapes are checked here (a whole number where GB go, a decimal amount); the rules themselves
// (thresholds, words, ranges) are the API's, and its messages are shown beside the field they are about.
import { randomUUID } from 'node:crypto';
import { VALUATION_LIMITS } from '@deal-brain/shared/field-limits';
import type { PathErrors } from '~/graphql/client.server';
import type { AdjustmentKind, ListingCondition, RuleAttribute, RuleOperator, ValuationRuleInput } from '~/gql/graphql';
import { CONDITIONS } from './listing-form.server';
import {
  ADJUSTMENTS,
  RULE_FIELDS,
  isAttribute,
  operandKind,
  operatorsFor,
  type RuleField,
  type RuleRow,
} from './valuation';
import { formText } from './form-text';

/** Errors by form field name (`name`, `rules.2.value`), plus `rules` (the list) and `form`. */
export type RulesetFormErrors = Record<string, string>;

/** More rows than this in one post are not read (the API takes at most VALUATION_LIMITS.rules anyway). */
const MAX_POSTED_ROWS = VALUATION_LIMITS.rules + 10;
const KEY = /^[A-Za-z0-9_-]{1,40}$/;
const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$|^-?\.\d+$/;
const INT_MAX = 2 ** 31 - 1;

export function newRowKey(): string {
  return `n${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

/** A blank rule: what "Add rule" appends. */
export function blankRow(key = newRowKey()): RuleRow {
  return { key, attribute: 'RAM_GB', operator: 'BELOW', value: '', adjustment: 'SUBTRACT', amount: '', label: '' };
}

/** A stored rule (as the API shows it) → an editor row. */
export function ruleToRow(
  rule: {
    attribute: string;
    operator: string;
    number?: number | null;
    text?: string | null;
    condition?: string | null;
    adjustment: string;
    amount?: string | null;
    factor?: string | null;
    label?: string | null;
  },
  key: string,
): RuleRow {
  const kind = operandKind(rule.attribute);
  const value = kind === 'number' ? rule.number : kind === 'condition' ? rule.condition : rule.text;
  const amount = rule.adjustment === 'MULTIPLY' ? rule.factor : rule.amount;
  return {
    key,
    attribute: rule.attribute,
    operator: rule.operator,
    value: value === null || value === undefined ? '' : String(value),
    adjustment: rule.adjustment,
    amount: amount ?? '',
    label: rule.label ?? '',
  };
}

/** The rows as posted, in index order (gaps closed), each with a usable, unique key. */
export function parseRuleRows(form: FormData): RuleRow[] {
  const indexes = new Set<number>();
  for (const name of form.keys()) {
    const match = /^rules\.(\d{1,4})\.(\w+)$/.exec(name);
    if (match) indexes.add(Number(match[1]));
  }
  const seen = new Set<string>();
  return [...indexes]
    .sort((a, b) => a - b)
    .slice(0, MAX_POSTED_ROWS)
    .map((index) => {
      const postedKey = formText(form, `rules.${index}.key`);
      const key = KEY.test(postedKey) && !seen.has(postedKey) ? postedKey : newRowKey();
      seen.add(key);
      const row = { key } as RuleRow;
      for (const field of RULE_FIELDS) row[field] = formText(form, `rules.${index}.${field}`);
      return row;
    });
}

export type RowIntent =
  | { kind: 'save' }
  | { kind: 'add' }
  | { kind: 'remove' | 'up' | 'down'; index: number }
  | { kind: 'activate' }
  | { kind: 'delete' };

/** `save`, `add`, `remove:2`, `up:2`, `down:2`, `activate`, `delete`; anything else is null. */
export function parseIntent(value: FormDataEntryValue | null): RowIntent | null {
  if (value === 'save' || value === 'add' || value === 'activate' || value === 'delete') return { kind: value };
  const match = typeof value === 'string' ? /^(remove|up|down):(\d{1,4})$/.exec(value) : null;
  if (!match) return null;
  return { kind: match[1] as 'remove' | 'up' | 'down', index: Number(match[2]) };
}

/**
 * Add, remove or move a row (the other intents leave the rows as they are). A row's operator is set
 * to its attribute's first one when the attribute does not take it (the attribute changed without
 * JavaScript to re-render the operators). The error says why a change was not made (a 51st rule).
 */
export function applyRowIntent(rows: RuleRow[], intent: RowIntent): { rows: RuleRow[]; error: string | null } {
  const next = rows.map((row) => withUsableOperator(row));
  switch (intent.kind) {
    case 'add':
      if (next.length >= VALUATION_LIMITS.rules) {
        return { rows: next, error: `A ruleset has at most ${VALUATION_LIMITS.rules} rules` };
      }
      return { rows: [...next, blankRow()], error: null };
    case 'remove':
      if (intent.index >= next.length) return { rows: next, error: null };
      return { rows: next.filter((_row, index) => index !== intent.index), error: null };
    case 'up':
    case 'down': {
      const to = intent.kind === 'up' ? intent.index - 1 : intent.index + 1;
      if (intent.index >= next.length || to < 0 || to >= next.length) return { rows: next, error: null };
      const moved = [...next];
      [moved[intent.index], moved[to]] = [moved[to] as RuleRow, moved[intent.index] as RuleRow];
      return { rows: moved, error: null };
    }
    default:
      return { rows: next, error: null };
  }
}

/**
 * The row with an operator its attribute takes: the first one, or with `onlyImplied` only when the
 * attribute takes a single one (saving must not pick between BELOW and ABOVE for the person).
 */
function withUsableOperator(row: RuleRow, onlyImplied = false): RuleRow {
  const operators = operatorsFor(row.attribute);
  if (!isAttribute(row.attribute) || operators.some((operator) => operator.value === row.operator)) return row;
  if (onlyImplied && operators.length !== 1) return row;
  return { ...row, operator: operators[0]?.value ?? row.operator };
}

/**
 * Rows → the API's flat rules, index for index (so the API's `input.rules.N` is row N). An attribute
 * that takes one operator gets it; a choice the person has to make (BELOW or ABOVE) is theirs, and the
 * API says so beside the field. Values of the wrong shape are reported beside their fields and nothing
 * is sent.
 */
export function rowsToInput(rows: RuleRow[]): { rules: ValuationRuleInput[] | null; errors: RulesetFormErrors } {
  const errors: RulesetFormErrors = {};
  const rules: ValuationRuleInput[] = [];
  rows.forEach((posted, index) => {
    const row = withUsableOperator(posted, true);
    const at = (field: RuleField) => `rules.${index}.${field}`;
    if (!isAttribute(row.attribute)) errors[at('attribute')] = 'Choose an attribute from the list';
    const attribute = row.attribute as RuleAttribute;
    if (!['BELOW', 'ABOVE', 'EQUALS', 'CONTAINS'].includes(row.operator)) {
      errors[at('operator')] = 'Choose a comparison from the list';
    }
    const adjustment = row.adjustment as AdjustmentKind;
    if (!ADJUSTMENTS.some((option) => option.value === adjustment)) {
      errors[at('adjustment')] = 'Choose an adjustment from the list';
    }

    const rule: ValuationRuleInput = {
      attribute,
      operator: row.operator as RuleOperator,
      adjustment,
      label: optional(row.label),
    };
    const value = optional(row.value);
    const kind = operandKind(row.attribute);
    if (kind === 'number') {
      const subject = attribute === 'STORAGE_GB' ? 'Storage' : 'RAM';
      if (value === null) rule.number = null;
      else if (!INTEGER.test(value)) errors[at('value')] = `${subject} threshold must be a whole number of GB`;
      else if (Math.abs(Number(value)) > INT_MAX) errors[at('value')] = `${subject} threshold is too large`;
      else rule.number = Number(value);
    } else if (kind === 'condition') {
      if (value === null) rule.condition = null;
      else if (!CONDITIONS.some((option) => option.value === value)) errors[at('value')] = 'Choose a condition';
      else rule.condition = value as ListingCondition;
    } else {
      rule.text = value;
    }

    const amount = optional(row.amount)?.replace(/,/g, '') ?? null;
    if (adjustment === 'MULTIPLY') {
      rule.factor = amount;
    } else if (amount !== null && !DECIMAL.test(amount)) {
      errors[at('amount')] = 'Amount must be a number, like 12.50';
    } else {
      rule.amount = amount;
    }
    rules.push(rule);
  });
  return Object.keys(errors).length > 0 ? { rules: null, errors } : { rules, errors };
}

/** The field an API issue path is about: `input.rules.2.number` → `rules.2.value`. */
export function rulesetFieldOf(path: string): string {
  const field = path.replace(/^input\.?/, '');
  if (field === 'name' || field === 'rules') return field;
  const match = /^rules\.(\d+)(?:\.(\w+))?$/.exec(field);
  if (!match) return 'form';
  const [, index, flat] = match;
  switch (flat) {
    case undefined:
      return `rules.${index}`;
    case 'number':
    case 'text':
    case 'condition':
      return `rules.${index}.value`;
    case 'factor':
    case 'amount':
      return `rules.${index}.amount`;
    case 'attribute':
    case 'operator':
    case 'adjustment':
    case 'label':
      return `rules.${index}.${flat}`;
    default:
      return `rules.${index}`;
  }
}

/** The API's issues beside the fields they are about; issues about no field become the form's. */
export function rulesetErrorsFromApi(pathErrors: PathErrors, formError: string | null): RulesetFormErrors {
  const errors: RulesetFormErrors = {};
  for (const [path, message] of Object.entries(pathErrors)) errors[rulesetFieldOf(path)] ??= message;
  if (Object.keys(errors).length === 0 && formError) errors.form = formError;
  return errors;
}

function optional(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
