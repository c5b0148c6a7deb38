import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import './types/scalars.js';
import '#src/modules/index.js';

builder.queryType({});
builder.mutationType({});

export const schema: GraphQLSchema = builder.toSchema();

/** The checked-in schema.graphql: printed from the code, sorted so diffs stay small. */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
