// Valuation rule fields shared by the rule editor and its form parser (no server code: pages import it).
import type { AdjustmentKind, RuleAttribute, RuleOperator } from '~/gql/graphql';

/** One rule as the editor holds it: every field a string, as typed. */
export interface RuleRow {
  /** Stable across re-renders (add, remove, move), so React keeps each row's inputs with their row. */
  key: string;
  attribute: string;
  operator: string;
  /** The operand: GB for RAM and storage, a condition, or a CPU/GPU word. */
  value: string;
  adjustment: string;
  /** The amount (add, subtract) or the factor (multiply). */
  amount: string;
  label: string;
}

/** The fields of a row, in the order the row shows them; form names are `rules.<index>.<field>`. */
export const RULE_FIELDS = ['attribute', 'operator', 'value', 'adjustment', 'amount', 'label'] as const;
export type RuleField = (typeof RULE_FIELDS)[number];

export const ATTRIBUTES: { value: RuleAttribute; label: string }[] = [
  { value: 'RAM_GB', label: 'RAM' },
  { value: 'STORAGE_GB', label: 'Storage' },
  { value: 'CONDITION', label: 'Condition' },
  { value: 'CPU', label: 'CPU' },
  { value: 'GPU', label: 'GPU' },
];

/** The comparisons each attribute takes (the API refuses others), the first being the default. */
export const OPERATORS: Record<RuleAttribute, { value: RuleOperator; label: string }[]> = {
  RAM_GB: [
    { value: 'BELOW', label: 'below' },
    { value: 'ABOVE', label: 'above' },
  ],
  STORAGE_GB: [{ value: 'BELOW', label: 'below' }],
  CONDITION: [{ value: 'EQUALS', label: 'is' }],
  CPU: [{ value: 'CONTAINS', label: 'contains the word' }],
  GPU: [{ value: 'CONTAINS', label: 'contains the word' }],
};

export const ADJUSTMENTS: { value: AdjustmentKind; label: string }[] = [
  { value: 'ADD', label: 'Add' },
  { value: 'SUBTRACT', label: 'Subtract' },
  { value: 'MULTIPLY', label: 'Multiply by' },
];

export type OperandKind = 'number' | 'condition' | 'text';

export function isAttribute(value: string): value is RuleAttribute {
  return ATTRIBUTES.some((attribute) => attribute.value === value);
}

/** What the value of a rule on `attribute` is: GB (a number), a condition, or a word. */
export function operandKind(attribute: string): OperandKind {
  if (attribute === 'CONDITION') return 'condition';
  if (attribute === 'CPU' || attribute === 'GPU') return 'text';
  return 'number';
}

/** The operators offered for an attribute (an unknown attribute: RAM's). */
export function operatorsFor(attribute: string): { value: RuleOperator; label: string }[] {
  return isAttribute(attribute) ? OPERATORS[attribute] : OPERATORS.RAM_GB;
}

/** The amount field's label: a factor multiplies, an amount adds or subtracts. */
export function amountLabel(adjustment: string): string {
  return adjustment === 'MULTIPLY' ? 'Factor' : 'Amount';
}

/** The value field's label for an attribute. */
export function valueLabel(attribute: string): string {
  const kind = operandKind(attribute);
  return kind === 'number' ? 'Value (GB)' : kind === 'condition' ? 'Value (condition)' : 'Value (word)';
}

/** The message of a row as a whole, and of each of its fields, from errors by field name. */
export function rowErrors(errors: Record<string, string>, index: number): Partial<Record<RuleField | 'row', string>> {
  const result: Partial<Record<RuleField | 'row', string>> = {};
  const row = errors[`rules.${index}`];
  if (row) result.row = row;
  for (const field of RULE_FIELDS) {
    const message = errors[`rules.${index}.${field}`];
    if (message) result[field] = message;
  }
  return result;
}
