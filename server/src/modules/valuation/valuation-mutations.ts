// Changing valuation rulesets: create, update, activate, delete — the owner's alone (RLS and an
// explicit owner filter). One ruleset per user is active (a partial unique index says so): the
// first one created, or the one last activated; deleting the active one activates the most
// recently updated of the rest. Changes to which one is active run in one transaction, holding a
// per-owner lock, so two at once cannot both find "none active" or collide on the index. The active
// ruleset is also the preferences' default valuation ruleset (updatePreferences activates through
// activateRuleset).
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Prisma } from '#src/generated/prisma/client.js';
import type { Tx } from '#src/db/rls.js';
import { builder } from '#src/graphql/builder.js';
import { signedIn } from '#src/graphql/context.js';
import { notFound } from '#src/graphql/errors.js';
import { forgetValuationRulesets } from './valuation-ruleset-loader.js';
import type { ValuationRule } from './valuation-rules.js';
import {
  ActivateValuationRulesetInput,
  CreateValuationRulesetInput,
  DeleteValuationRulesetInput,
  UpdateValuationRulesetInput,
  createRulesetSchema,
  updateRulesetSchema,
  validateCreateRuleset,
  validateUpdateRuleset,
} from './valuation-input.js';

const NOT_FOUND = 'Valuation ruleset';

