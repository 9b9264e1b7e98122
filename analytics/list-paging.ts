/**
 * Paging and sorting of the long lists (Pupils, Casework, Register checks, Interventions): the closed sets
 * of sort columns, read from a URL's search parameters. Pure data and functions, safe in
 * browser code; the SQL for each sort column lives beside the query that sorts
 * (analytics/pupil-list.ts, analytics/casework/lists.ts), keyed by these names, so a name
 * from a URL is only ever looked up, never written into SQL.
 */

/** Rows per page of every paged list. */
export const PAGE_SIZE = 50;

export type SortDirection = "asc" | "desc";

/** A list's paging request: 1-based page, a sort column from the list's allow-list, a direction. */
export interface Paging<S extends string> {
  page: number;
  sort: S;
  dir: SortDirection;
  /**
   * Said beside the list when the URL's sort was not one the list has (a hand-edited or old
   * link): it is shown in its usual order instead (unsortableNote). Undefined otherwise.
   */
  notice?: string;
}

/**
 * The note for a `sort` the list does not have, or null for none or a known one: the list is
 * shown in its usual order, as a bad filter value falls back to the default (app/lib/filters.ts),
 * and says so rather than silently (the Audit page's "Ignored: …" does the same).
 */
export function unsortableNote(raw: string | null, columns: Readonly<Record<string, unknown>>): string | null {
  if (raw === null || raw === "" || Object.prototype.hasOwnProperty.call(columns, raw)) return null;
  return `Sorted in the list's usual order: "${raw.slice(0, 40)}" is not a column this list sorts by.`;
}

/**
 * A `dir` (with the prefix) the address gives that is neither "asc" nor "desc", as a value the
 * page could not read (pagingWords; Casework's "Not understood in the address" notice,
 * app/lib/filters.ts unreadWords): the list is in the sort's own direction instead. Null when
 * there is none or it reads.
 */
export function unreadDirection(search: URLSearchParams, prefix = ""): { name: string; value: string; expected: string } | null {
  const raw = search.get(`${prefix}dir`)?.trim() ?? "";
  if (raw === "" || raw === "asc" || raw === "desc") return null;
  return { name: `${prefix}dir`, value: raw.slice(0, 40), expected: "asc or desc" };
}

/**
 * The order a list was shown in, as a download's name gives it (analytics/download-names.ts):
 * `[["sort", column], ["dir", direction]]` as applied, or none for the list's usual order
 * (`usual` in its default direction, or no sort at all). Made from what was applied, never the
 * address's text: a sort the list does not have, or a direction it could not read, was not
 * used, so it does not name the file (a trial's `sort=attendance&dir=asc` named a file in name
 * order "…_sort-attendance_dir-asc.csv").
 */
export function appliedOrder<S extends string>(
  applied: { sort?: S; dir?: SortDirection },
  columns: Readonly<Record<S, { defaultDir: SortDirection }>>,
  usual?: S,
): Array<[string, string]> {
  if (applied.sort === undefined) return [];
  const dir = applied.dir ?? columns[applied.sort].defaultDir;
  if (usual !== undefined && applied.sort === usual && dir === columns[usual].defaultDir) return [];
  return [
    ["sort", applied.sort],
    ["dir", dir],
  ];
}

/** One page of a list and where it sits in the whole. */
export interface Page<T> {
  rows: T[];
  /** Rows in the whole (filtered) list. */
  total: number;
  /** The page shown, 1-based, clamped to the pages there are. */
  page: number;
  pages: number;
  pageSize: number;
}

