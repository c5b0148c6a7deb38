// Valuation ruleset input: the GraphQL input types and the zod schemas that validate them. A rule
// arrives flat (ValuationRuleInput) and is mapped to the stored shape, then validated by the
// domain's schema (valuation-rules.ts), whose issues are reported at the flat field's path, e.g.
// `input.rules.1.number`: one set of rules for what a valid rule is, wherever it comes from.
import { z } from 'zod';
import { builder } from '#src/graphql/builder.js';
import { ListingConditionEnum } from '#src/modules/listings/listing.js';
import {
  ADJUSTMENT_KINDS,
  nameSchema,
  RULE_ATTRIBUTES,
  RULE_OPERATORS,
  rulesSchema,
  valuationRuleSchema,
  type RuleAttribute,
  type ValuationRule,
} from './valuation-rules.js';
import { AdjustmentKindEnum, RuleAttributeEnum, RuleOperatorEnum, ValuationRulesetNode } from './valuation-ruleset.js';

export const ValuationRuleInput = builder.inputType('ValuationRuleInput', {
  description:
    'A rule, flat: give the operand its attribute takes (number for RAM_GB and STORAGE_GB, text for CPU ' +
    'and GPU, condition for CONDITION) and amount (ADD, SUBTRACT) or factor (MULTIPLY).',
  fields: (t) => ({
    attribute: t.field({ type: RuleAttributeEnum, required: true }),
    operator: t.field({ type: RuleOperatorEnum, required: true }),
    number: t.int({ description: 'Threshold in whole GB (0 to 1,000,000).' }),
    text: t.string({ description: 'One word of letters and digits, matched as a whole word ignoring case.' }),
    condition: t.field({ type: ListingConditionEnum }),
    adjustment: t.field({ type: AdjustmentKindEnum, required: true }),
    amount: t.field({ type: 'Decimal', description: 'More than 0, at most 1,000,000.' }),
    factor: t.string({ description: 'More than 0, at most 100, up to four decimals ("1.1").' }),
    label: t.string({ description: 'Optional, up to 100 characters.' }),
  }),
});

export const CreateValuationRulesetInput = builder.inputType('CreateValuationRulesetInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    rules: t.field({ type: [ValuationRuleInput], required: true }),
    active: t.boolean({ description: 'Make it the active ruleset. Your first ruleset is active in any case.' }),
  }),
});

export const UpdateValuationRulesetInput = builder.inputType('UpdateValuationRulesetInput', {
  description: 'Fields to change; omitted (or null) fields keep their value. `rules` replaces the whole list.',
  fields: (t) => ({
    id: t.globalID({ for: ValuationRulesetNode, required: true }),
    name: t.string(),
    rules: t.field({ type: [ValuationRuleInput] }),
  }),
});

export const ActivateValuationRulesetInput = builder.inputType('ActivateValuationRulesetInput', {
  fields: (t) => ({ id: t.globalID({ for: ValuationRulesetNode, required: true }) }),
});

export const DeleteValuationRulesetInput = builder.inputType('DeleteValuationRulesetInput', {
  fields: (t) => ({ id: t.globalID({ for: ValuationRulesetNode, required: true }) }),
});

// ── flat → stored ───────────────────────────────────────────────────────────────────────────

type FlatField = 'number' | 'text' | 'condition' | 'amount' | 'factor';

/** The operand field each attribute takes, and how a message names the attribute. */
const OPERAND: Record<RuleAttribute, { field: FlatField; subject: string }> = {
  RAM_GB: { field: 'number', subject: 'RAM' },
  STORAGE_GB: { field: 'number', subject: 'storage' },
  CONDITION: { field: 'condition', subject: 'condition' },
  CPU: { field: 'text', subject: 'CPU' },
  GPU: { field: 'text', subject: 'GPU' },
};

