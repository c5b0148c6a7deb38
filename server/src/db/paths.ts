import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's prisma/ folder: schema, migrations and the role bootstrap. */
export const prismaDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../prisma');
export const migrationsDir = path.join(prismaDir, 'migrations');
