// The Content-Security-Policy nonce of the document being rendered (entry.server.tsx makes one per
// request and sends it in the header). On the server the root renders it on Remix's inline scripts; in
// the browser there is no provider and the value is empty, which is fine: the scripts are already there.
import { createContext, useContext } from 'react';

export const NonceContext = createContext<string>('');

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string {
  return useContext(NonceContext);
}
