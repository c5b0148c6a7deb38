// The ValuationRuleset type and the flat GraphQL view of a stored rule. A rule is stored as
// { when, adjust, label? } (valuation-rules.ts); GraphQL shows it flat, one field per operand,
// so clients read and write the same fields (ValuationRuleInput mirrors ValuationRule).
import { builder } from '#src/graphql/builder.js';
import { ListingConditionEnum } from '#src/modules/listings/listing.js';
import type { ListingCondition } from '#src/generated/prisma/enums.js';
import {
  ADJUSTMENT_KINDS,
  describeRule,
  readStoredRules,
  RULE_ATTRIBUTES,
  RULE_OPERATORS,
  type AdjustmentKind,
  type RuleAttribute,
  type RuleOperator,
  type ValuationRule,
} from './valuation-rules.js';

export const RuleAttributeEnum = builder.enumType('RuleAttribute', {
  description: 'The listing attribute a valuation rule looks at.',
  values: RULE_ATTRIBUTES,
});

export const RuleOperatorEnum = builder.enumType('RuleOperator', {
  description:
    'How a rule compares: RAM_GB takes BELOW or ABOVE, STORAGE_GB takes BELOW, CONDITION takes EQUALS, ' +
    'CPU and GPU take CONTAINS (a whole word, ignoring case).',
  values: RULE_OPERATORS,
});

export const AdjustmentKindEnum = builder.enumType('AdjustmentKind', {
  description: 'What a matching rule does to the value: ADD or SUBTRACT an amount, or MULTIPLY by a factor.',
  values: ADJUSTMENT_KINDS,
});

/** A stored rule as GraphQL shows it. */
export interface FlatRule {
  attribute: RuleAttribute;
  operator: RuleOperator;
  number: number | null;
  text: string | null;
  condition: ListingCondition | null;
  adjustment: AdjustmentKind;
  amount: string | null;
  factor: string | null;
  label: string | null;
  description: string;
}

export function flatRule(rule: ValuationRule): FlatRule {
  const { when, adjust } = rule;
  return {
    attribute: when.attribute,
    operator: when.operator,
    number: when.attribute === 'RAM_GB' || when.attribute === 'STORAGE_GB' ? when.value : null,
    text: when.attribute === 'CPU' || when.attribute === 'GPU' ? when.value : null,
    condition: when.attribute === 'CONDITION' ? when.value : null,
    adjustment: adjust.kind,
    amount: adjust.kind === 'MULTIPLY' ? null : adjust.amount,
    factor: adjust.kind === 'MULTIPLY' ? adjust.factor : null,
    label: rule.label ?? null,
    description: describeRule(rule),
  };
}

export const ValuationRuleRef = builder.objectRef<FlatRule>('ValuationRule').implement({
  description: 'One rule of a valuation ruleset: a condition on a listing attribute and an adjustment.',
  fields: (t) => ({
    attribute: t.expose('attribute', { type: RuleAttributeEnum }),
    operator: t.expose('operator', { type: RuleOperatorEnum }),
    number: t.exposeInt('number', { nullable: true, description: 'The threshold in GB, for RAM_GB and STORAGE_GB.' }),
    text: t.exposeString('text', { nullable: true, description: 'The word, lowercased, for CPU and GPU.' }),
    condition: t.expose('condition', {
      type: ListingConditionEnum,
      nullable: true,
      description: 'The condition, for CONDITION.',
    }),
    adjustment: t.expose('adjustment', { type: AdjustmentKindEnum }),
    amount: t.expose('amount', { type: 'Decimal', nullable: true, description: 'For ADD and SUBTRACT.' }),
    factor: t.exposeString('factor', {
      nullable: true,
      description: 'For MULTIPLY: a decimal with up to four fractional digits, like "1.1".',
    }),
    label: t.exposeString('label', { nullable: true }),
    description: t.exposeString('description', {
      description: 'The rule as a sentence: "RAM below 16 GB: subtract 30.00".',
    }),
  }),
});

export const ValuationRulesetNode = builder.prismaNode('ValuationRuleset', {
  id: { field: 'id' },
  // A row hidden by RLS or missing is null, like any unknown id.
  nullable: true,
  description: 'A named, ordered list of valuation rules. One ruleset per user is active.',
  fields: (t) => ({
    name: t.exposeString('name'),
    isActive: t.exposeBoolean('isActive'),
    rules: t.field({
      type: [ValuationRuleRef],
      description: 'In evaluation order; AppliedValuationRule.index points into this list.',
      select: { rules: true },
      resolve: (ruleset) => readStoredRules(ruleset.rules).map(flatRule),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});