/** The pages `total` rows make (at least 1, so "page 1 of 1" reads for an empty list). */
export function pageCount(total: number, pageSize: number = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/**
 * The rows a page shows, 1-based and inclusive, for "Showing 51–100 of 370": `{first: 0,
 * last: 0}` for an empty list (so no page reads "1–0 of 0"); `last` never passes `total`.
 */
export function pageSpan(paging: { page: number; pageSize: number; total: number }): { first: number; last: number } {
  if (paging.total <= 0) return { first: 0, last: 0 };
  return { first: (paging.page - 1) * paging.pageSize + 1, last: Math.min(paging.total, paging.page * paging.pageSize) };
}

/**
 * Reads `page`, `sort` and `dir` (with an optional prefix, e.g. a casework rule's
 * `persistent_absence.`) from search parameters: an unknown sort column falls back to the
 * list's default (with its default direction) and `notice` says so, a bad page to 1, a bad
 * direction to the column's default.
 */
export function readPaging<S extends string>(
  search: URLSearchParams,
  columns: Readonly<Record<S, { defaultDir: SortDirection }>>,
  fallback: S,
  prefix = "",
): Paging<S> {
  const raw = search.get(`${prefix}sort`) ?? "";
  const known = Object.prototype.hasOwnProperty.call(columns, raw);
  const sort = (known ? raw : fallback) as S;
  const rawDir = search.get(`${prefix}dir`);
  const dir: SortDirection = known && (rawDir === "asc" || rawDir === "desc") ? rawDir : columns[sort].defaultDir;
  const notice = unsortableNote(search.get(`${prefix}sort`), columns);
  return { sort, dir, page: pageNumber((search.get(`${prefix}page`) ?? "1").trim() || "1") ?? 1, ...(notice ? { notice } : {}) };
}

/**
 * A page number as an address gives it: a whole number from 1 to 1,000,000 written in digits,
 * else null ("1e3", "0x10" and " 2" are no page numbers: trial 25 saw `page=1e3` read as page
 * 1,000 where `page=2.5` was refused).
 */
export function pageNumber(raw: string): number | null {
  if (!/^[0-9]{1,7}$/.test(raw)) return null;
  const page = Number(raw);
  return page >= 1 && page <= 1_000_000 ? page : null;
}

/**
 * An address's parameters as the pages read them: each once, with its first value (a page reads
 * the first of a parameter given more than once and says so). Every link a page builds from its
 * own address starts from this, so a link never repeats a filter (trial 26: the Pupils and
 * Casework CSV links carried `year_group=4&year_group=5`, and the CSV used the first).
 */
export function firstOfEach(current: string | URLSearchParams): URLSearchParams {
  const search = new URLSearchParams();
  for (const [name, value] of new URLSearchParams(current)) if (!search.has(name)) search.append(name, value);
  return search;
}

/**
 * The search string for another page or sort of the same list, keeping every other
 * parameter (the filters, once each: firstOfEach). Sorting by a new column starts at its
 * default direction on page 1; sorting by the column already sorted turns the direction round.
 */
export function pagingSearch(
  current: string | URLSearchParams,
  change: { page?: number; sort?: string; defaultDir?: SortDirection },
  paging: { sort: string; dir: SortDirection },
  prefix = "",
): string {
  const search = firstOfEach(current);
  if (change.sort !== undefined) {
    const dir = change.sort === paging.sort ? (paging.dir === "asc" ? "desc" : "asc") : change.defaultDir ?? "asc";
    search.set(`${prefix}sort`, change.sort);
    search.set(`${prefix}dir`, dir);
    search.delete(`${prefix}page`);
  }
  if (change.page !== undefined) {
    if (change.page <= 1) search.delete(`${prefix}page`);
    else search.set(`${prefix}page`, String(change.page));
  }
  return search.toString();
}

/**
 * What a list says it did not do as the address asked with its paging, or null: a page that is
 * no page number ("-1", "two"), a page past the last (`?page=999` of 5 pages: the last is
 * shown), a direction that is neither asc nor desc. Each had been answered with the first or
 * last page, or the usual direction, without a word. `shown`: the page shown and the pages
 * the list has. Read with the same `prefix` as readPaging.
 */
export function pagingWords(search: URLSearchParams, shown: { page: number; pages: number }, prefix = ""): string | null {
  const words: string[] = [];
  const rawPage = search.get(`${prefix}page`)?.trim() ?? "";
  const page = pageNumber(rawPage);
  if (rawPage && page === null) {
    words.push(`page "${rawPage.slice(0, 40)}" is not a page number such as 2, so the first page is shown`);
  } else if (page !== null && page > shown.pages) {
    words.push(`there is no page ${page}: the list has ${shown.pages} page${shown.pages === 1 ? "" : "s"}, so page ${shown.page}, the last, is shown`);
  }
  const badDir = unreadDirection(search, prefix);
  if (badDir) words.push(`dir "${badDir.value}" is neither asc nor desc, so the column's usual direction is used`);
  if (words.length === 0) return null;
  const text = words.join("; ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/**
 * One page of a list already held in memory, in its order: the page asked for (1-based),
 * or the last page when it is past the end (page 1 of 1 for an empty list), with the whole
 * list's total. For lists computed whole in any case (Interventions: the by-type figures
 * need every row), so the page sends `pageSize` rows, not the list.
 *
 * @throws Error when `pageSize` is not a whole number from 1.
 */
export function pageOfRows<T>(rows: readonly T[], page: number, pageSize: number = PAGE_SIZE): Page<T> {
  if (!(Number.isInteger(pageSize) && pageSize >= 1)) throw new Error(`the page size must be a whole number from 1 (got ${pageSize})`);
  const pages = pageCount(rows.length, pageSize);
  const shown = Math.min(Math.max(1, Math.floor(page)), pages);
  return { rows: rows.slice((shown - 1) * pageSize, shown * pageSize), total: rows.length, page: shown, pages, pageSize };
}