/** Serialises the owner's changes to which ruleset is active, until the transaction ends. */
async function lockOwnersRulesets(tx: Tx, ownerId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`valuation_rulesets:${ownerId}`}, 0))`;
}

/**
 * Makes the owner's ruleset `id` the active one and the old one inactive, inside `tx` (a transaction as
 * the viewer), holding the owner's lock. NOT_FOUND for a ruleset that is not the owner's (another user's
 * looks exactly like a missing one). Whether the active ruleset changed (false: `id` was active already).
 * Also what `updatePreferences` uses for the default valuation ruleset. Callers forget the request's
 * loaded rulesets afterwards (forgetValuationRulesets).
 */
export async function activateRuleset(tx: Tx, ownerId: string, id: string): Promise<boolean> {
  await lockOwnersRulesets(tx, ownerId);
  const target = await tx.valuationRuleset.findFirst({ where: { id, ownerId }, select: { isActive: true } });
  if (!target) throw notFound(NOT_FOUND);
  if (target.isActive) return false;
  // The old one goes first: the partial unique index is checked statement by statement.
  await tx.valuationRuleset.updateMany({ where: { ownerId, isActive: true }, data: { isActive: false } });
  await tx.valuationRuleset.update({ where: { id }, data: { isActive: true }, select: { id: true } });
  return true;
}

/** Parsed rules as JSON: no undefined members (an omitted label). */
const rulesJson = (rules: ValuationRule[]) => JSON.parse(JSON.stringify(rules)) as Prisma.InputJsonValue;

const RulesetPayload = (name: string) =>
  builder.objectRef<{ rulesetId: string }>(name).implement({
    fields: (t) => ({
      valuationRuleset: t.prismaField({
        type: 'ValuationRuleset',
        resolve: (query, parent, _args, ctx) =>
          signedIn(ctx).db.valuationRuleset.findFirstOrThrow({ ...query, where: { id: parent.rulesetId } }),
      }),
    }),
  });

const CreatePayload = RulesetPayload('CreateValuationRulesetPayload');
const UpdatePayload = RulesetPayload('UpdateValuationRulesetPayload');
const ActivatePayload = RulesetPayload('ActivateValuationRulesetPayload');

const DeletePayload = builder
  .objectRef<{ deletedId: string; activeId: string | null }>('DeleteValuationRulesetPayload')
  .implement({
    fields: (t) => ({
      deletedValuationRulesetId: t.id({
        description: 'Global id of the deleted ruleset.',
        resolve: (parent) => encodeGlobalID('ValuationRuleset', parent.deletedId),
      }),
      activeValuationRuleset: t.prismaField({
        type: 'ValuationRuleset',
        nullable: true,
        description: 'The active ruleset afterwards (another one, when the deleted one was active).',
        resolve: (query, parent, _args, ctx) =>
          parent.activeId
            ? signedIn(ctx).db.valuationRuleset.findFirst({ ...query, where: { id: parent.activeId } })
            : null,
      }),
    }),
  });

builder.mutationFields((t) => ({
  createValuationRuleset: t.field({
    type: CreatePayload,
    description: 'A new ruleset. Your first one is active; `active: true` makes a later one active.',
    authScopes: { signedIn: true },
    args: {
      input: t.arg({ type: CreateValuationRulesetInput, required: true, validate: { schema: validateCreateRuleset } }),
    },
    resolve: async (_root, args, ctx) => {
      const ownerId = signedIn(ctx).viewer.userId;
      // Validated already (the arg's `validate`): this maps the flat rules to the stored shape.
      const input = createRulesetSchema.parse(args.input);
      const rulesetId = await ctx.withRls(async (tx) => {
        await lockOwnersRulesets(tx, ownerId);
        const active = await tx.valuationRuleset.findFirst({
          where: { ownerId, isActive: true },
          select: { id: true },
        });
        const isActive = input.active === true || !active;
        if (isActive && active) {
          await tx.valuationRuleset.update({
            where: { id: active.id },
            data: { isActive: false },
            select: { id: true },
          });
        }
        const created = await tx.valuationRuleset.create({
          data: { ownerId, name: input.name, rules: rulesJson(input.rules), isActive },
          select: { id: true },
        });
        return created.id;
      });
      forgetValuationRulesets(ctx);
      return { rulesetId };
    },
  }),

  updateValuationRuleset: t.field({
    type: UpdatePayload,
    description: 'Renames a ruleset or replaces its rules.',
    authScopes: { signedIn: true },
    args: {
      input: t.arg({ type: UpdateValuationRulesetInput, required: true, validate: { schema: validateUpdateRuleset } }),
    },
    resolve: async (_root, args, ctx) => {
      const { db, viewer } = signedIn(ctx);
      const input = updateRulesetSchema.parse(args.input);
      const { count } = await db.valuationRuleset.updateMany({
        where: { id: input.id.id, ownerId: viewer.userId },
        data: {
          ...(input.name != null ? { name: input.name } : {}),
          ...(input.rules != null ? { rules: rulesJson(input.rules) } : {}),
        },
      });
      if (count === 0) throw notFound(NOT_FOUND);
      forgetValuationRulesets(ctx);
      return { rulesetId: input.id.id };
    },
  }),

  activateValuationRuleset: t.field({
    type: ActivatePayload,
    description: 'Makes a ruleset the active one (the one valuations use by default) and the old one inactive.',
    authScopes: { signedIn: true },
    args: { input: t.arg({ type: ActivateValuationRulesetInput, required: true }) },
    resolve: async (_root, args, ctx) => {
      const ownerId = signedIn(ctx).viewer.userId;
      const id = args.input.id.id;
      await ctx.withRls((tx) => activateRuleset(tx, ownerId, id));
      forgetValuationRulesets(ctx);
      return { rulesetId: id };
    },
  }),

  deleteValuationRuleset: t.field({
    type: DeletePayload,
    description: 'Deletes a ruleset. Deleting the active one activates your most recently updated other ruleset.',
    authScopes: { signedIn: true },
    args: { input: t.arg({ type: DeleteValuationRulesetInput, required: true }) },
    resolve: async (_root, args, ctx) => {
      const ownerId = signedIn(ctx).viewer.userId;
      const id = args.input.id.id;
      const result = await ctx.withRls(async (tx) => {
        await lockOwnersRulesets(tx, ownerId);
        const target = await tx.valuationRuleset.findFirst({ where: { id, ownerId }, select: { isActive: true } });
        if (!target) return null;
        await tx.valuationRuleset.delete({ where: { id }, select: { id: true } });
        const active = await tx.valuationRuleset.findFirst({
          where: { ownerId },
          // The active one, if it was not the one deleted; else the most recently updated.
          orderBy: [{ isActive: 'desc' }, { updatedAt: 'desc' }, { id: 'desc' }],
          select: { id: true, isActive: true },
        });
        if (active && !active.isActive) {
          await tx.valuationRuleset.update({
            where: { id: active.id },
            data: { isActive: true },
            select: { id: true },
          });
        }
        return { deletedId: id, activeId: active?.id ?? null };
      });
      if (!result) throw notFound(NOT_FOUND);
      forgetValuationRulesets(ctx);
      return result;
    },
  }),
}));
