import { Kind, type GraphQLResolveInfo } from 'graphql';

/** Whether the field's selection asks for `name` (fragment spreads are assumed to). */
export function selects(info: GraphQLResolveInfo, name: string): boolean {
  return info.fieldNodes.some((node) =>
    (node.selectionSet?.selections ?? []).some(
      (selection) =>
        selection.kind === Kind.FRAGMENT_SPREAD ||
        selection.kind === Kind.INLINE_FRAGMENT ||
        (selection.kind === Kind.FIELD && selection.name.value === name),
    ),
  );
}
