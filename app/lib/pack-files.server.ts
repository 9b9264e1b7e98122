/**
 * Pack files made once per state of the register and kept for the next reader: the store is
 * analytics/packs/kept-files.ts (shared with `rollcall pack` relayed into this server); here the
 * web app's connection is given to it.
 */
import { createHash } from "node:crypto";
import { generationKey, type Connection } from "../../analytics/db.ts";
import type { PackFormat } from "../../analytics/packs/files.ts";
import { keptPackFile, type KeptPackFile } from "../../analytics/packs/kept-files.ts";
import type { PackKind } from "../../analytics/packs/model.ts";
import { withDb } from "./db.server";

export type { PackFile } from "../../analytics/packs/kept-files.ts";

/** analytics/packs/kept-files.ts keptPackFile on the web app's database (withDb: its tables made, 503 while another process holds it). */
export function packFile(kind: PackKind, period: string, format: PackFormat, today: string): Promise<KeptPackFile> {
  return keptPackFile(withDb, kind, period, format, today);
}

/**
 * A short key of the register's state on `connection` (its data generation, hashed: the key
 * names the database file, which a page must not show): the pack pages give it to their frame
 * (PackFrame's `version`) so a frame made before a commit is made again after it. A fresh key
 * each call when there is no generation (the result cache off), so the frame is never stale.
 */
export function packStateKey(connection: Connection): string {
  const generation = generationKey(connection) ?? `${process.hrtime.bigint()}`;
  return createHash("sha256").update(generation).digest("hex").slice(0, 16);
}
