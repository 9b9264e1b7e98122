/**
 * What an import's amended marks reach: how many marks it amended, the earliest date amended,
 * and the packs whose figures read an amended date (their own period or the year to date before
 * it: packs/periods.ts packReachedBy) — said on the Import page after "Import
 * these files", where the preview's list of amended marks is gone (fresh-clone trial 49: the
 * confirmation showed only the counts). A pack already given to the SLT or the governors may
 * now read differently from the same pack made today.
 */
import { listValue } from "@duckdb/node-api";
import { queryRows, type Connection, type Row } from "../db.ts";
import { listWords } from "../list-words.ts";
import { ukDate } from "../packs/format.ts";
import { packsCovering } from "../packs/periods.ts";

export interface AmendedReach {
  /** Marks the imports amended (rows of `amendments` naming them). */
  count: number;
  /** The earliest date amended (ISO), null when none was. */
  earliest: string | null;
  /** The SLT packs' months and the governors' packs' terms whose figures read an amended date (packReachedBy), as the Packs pages offer them (labels, oldest first). */
  slt: string[];
  governors: string[];
}

/**
 * The ids of the imports among `summaries` (importFiles' ImportSummary) that amended marks, in
 * their order: those whose amendments amendedReach reads (a pupils file's changed pupils are no
 * amended marks). The Import page and `rollcall import` after an import, a preview per file.
 */
export function amendingImports(summaries: ReadonlyArray<{ kind: string; amended: number; importId?: number | null }>): number[] {
  return summaries.flatMap((s) => (s.kind === "marks" && s.amended > 0 && s.importId !== null && s.importId !== undefined ? [s.importId] : []));
}

/**
 * The reach of the marks amended by the imports `importIds` (their `amendments` rows), judged
 * on `today` (ISO): only packs offered today — a month begun, a term with a half term ended
 * (analytics/packs/periods.ts packsCovering) — whose figures read an amended date: their own
 * period, the academic year to date before it, and for the governors' pack the year before.
 */
export async function amendedReach(connection: Connection, importIds: readonly number[], today: string): Promise<AmendedReach> {
  const none: AmendedReach = { count: 0, earliest: null, slt: [], governors: [] };
  if (importIds.length === 0) return none;
  // The dates amended, each with its count: the total, the earliest and the packs from one read.
  const byDate = await queryRows<Row & { date: string; n: number }>(
    connection,
    `SELECT strftime(date, '%Y-%m-%d') AS date, count(*)::INTEGER AS n FROM amendments WHERE list_contains($ids::INTEGER[], import_id) GROUP BY date ORDER BY date`,
    { ids: listValue(importIds.map(Number)) },
  );
  if (byDate.length === 0) return none;
  const dates = byDate.map((r) => r.date);
  const packs = await packsCovering(connection, dates, today);
  return { count: byDate.reduce((n, r) => n + Number(r.n), 0), earliest: dates[0], slt: packs.months.map((m) => m.label).reverse(), governors: packs.terms.map((t) => t.label).reverse() };
}

/**
 * The Import page's sentence for an import's amended marks, or null when it amended none:
 * "2 marks amended, the earliest on Mon 5 Oct 2026: the figures of these packs may have changed
 * since a copy was made — the SLT pack for October 2026, the governors' pack for Autumn 2026 to
 * the end of Autumn 1." With no pack reached, the count and the date alone. Not "periods already
 * reported": the current month's pack ("December 2026 to 7 Dec 2026") is reached too, and its
 * period has not ended (fresh-clone trial 50b).
 */
export function amendedReachWords(reach: AmendedReach): string | null {
  if (reach.count === 0 || reach.earliest === null) return null;
  const day = ukDate(reach.earliest, "EEE d MMM yyyy");
  const marks = reach.count === 1 ? `1 mark amended, on ${day}` : `${reach.count.toLocaleString("en-GB")} marks amended, the earliest on ${day}`;
  const packs = [
    ...(reach.slt.length > 0 ? [`the SLT ${reach.slt.length === 1 ? "pack" : "packs"} for ${listWords(reach.slt)}`] : []),
    ...(reach.governors.length > 0 ? [`the governors' ${reach.governors.length === 1 ? "pack" : "packs"} for ${listWords(reach.governors)}`] : []),
  ];
  if (packs.length === 0) return `${marks}.`;
  return `${marks}: the figures of these packs may have changed since a copy was made — ${packs.join(", ")}.`;
}

/**
 * The same for a preview (a dry run, rolled back: nothing was amended yet), or null when it would
 * amend none: "If imported: 2 marks amended, the earliest on Mon 5 Oct 2026: the figures of these
 * packs may have changed since a copy was made — …". A lead deciding whether to import sees which
 * packs given out it would change before importing (fresh-clone trial 50b: only the import's
 * result said so).
 */
export function amendedReachPreviewWords(reach: AmendedReach): string | null {
  const words = amendedReachWords(reach);
  return words === null ? null : `If imported: ${words}`;
}
