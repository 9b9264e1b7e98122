/**
 * Parts of one piece of work (a pack's sections) run at once on a few connections to the same
 * database, in order of asking, each part on whichever connection is free. Why: a pack's figures
 * are some twenty reads, most of them small statements DuckDB runs on one thread, awaited one
 * after another on one connection — one core busy of the machine's two, the other idle (the SLT
 * pack at 4,500 pupils: 4.8 s of CPU in 4.7 s wall). Issue 11, item 5: "queries a page needs
 * run concurrently on separate connections". The connections share the work's reads
 * (db.ts siblingConnection), so a read two parts ask for is still run once.
 */
import { closeSiblingConnection, siblingConnection, type Connection } from "./db.ts";

/** Connections a pack's sections run on at once: the machine's two cores (README "Stack"). */
export const PACK_LANES = 2;

/** One part of the work: given the connection it runs on, its result. */
export type LanePart<T> = (connection: Connection) => Promise<T>;

/**
 * Runs `parts` on `connection` and up to `lanes - 1` more connections to its database, each part
 * starting, in the order given, as soon as a connection is free; returns their results in the
 * same order. Where the connection cannot have others (inside a transaction, or not from
 * withConnection: db.ts siblingConnection), the parts run one after another on it. After a part
 * fails no further part starts; the first failure is thrown once every part started has ended
 * (a connection is never closed under a running statement).
 */
export async function inLanes<T extends readonly unknown[]>(
  connection: Connection,
  parts: { readonly [K in keyof T]: LanePart<T[K]> },
  lanes: number = PACK_LANES,
): Promise<T> {
  const results = new Array<unknown>(parts.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const run = async (on: Connection) => {
    while (failure === null && next < parts.length) {
      const index = next++;
      try {
        results[index] = await parts[index](on);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const siblings: Connection[] = [];
  try {
    for (let i = 1; i < Math.min(lanes, parts.length); i++) {
      const sibling = await siblingConnection(connection);
      if (sibling === null) break;
      siblings.push(sibling);
    }
    await Promise.all([run(connection), ...siblings.map(run)]);
  } finally {
    for (const sibling of siblings) closeSiblingConnection(sibling);
  }
  if (failure !== null) throw (failure as { error: unknown }).error;
  return results as unknown as T;
}

/**
 * A part whose result other parts also need (a pack's year-to-date measures): run once, by the
 * first part to ask, on that part's connection; every later caller gets the same promise.
 */
export function firstRun<T>(part: LanePart<T>): LanePart<T> {
  let result: Promise<T> | undefined;
  return (connection) => (result ??= part(connection));
}
