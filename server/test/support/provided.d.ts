import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    database: { url: string; ownerUrl: string; superuserUrl: string };
  }
}
