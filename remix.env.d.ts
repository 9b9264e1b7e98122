/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

import "@remix-run/node";

declare module "@remix-run/node" {
  /** What scripts/server.js passes to every loader and action. */
  interface AppLoadContext {
    /** This response's Content-Security-Policy nonce. */
    cspNonce?: string;
    /** The client's address (the socket's, or the first X-Forwarded-For hop when ROLLCALL_TRUST_PROXY=1). */
    clientAddress?: string;
  }
}
