/**
 * What an import's changed marks reach: how many marks it amended, the earliest date amended,
 * and the packs whose figures read an amended date (their own period or the year to date before
 * it: packs/periods.ts packReachedBy); and the same for its new marks, in packs of a period
 * already ended (newMarksReach) — said on the Import page after "Import these files", where the
 * preview's list of amended marks is gone (fresh-clone trial 49: the confirmation showed only
 * the counts), on /imports/N and by `rollcall import`. A pack already given to the SLT or the
 * governors may now read differently from the same pack made today.
 */
import { listValue } from "@duckdb/node-api";
import { queryRows, type Connection, type Row } from "../db.ts";
import { listWords } from "../list-words.ts";
import { ukDate } from "../packs/format.ts";
import { packReachedBy, packsCovering, type PackPeriodReached } from "../packs/periods.ts";
import { londonIsoDate } from "../time.ts";
import { currentDate } from "../periods.ts";

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
 * The ids of the imports among `summaries` (importFiles' ImportSummary) that added or amended
 * marks, in their order: those whose marks importReach reads (a pupils file's changed pupils
 * are no marks). The Import page and `rollcall import` after an import, a preview per file.
 */
export function reachingImports(summaries: ReadonlyArray<{ kind: string; inserted: number; amended: number; importId?: number | null }>): number[] {
  return summaries.flatMap((s) => (s.kind === "marks" && s.inserted + s.amended > 0 && s.importId !== null && s.importId !== undefined ? [s.importId] : []));
}

/** What marks reach, before it is put in labels: the count, the earliest date, and the periods named (oldest first), each with the last day its pack covers. */
interface Reached {
  count: number;
  earliest: string | null;
  months: PackPeriodReached[];
  terms: PackPeriodReached[];
}

const NOTHING: Reached = { count: 0, earliest: null, months: [], terms: [] };

/** A Reached as AmendedReach gives it: the periods by label, oldest first. */
const inLabels = (r: Reached): AmendedReach => ({ count: r.count, earliest: r.earliest, slt: r.months.map((m) => m.label), governors: r.terms.map((t) => t.label) });

/**
 * The reach of the marks amended by the imports `importIds` (their `amendments` rows), judged
 * on `today` (ISO): only packs offered today — a month begun, a term with a half term ended
 * (analytics/packs/periods.ts packsCovering) — whose figures read an amended date: their own
 * period, the academic year to date before it, and for the governors' pack the year before.
 */
export async function amendedReach(connection: Connection, importIds: readonly number[], today: string): Promise<AmendedReach> {
  return inLabels(await amendedReached(connection, importIds, today));
}

async function amendedReached(connection: Connection, importIds: readonly number[], today: string): Promise<Reached> {
  if (importIds.length === 0) return NOTHING;
  // The dates amended, each with its count: the total, the earliest and the packs from one read.
  const byDate = await queryRows<Row & { date: string; n: number }>(
    connection,
    `SELECT strftime(date, '%Y-%m-%d') AS date, count(*)::INTEGER AS n FROM amendments WHERE list_contains($ids::INTEGER[], import_id) GROUP BY date ORDER BY date`,
    { ids: listValue(importIds.map(Number)) },
  );
  if (byDate.length === 0) return NOTHING;
  const dates = byDate.map((r) => r.date);
  const packs = await packsCovering(connection, dates, today);
  return { count: byDate.reduce((n, r) => n + Number(r.n), 0), earliest: dates[0], months: packs.months.reverse(), terms: packs.terms.reverse() };
}

/**
 * What the new marks of the imports `importIds` reach (the marks they hold in the store that
 * they did not amend: mark_store.import_id; a new mark amended since by a later import is that
 * import's), judged on `today` (ISO): the packs offered today whose period has ended
 * (PackPeriodSpan.ended: a month over, a term's ended half terms) and whose figures read one of
 * their dates (packReachedBy, as an amendment's), and whose figures read marks the register
 * held before the imports (a copy made then showed something: not a new year's months before
 * its first import, nor an empty register's).
 * Not a month "to" today: its pack is made afresh as each week's marks come in, and a weekly
 * import would name it every time (trial 54 asked for the week of 30 Nov – 4 Dec to name
 * November's pack, given out already, not December's to date). `count` and `earliest`: the new
 * marks dated in a pack named (none named: 0 and null).
 */
export async function newMarksReach(connection: Connection, importIds: readonly number[], today: string): Promise<AmendedReach> {
  return inLabels(await newMarksReached(connection, importIds, today));
}

async function newMarksReached(connection: Connection, importIds: readonly number[], today: string): Promise<Reached> {
  if (importIds.length === 0) return NOTHING;
  const ids = { ids: listValue(importIds.map(Number)), first: Math.min(...importIds.map(Number)) };
  // The new marks' dates, each with its count: the imports' marks in the store less those they amended.
  const byDate = await queryRows<Row & { date: string; n: number }>(
    connection,
    `SELECT strftime(m.date, '%Y-%m-%d') AS date, count(*)::INTEGER AS n
     FROM mark_store m
     WHERE list_contains($ids::INTEGER[], m.import_id)
       AND NOT EXISTS (SELECT 1 FROM amendments a JOIN pupil_ids k USING (upn)
                       WHERE list_contains($ids::INTEGER[], a.import_id) AND k.pupil_id = m.pupil_id AND a.date = m.date AND (a.session = 'PM') = m.pm)
     GROUP BY m.date ORDER BY m.date`,
    { ids: ids.ids },
  );
  if (byDate.length === 0) return NOTHING;
  // The days the register held marks on before the imports: marks stored by an earlier import,
  // those the imports amended (they were there before), and the days of every earlier import's
  // marks (imports.first_date to last_date): a mark of an earlier import amended since by a later
  // one carries the later one's number in the store, and its day had been missed, the pack
  // unnamed (review 54).
  const held = await queryRows<Row & { date: string }>(
    connection,
    `SELECT DISTINCT strftime(date, '%Y-%m-%d') AS date FROM mark_store WHERE import_id < $first
     UNION SELECT DISTINCT strftime(date, '%Y-%m-%d') FROM amendments WHERE list_contains($ids::INTEGER[], import_id)
     UNION SELECT DISTINCT strftime(d.day, '%Y-%m-%d') FROM imports i, LATERAL (SELECT unnest(range(i.first_date::TIMESTAMP, i.last_date::TIMESTAMP + INTERVAL 1 DAY, INTERVAL 1 DAY)) AS day) d
       WHERE i.import_id < $first AND i.first_date IS NOT NULL AND i.last_date IS NOT NULL`,
    ids,
  );
  const dates = byDate.map((r) => r.date);
  const packs = await packsCovering(connection, dates, today, { ended: true, held: held.map((r) => r.date) });
  const reached = byDate.filter((r) => packs.months.some((p) => packReachedBy([r.date], p.to, false)) || packs.terms.some((p) => packReachedBy([r.date], p.to, true)));
  if (reached.length === 0) return NOTHING;
  return { count: reached.reduce((n, r) => n + Number(r.n), 0), earliest: reached[0].date, months: packs.months.reverse(), terms: packs.terms.reverse() };
}

/**
 * What an import's marks reach: its amended marks' count and earliest date (amendedReach), its
 * new marks' in a period already ended (newMarksReach), and the packs either reaches, oldest
 * first, each with which does ("both": new and amended marks).
 */
export interface ImportReach {
  amended: { count: number; earliest: string | null };
  added: { count: number; earliest: string | null };
  slt: { label: string; by: "amended" | "new" | "both" }[];
  governors: { label: string; by: "amended" | "new" | "both" }[];
}

/**
 * What import `importId`'s marks reached when it was made, for its record (/imports/N): importReach
 * judged on the import's own London day (imports.imported_at; `today`, ISO, when earlier), as the Import page judged it then.
 * Judged on the day the record is read, a pack of a period ended since (made after the import,
 * with its marks) had been named (review 54). Null when there is no such import.
 */
export async function importRecordReach(connection: Connection, importId: number, today: string = currentDate()): Promise<ImportReach | null> {
  const row = await queryRows<Row & { at: string }>(connection, "SELECT strftime(imported_at, '%Y-%m-%dT%H:%M:%SZ') AS at FROM imports WHERE import_id = $id", { id: importId });
  if (row.length === 0) return null;
  // The earlier of the import's day and `today`: where today is set back (ROLLCALL_TODAY, a
  // trial's or a test's fixed day) an import stamped by the clock is judged as on that day.
  const day = londonIsoDate(row[0].at);
  return importReach(connection, [importId], day < today ? day : today);
}

/** amendedReach and newMarksReach of the imports `importIds` (reachingImports), judged on `today` (ISO), together. */
export async function importReach(connection: Connection, importIds: readonly number[], today: string): Promise<ImportReach> {
  const amended = await amendedReached(connection, importIds, today);
  const added = await newMarksReached(connection, importIds, today);
  // Each period once, by the last day its pack covers (the offered periods' order).
  const merged = (a: PackPeriodReached[], n: PackPeriodReached[]) =>
    [...new Map([...a, ...n].map((p) => [p.key, p])).values()]
      .sort((x, y) => (x.to < y.to ? -1 : x.to > y.to ? 1 : 0))
      .map((p) => {
        const inA = a.some((q) => q.key === p.key);
        const inN = n.some((q) => q.key === p.key);
        return { label: p.label, by: inA && inN ? ("both" as const) : inA ? ("amended" as const) : ("new" as const) };
      });
  return {
    amended: { count: amended.count, earliest: amended.earliest },
    added: { count: added.count, earliest: added.earliest },
    slt: merged(amended.months, added.months),
    governors: merged(amended.terms, added.terms),
  };
}

/**
 * The sentence for an import's amended marks, or null when it amended none: "2 marks amended,
 * the earliest on Mon 5 Oct 2026: the figures of these packs may have changed since a copy was
 * made — the SLT pack for October 2026, the governors' pack for Autumn 2026 to the end of
 * Autumn 1." With no pack reached, the count and the date alone. Not "periods already
 * reported": the current month's pack ("December 2026 to 7 Dec 2026") is reached too, and its
 * period has not ended (fresh-clone trial 50b).
 */
export function amendedReachWords(reach: AmendedReach): string | null {
  const amended = (label: string) => ({ label, by: "amended" as const });
  return importReachWords({ amended: { count: reach.count, earliest: reach.earliest }, added: { count: 0, earliest: null }, slt: reach.slt.map(amended), governors: reach.governors.map(amended) });
}

/**
 * The Import page's, /imports/N's and `rollcall import`'s sentence for what an import's marks
 * reach (importReach), or null when it amended none and its new marks reach no pack. Amended
 * marks alone: amendedReachWords' words. New marks alone: "23 new marks dated in a period
 * already ended, the earliest on Mon 30 Nov 2026: the figures of these packs may have changed
 * since a copy was made — the SLT pack for November 2026." Both: one sentence naming both, and
 * each pack with what reaches it: "… — the SLT packs for October 2026 (amended marks), November
 * 2026 (new and amended marks) and December 2026 to 7 Dec 2026 (amended marks)."
 */
export function importReachWords(reach: ImportReach): string | null {
  const { amended, added } = reach;
  const amendedWords = amended.count === 0 || amended.earliest === null ? null : countedMarksWords(amended.count, amended.earliest, AMENDED_MARKS);
  const addedWords = added.count === 0 || added.earliest === null ? null : countedMarksWords(added.count, added.earliest, NEW_MARKS);
  if (amendedWords === null && addedWords === null) return null;
  // Which marks reach each pack is said only when both kinds do.
  const both = amendedWords !== null && addedWords !== null;
  const BY = { amended: "amended marks", new: "new marks", both: "new and amended marks" } as const;
  const named = (packs: ImportReach["slt"]) => packs.map((p) => (both ? `${p.label} (${BY[p.by]})` : p.label));
  const packs = [
    ...(reach.slt.length > 0 ? [`the SLT ${reach.slt.length === 1 ? "pack" : "packs"} for ${listWords(named(reach.slt))}`] : []),
    ...(reach.governors.length > 0 ? [`the governors' ${reach.governors.length === 1 ? "pack" : "packs"} for ${listWords(named(reach.governors))}`] : []),
  ];
  const marks = [amendedWords, addedWords].filter((w): w is string => w !== null).join(", and ");
  if (packs.length === 0) return `${marks}.`;
  return `${marks}: the figures of these packs may have changed since a copy was made — ${packs.join(", ")}.`;
}

/**
 * A count of marks with their earliest date: "2 marks amended, the earliest on Mon 5 Oct 2026",
 * "1 mark amended, on Mon 5 Oct 2026"; `what`: the words after the count, for one and for many.
 */
function countedMarksWords(count: number, earliest: string, what: readonly [string, string]): string {
  const day = ukDate(earliest, "EEE d MMM yyyy");
  return count === 1 ? `1 ${what[0]}, on ${day}` : `${count.toLocaleString("en-GB")} ${what[1]}, the earliest on ${day}`;
}

const AMENDED_MARKS = ["mark amended", "marks amended"] as const;
const NEW_MARKS = ["new mark dated in a period already ended", "new marks dated in a period already ended"] as const;

/**
 * The same for a preview (a dry run, rolled back: nothing was imported yet), or null:
 * "If imported: 2 marks amended, the earliest on Mon 5 Oct 2026: the figures of these packs may
 * have changed since a copy was made — …". A lead deciding whether to import sees which packs
 * given out it would change before importing (fresh-clone trial 50b: only the import's result
 * said so).
 */
export function importReachPreviewWords(reach: ImportReach): string | null {
  const words = importReachWords(reach);
  return words === null ? null : `If imported: ${words}`;
}
