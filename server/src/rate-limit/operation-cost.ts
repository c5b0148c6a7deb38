// What a GraphQL operation costs, by the rule graphql-armor's cost limit applies (graphql/yoga.ts):
// the same visitor with the same defaults, run here because armor's verdict is not kept anywhere a
// plugin can read (and Yoga's validation cache skips it for a document seen before).
//
// Armor multiplies a connection's cost by its `first`/`last` only when the argument is a literal: its
// rule sees the document, never the request's variables, and a connection asked for with no page size
// counts as one row although the API serves 20. So before the rule runs, each connection's page
// arguments are replaced by one literal `first`: the page size the request really asks for.
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import {
  Kind,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';

/** The page size of a connection asked for without `first` or `last` (every connection's `defaultSize`). */
export const DEFAULT_PAGE_SIZE = 20;

/** The most rows a connection returns (every connection's `maxSize`): a larger page size counts as this. */
export const MAX_PAGE_SIZE = 100;

/** Costs kept per document, one per distinct set of page sizes; beyond it the oldest goes first. */
export const MAX_COSTS_PER_DOCUMENT = 100;

const PAGE_ARGUMENTS = new Set(['first', 'last']);

type Variables = Readonly<Record<string, unknown>> | null | undefined;

/** A page argument as written: a literal size, a variable to read, or null (a `null` literal). */
type PageArgument = { literal: number } | { variable: string } | null;

interface DocumentCosts {
  /** Each connection field of the document, in visit order: the page arguments it was given. */
  connections: PageArgument[][];
  /** The largest Int default declared for each variable (`$n: Int = 20`). */
  defaults: Map<string, number>;
  /** The cost by the page sizes asked for (joined with commas, in the order of `connections`). */
  byPageSizes: Map<string, number>;
}

const documents = new WeakMap<DocumentNode, DocumentCosts>();

/**
 * Calls `onConnection` for each field whose definition takes `first` or `last` (a connection), in
 * document order; what it returns replaces the field.
 */
function visitConnections(
  schema: GraphQLSchema,
  document: DocumentNode,
  onConnection: (node: FieldNode) => FieldNode | undefined,
): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const paged = typeInfo.getFieldDef()?.args.some((arg) => PAGE_ARGUMENTS.has(arg.name));
        return paged ? onConnection(node) : undefined;
      },
    }),
  );
}

function pageArgumentOf(value: ValueNode): PageArgument {
  if (value.kind === Kind.INT) return { literal: Number.parseInt(value.value, 10) };
  if (value.kind === Kind.VARIABLE) return { variable: value.name.value };
  return null;
}

function pageArgumentsOf(node: FieldNode): PageArgument[] {
  return (node.arguments ?? [])
    .filter((arg) => PAGE_ARGUMENTS.has(arg.name.value))
    .map((arg) => pageArgumentOf(arg.value));
}

function declaredDefaults(document: DocumentNode): Map<string, number> {
  const defaults = new Map<string, number>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const declaration of definition.variableDefinitions ?? []) {
      if (declaration.defaultValue?.kind !== Kind.INT) continue;
      const name = declaration.variable.name.value;
      const value = Number.parseInt(declaration.defaultValue.value, 10);
      defaults.set(name, Math.max(defaults.get(name) ?? value, value));
    }
  }
  return defaults;
}

function costsOf(schema: GraphQLSchema, document: DocumentNode): DocumentCosts {
  let costs = documents.get(document);
  if (!costs) {
    const connections: PageArgument[][] = [];
    visitConnections(schema, document, (node) => void connections.push(pageArgumentsOf(node)));
    costs = { connections, defaults: declaredDefaults(document), byPageSizes: new Map() };
    documents.set(document, costs);
  }
  return costs;
}

/**
 * The rows one page argument asks for, or null when it asks for none (null, or a variable not sent that
 * declares no default). A variable that is not an Int fails the request; it counts as the most.
 */
function askedRows(argument: PageArgument, variables: Variables, defaults: Map<string, number>): number | null {
  if (argument === null) return null;
  if ('literal' in argument) return argument.literal;
  const value = variables?.[argument.variable];
  if (Number.isInteger(value)) return value as number;
  if (value === null) return null;
  if (value === undefined) return defaults.get(argument.variable) ?? null;
  return MAX_PAGE_SIZE;
}

/**
 * The page size a connection is served with: what its arguments ask for (the larger, when both are
 * given), its default when they ask for nothing, at most MAX_PAGE_SIZE and at least 1 (armor's own floor).
 */
function pageSizeOf(argumentsGiven: PageArgument[], variables: Variables, defaults: Map<string, number>): number {
  const asked = argumentsGiven.map((arg) => askedRows(arg, variables, defaults)).filter((rows) => rows !== null);
  if (asked.length === 0) return DEFAULT_PAGE_SIZE;
  return Math.min(Math.max(...asked, 1), MAX_PAGE_SIZE);
}

/** The field with its page arguments replaced by one literal `first: size`, the form armor multiplies by. */
function withLiteralPageSize(node: FieldNode, size: number): FieldNode {
  const others = (node.arguments ?? []).filter((arg) => !PAGE_ARGUMENTS.has(arg.name.value));
  return {
    ...node,
    arguments: [
      ...others,
      {
        kind: Kind.ARGUMENT,
        name: { kind: Kind.NAME, value: 'first' },
        value: { kind: Kind.INT, value: String(size) },
      },
    ],
  };
}

/** Armor's cost of the document's largest operation (a request executes one of them), at least 1. */
function armorCost(schema: GraphQLSchema, document: DocumentNode): number {
  let cost = 1;
  const rule = costLimitRule({
    maxCost: Number.MAX_SAFE_INTEGER,
    onAccept: [(_context, details: { n: number }) => void (cost = Math.max(cost, details.n))],
  });
  validate(schema, document, [rule]);
  return Math.ceil(cost);
}

/**
 * The largest cost among the document's operations, at least 1, each connection counted at the page
 * size the request asks for (`variables` included). Cached per parsed document (Yoga's parser cache
 * hands the same object back for the same text) and per set of page sizes, so a repeated request costs
 * a map lookup.
 */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, variables?: Variables): number {
  const costs = costsOf(schema, document);
  const sizes = costs.connections.map((given) => pageSizeOf(given, variables, costs.defaults));
  const key = sizes.join(',');
  const cached = costs.byPageSizes.get(key);
  if (cached !== undefined) return cached;
  let next = 0;
  const literal = visitConnections(schema, document, (node) => withLiteralPageSize(node, sizes[next++]!));
  const cost = armorCost(schema, literal);
  if (costs.byPageSizes.size >= MAX_COSTS_PER_DOCUMENT)
    costs.byPageSizes.delete(costs.byPageSizes.keys().next().value!);
  costs.byPageSizes.set(key, cost);
  return cost;
}
