/**
 * The per-response CSP nonce (scripts/server.js makes one per request and names it in the
 * Content-Security-Policy header; app/entry.server.tsx provides it to the page so Remix's own
 * inline scripts carry it). In the browser the value is empty: nonces are only read by the
 * browser's CSP check at load.
 */
import { createContext, useContext } from "react";

export const NonceContext = createContext<string>("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
