/**
 * Pack files (PDF, workbook, the HTML document the pack's page frames) made once per state of
 * the register and kept for the next reader (issue 11, item 5: "packs are built once per
 * import"). A governors' pack at 4,500 pupils takes seconds to work out and print; a second
 * governor downloading the same term's pack, with nothing changed under it, is sent the file
 * already made — and so is `rollcall pack` run while the dashboard holds the database (its
 * command relayed into the server: analytics/cli/remote.ts), which had made the file afresh
 * (trial 46: 28 s where the dashboard's download of the same file took 0.08–0.25 s).
 *
 * Kept under the file's data generation (analytics/db.ts generationKey: it moves on at every
 * commit that changes data — an import, an amendment, settings, a commentary saved), so a
 * file is never sent after the register, the settings or the commentary it was made from
 * changed; every kept file is dropped at such a commit, and a day's change of `today` is part
 * of the key. Without the result cache (a CLI in its own process) nothing is kept.
 *
 * The kept files live on globalThis: the server's Remix bundle and the CLI relayed into the
 * same process (loaded by tsx) are two copies of this module, and must share one store (as
 * analytics/db.ts shares its result cache).
 */
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { generationKey, onDataChanged, type WithConnection } from "../db.ts";
import { buildPack, renderPackFile, type PackFormat } from "./files.ts";
import type { PackKind } from "./model.ts";

/** The most files kept: a term's FGB pack and a month's SLT pack in all three formats, and a few more (each 0.2–1.5 MB). */
const MAX_KEPT_FILES = 12;

export interface PackFile {
  body: Buffer;
  /** The model's fileKey (packFileName's period part). */
  fileKey: string;
  /** The model's period as words ("June 2026", "Autumn term 2026"). */
  label: string;
  /** The model's title ("Governors' attendance pack"). */
  title: string;
  /**
   * The HTML document gzipped once, for readers whose browser accepts it (every browser): the
   * frame of a pack page is loaded at every view of it, and compressing 0.8 MB (an SLT pack at
   * 4,500 pupils) for each would cost more than sending the kept file. Null for the PDF and the
   * workbook (already compressed formats), and for a file not kept (the result cache off).
   */
  gzipped: Buffer | null;
  /** Milliseconds spent working out the figures and rendering the file, when it was made. */
  madeIn: { figuresMs: number; renderMs: number };
}

/** A pack file, or why there is no pack for the period (buildPack's message, e.g. "January 2030 has not started yet (…)"). */
type Made = PackFile | { refused: string };

export type KeptPackFile = { file: PackFile; kept: boolean; refused?: undefined } | { file: null; kept: boolean; refused: string };

const KEPT_FILES = Symbol.for("rollcall.analytics.packs.keptFiles.v1");

/**
 * The process's kept files, made (and tied to the commits that drop them) by the first copy of
 * this module loaded: the server's bundle, at its start. Made when the module loads, not on
 * first use, so that the listener is never bound to a relayed command's context (review 47).
 */
const kept: Map<string, Promise<Made>> = (() => {
  const global = globalThis as Record<symbol, Map<string, Promise<Made>> | undefined>;
  let files = global[KEPT_FILES];
  if (!files) {
    const made = (files = global[KEPT_FILES] = new Map());
    onDataChanged(() => made.clear());
  }
  return files;
})();

const gzipped = promisify(gzip);

/**
 * The pack `kind` for `period` (a month "2026-10" or a term "autumn-2026") as `format`, as of
 * `today` (ISO date), its figures read through `withDb`: `file` null when there is no such
 * pack, with `refused` buildPack's message saying why (the period not begun, before the
 * register, not in the calendar: the caller refuses it in those words); `kept` whether it was
 * made for an earlier request (or is being made for one now) rather than for this one. Made
 * once per state of the register (shared by callers at the same moment) and kept; rendering
 * (Chromium for the PDF) happens after the database connection is released. Throws what
 * rendering throws (not kept).
 */
export async function keptPackFile(withDb: WithConnection, kind: PackKind, period: string, format: PackFormat, today: string): Promise<KeptPackFile> {
  const generation = await withDb(async (c) => generationKey(c));
  const key = generation === undefined ? undefined : `${generation}\u0000${kind}\u0000${period}\u0000${format}\u0000${today}`;
  const found = key === undefined ? undefined : kept.get(key);
  if (found) return answer(await found, true);
  const made = (async (): Promise<Made> => {
    const started = performance.now();
    const model = await withDb((c) => buildPack(c, kind, period, today, format)).catch((error: Error) => ({ refused: error.message }));
    if ("refused" in model) return model;
    const built = performance.now();
    const body = await renderPackFile(model, format);
    const madeIn = { figuresMs: built - started, renderMs: performance.now() - built };
    return {
      body,
      fileKey: model.fileKey,
      label: model.periodLabel,
      title: model.title,
      // Gzipped only to be kept for readers (a CLI in its own process keeps nothing).
      gzipped: format === "html" && key !== undefined ? await gzipped(body) : null,
      madeIn,
    };
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

function answer(made: Made, kept: boolean): KeptPackFile {
  return "refused" in made ? { file: null, kept, refused: made.refused } : { file: made, kept };
}
