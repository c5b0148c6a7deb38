// Input validation of a global id argument: the relay plugin decodes it before validation runs, so the
// rule checks that it names the expected type (an id of another type is BAD_USER_INPUT on its path).
import { z } from 'zod';

const article = (word: string) => (/^[AEIOU]/.test(word) ? 'an' : 'a');

export const globalIdOf = (typename: string) =>
  z.object({ typename: z.string(), id: z.string() }).refine((value) => value.typename === typename, {
    message: `Expected ${article(typename)} ${typename} id`,
  });
