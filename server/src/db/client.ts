// The Prisma client of the request path: it connects as the authenticator role, which has no
// privileges of its own. Used directly it can do nothing; every use goes through the RLS
// extension (rls.ts) or a role-switching transaction (withRls, withSync).
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '#src/generated/prisma/client.js';

export type BasePrisma = PrismaClient;

export function createBasePrisma(url: string, poolSize: number): BasePrisma {
  const adapter = new PrismaPg({ connectionString: url, max: poolSize });
  return new PrismaClient({ adapter });
}
