/**
 * Things a one-shot process (the CLI) must release before it ends, registered by the modules
 * that hold them, so the CLI need not load those modules (Chromium's driver) just to close
 * them: the shared print browser registers its close here when it is first loaded.
 */
const closers = new Set<() => Promise<void>>();

/** Registers `close` to run at shutdown; returns nothing. */
export function onShutdown(close: () => Promise<void>): void {
  closers.add(close);
}

/** Runs every registered close once, in registration order; a failing close does not stop the rest. */
export async function runShutdown(): Promise<void> {
  for (const close of closers) await close().catch(() => undefined);
}
