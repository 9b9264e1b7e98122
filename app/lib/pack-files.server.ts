/**
 * Pack files (PDF, workbook, the HTML document the pack's page frames) made once per state of the register and kept for the next reader
 * (issue 11, item 5: "packs are built once per import"). A governors' pack at 4,500 pupils
 * takes seconds to work out and print; a second governor downloading the same term's pack,
 * with nothing changed under it, is sent the file already made.
 *
 * Kept under the file's data generation (analytics/db.ts generationKey: it moves on at every
 * commit that changes data — an import, an amendment, settings, a commentary saved), so a
 * file is never sent after the register, the settings or the commentary it was made from
 * changed; every kept file is dropped at such a commit, and a day's change of `today` is part
 * of the key. Without the result cache (never in the server) nothing is kept.
 */
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { generationKey, onDataChanged, type Connection } from "../../analytics/db.ts";
import { buildPack, renderPackFile, type PackFormat } from "../../analytics/packs/files.ts";
import type { PackKind } from "../../analytics/packs/model.ts";
import { withDb } from "./db.server";

/** The most files kept: a term's FGB pack and a month's SLT pack in all three formats, and a few more (each 0.2–1.5 MB). */
const MAX_KEPT_FILES = 12;

export interface PackFile {
  body: Buffer;
  /** The model's fileKey (packFileName's period part). */
  fileKey: string;
  /** The model's period as words ("June 2026", "Autumn term 2026"). */
  label: string;
  /**
   * The HTML document gzipped once, for readers whose browser accepts it (every browser): the
   * frame of a pack page is loaded at every view of it, and compressing 0.8 MB (an SLT pack at
   * 4,500 pupils) for each would cost more than sending the kept file. Null for the PDF and the
   * workbook (already compressed formats).
   */
  gzipped: Buffer | null;
}

const gzipped = promisify(gzip);

/** A pack file, or why there is no pack for the period (buildPack's message, e.g. "January 2030 has not started yet (…)"). */
type Made = PackFile | { refused: string };

const kept = new Map<string, Promise<Made>>();
onDataChanged(() => kept.clear());

/**
 * The pack `kind` for `period` (a month "2026-10" or a term "autumn-2026") as `format`, as of
 * `today` (ISO date): `file` null when there is no such pack, with `refused` buildPack's message
 * saying why (the period not begun, before the register, not in the calendar: the caller
 * refuses the download in those words); `kept` whether it was made for an earlier
 * request (or is being made for one now) rather than for this one. Made once per state of the
 * register (shared by callers at the same moment) and kept; rendering (Chromium for the PDF)
 * happens after the database connection is released. Throws what rendering throws (not kept).
 */
export async function packFile(
  kind: PackKind,
  period: string,
  format: PackFormat,
  today: string,
): Promise<{ file: PackFile; kept: boolean; refused?: undefined } | { file: null; kept: boolean; refused: string }> {
  const generation = await withDb(async (c) => generationKey(c));
  const key = generation === undefined ? undefined : `${generation}\u0000${kind}\u0000${period}\u0000${format}\u0000${today}`;
  const found = key === undefined ? undefined : kept.get(key);
  if (found) return answer(await found, true);
  const made = (async (): Promise<Made> => {
    const model = await withDb((c) => buildPack(c, kind, period, today, format)).catch((error: Error) => ({ refused: error.message }));
    if ("refused" in model) return model;
    const body = await renderPackFile(model, format);
    return { body, fileKey: model.fileKey, label: model.periodLabel, gzipped: format === "html" ? await gzipped(body) : null };
  })();
  if (key !== undefined) {
    kept.set(key, made);
    // A failure or a refused period is not kept: the next request tries again.
    made.then(
      (file) => "refused" in file && kept.delete(key),
      () => kept.delete(key),
    );
    if (kept.size > MAX_KEPT_FILES) kept.delete(kept.keys().next().value!);
  }
  return answer(await made, false);
}

function answer(made: Made, kept: boolean): { file: PackFile; kept: boolean } | { file: null; kept: boolean; refused: string } {
  return "refused" in made ? { file: null, kept, refused: made.refused } : { file: made, kept };
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
