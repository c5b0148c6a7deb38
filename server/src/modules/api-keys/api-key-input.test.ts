import { describe, expect, it } from 'vitest';
import { createApiKeySchema, createApiKeyValues } from './api-key-input.js';

const input = (expiresAt: Date) => ({ name: ' nightly ', scopes: ['WRITE', 'READ', 'READ'], expiresAt });

describe('createApiKey input', () => {
  it('validation refuses an expiry that is not in the future, on its path', () => {
    const result = createApiKeySchema.safeParse(input(new Date(Date.now() - 1)));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['expiresAt']);
  });

  it("the resolver's values do not consult the clock again, so a validated expiry at the edge cannot fail later", () => {
    const values = createApiKeyValues.parse(input(new Date(Date.now() - 1)));
    expect(values.name).toBe('nightly');
    expect(values.scopes).toEqual(createApiKeySchema.parse(input(new Date(Date.now() + 60_000))).scopes);
  });
});
