// The one source of every list of tables the tests must cover: Prisma's data model
// (prisma/schema.prisma). The RLS matrix, the catalog lint, the fail-closed checks and the
// planner's statistics all derive their table lists from here, and database-lint.test.ts holds
// this list to the catalog (every model's table exists with RLS, no table lacks a model) and to the
// data model Prisma generated (the parser below misses no model), so a new model cannot be
// forgotten in one of them.
//
// Read from the schema file rather than from the generated client: Prisma 7's generated client
// keeps table names (@@map) only in an internal, undocumented structure, and the Pothos data model
// has no table names at all. The format read here is small: `model Name { … }` blocks, their
// `@@map("table")`, and the field marked `@id` (with its `@map("column")`).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { prismaDir } from '#src/db/paths.js';

export interface ModelTable {
  /** The Prisma model, e.g. CollectionItem. */
  model: string;
  /** Its table: the model's @@map, else its name. */
  table: string;
  /** The Prisma field marked @id. */
  keyField: string;
  /** That field's column: its @map, else its name. */
  key: string;
}

/** `line` without a `//` comment; a `//` inside a string (a URL, say) is kept. */
function withoutComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === '"' && line[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && char === '/' && line[i + 1] === '/') return line.slice(0, i);
  }
  return line;
}

const MODEL_BLOCK = /^model\s+(\w+)\s*\{\s*$([\s\S]*?)^\}/gm;
const TABLE_MAP = /@@map\(\s*(?:name:\s*)?"([^"]+)"\s*\)/;
/** A field line carrying a single-field @id (not @@id, not @id inside another attribute's name). */
const ID_FIELD = /^\s*(\w+)\s+\S+.*(?<![@\w])@id\b/m;
const COLUMN_MAP = /@map\(\s*(?:name:\s*)?"([^"]+)"\s*\)/;

function keyOfModel(model: string, body: string): { keyField: string; key: string } {
  const line = body.split('\n').find((l) => ID_FIELD.test(l));
  if (!line) throw new Error(`model ${model}: no single-field @id (composite keys are not supported here)`);
  const keyField = ID_FIELD.exec(line)![1]!;
  return { keyField, key: COLUMN_MAP.exec(line)?.[1] ?? keyField };
}

/** The models of a Prisma schema, in the order the schema declares them. */
export function parseModels(schema: string): ModelTable[] {
  const text = schema.split('\n').map(withoutComment).join('\n');
  return [...text.matchAll(MODEL_BLOCK)].map(([, model, body]) => ({
    model: model!,
    table: TABLE_MAP.exec(body!)?.[1] ?? model!,
    ...keyOfModel(model!, body!),
  }));
}

export const MODEL_TABLES: readonly ModelTable[] = parseModels(
  readFileSync(path.join(prismaDir, 'schema.prisma'), 'utf8'),
);

/** Every table of the data model. All of them hold user data or settings, and all have RLS. */
export const PROTECTED_TABLES: readonly string[] = MODEL_TABLES.map((m) => m.table);

/** The key column of a table of the data model (`id`, or `key` for tenant_settings). */
export function keyOf(table: string): string {
  const model = MODEL_TABLES.find((m) => m.table === table);
  if (!model) throw new Error(`${table} is not a table of the Prisma data model`);
  return model.key;
}