const flatRuleFields = z.object({
  attribute: z.enum(RULE_ATTRIBUTES),
  operator: z.enum(RULE_OPERATORS),
  number: z.number().nullish(),
  text: z.string().nullish(),
  condition: z.string().nullish(),
  adjustment: z.enum(ADJUSTMENT_KINDS),
  amount: z.string().nullish(),
  factor: z.string().nullish(),
  label: z.string().nullish(),
});
type FlatRuleInput = z.infer<typeof flatRuleFields>;

/** The stored shape's path of an issue → the flat input field it came from. */
function flatPath(path: PropertyKey[], attribute: RuleAttribute): PropertyKey[] {
  const [head, field] = path;
  if (head === 'when') {
    if (field === 'value') return [OPERAND[attribute].field];
    return [field ?? 'attribute'];
  }
  if (head === 'adjust') return [field === 'kind' || field === undefined ? 'adjustment' : field];
  return path;
}

/** Operands given that the rule's attribute or adjustment does not use: a client mistake, refused. */
function unusedOperands(flat: FlatRuleInput): { path: FlatField; message: string }[] {
  const { field, subject } = OPERAND[flat.attribute];
  const adjustmentField: FlatField = flat.adjustment === 'MULTIPLY' ? 'factor' : 'amount';
  const unused: { path: FlatField; message: string }[] = [];
  for (const operand of ['number', 'text', 'condition'] as const) {
    if (operand !== field && flat[operand] != null) {
      unused.push({ path: operand, message: `A ${subject} rule takes ${field}, not ${operand}` });
    }
  }
  for (const operand of ['amount', 'factor'] as const) {
    if (operand !== adjustmentField && flat[operand] != null) {
      unused.push({ path: operand, message: `${flat.adjustment} takes ${adjustmentField}, not ${operand}` });
    }
  }
  return unused;
}

/** A flat rule → the stored rule, validated by the domain schema; issues at the flat fields. */
export const flatRuleSchema = flatRuleFields.transform((flat, ctx): ValuationRule => {
  const candidate = {
    when: {
      attribute: flat.attribute,
      operator: flat.operator,
      value: flat[OPERAND[flat.attribute].field] ?? undefined,
    },
    adjust:
      flat.adjustment === 'MULTIPLY'
        ? { kind: flat.adjustment, factor: flat.factor ?? undefined }
        : { kind: flat.adjustment, amount: flat.amount ?? undefined },
    label: flat.label ?? undefined,
  };
  const parsed = valuationRuleSchema.safeParse(candidate);
  const issues = [
    ...(parsed.error?.issues ?? []).map((issue) => ({
      path: flatPath(issue.path, flat.attribute),
      message: issue.message,
    })),
    ...unusedOperands(flat).map(({ path, message }) => ({ path: [path], message })),
  ];
  if (!parsed.success || issues.length > 0) {
    for (const { path, message } of issues) ctx.issues.push({ code: 'custom', path, message, input: flat });
    return z.NEVER;
  }
  return parsed.data as ValuationRule;
});

const rules = rulesSchema(flatRuleSchema);

export const createRulesetSchema = z.object({
  name: nameSchema,
  rules,
  active: z.boolean().nullish(),
});

/** A global id the relay plugin has already decoded (and checked to be a ValuationRuleset's). */
const decodedId = z.object({ typename: z.string(), id: z.string() });

export const updateRulesetSchema = z
  .object({ id: decodedId, name: nameSchema.nullish(), rules: rules.nullish() })
  .refine((input) => input.name != null || input.rules != null, { message: 'Nothing to update' });

/**
 * For the zod plugin, which hands the resolver the schema's output and so wants a schema whose
 * output is its input: `schema`'s issues, and the input unchanged. The resolver then parses with
 * `schema` itself to get the stored shape.
 */
function validatorOf<T>(schema: z.ZodType) {
  return z.custom<T>().superRefine((value, ctx) => {
    for (const issue of schema.safeParse(value).error?.issues ?? []) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, input: value });
    }
  });
}

export const validateCreateRuleset = validatorOf<typeof CreateValuationRulesetInput.$inferInput>(createRulesetSchema);
export const validateUpdateRuleset = validatorOf<typeof UpdateValuationRulesetInput.$inferInput>(updateRulesetSchema);
