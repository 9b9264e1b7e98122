/**
 * Paging a list held in memory (analytics/list-paging.ts, `pageOfRows`): the page asked for,
 * the last page past the end, the whole list's total; figures worked by hand.
 */
import { describe, expect, it } from "vitest";
import { pageOfRows, pageSpan, pagingSearch, readPaging, unsortableNote } from "../analytics/list-paging.ts";
import { EFFECT_SORT_COLUMNS } from "../analytics/interventions/effect-columns.ts";

describe("pageOfRows", () => {
  const rows = [1, 2, 3, 4, 5];

  it("gives the page asked for with the whole list's total", () => {
    expect(pageOfRows(rows, 1, 2)).toEqual({ rows: [1, 2], total: 5, page: 1, pages: 3, pageSize: 2 });
    expect(pageOfRows(rows, 3, 2)).toEqual({ rows: [5], total: 5, page: 3, pages: 3, pageSize: 2 });
  });

  it("shows the last page past the end, the first below 1, and page 1 of 1 for an empty list", () => {
    expect(pageOfRows(rows, 7, 2)).toEqual({ rows: [5], total: 5, page: 3, pages: 3, pageSize: 2 });
    expect(pageOfRows(rows, 0, 2).page).toBe(1);
    expect(pageOfRows([], 4, 2)).toEqual({ rows: [], total: 0, page: 1, pages: 1, pageSize: 2 });
    // The default page size, 50: 120 rows make 3 pages, the last of 20.
    const long = Array.from({ length: 120 }, (_, i) => i);
    expect(pageOfRows(long, 3).rows).toEqual(long.slice(100));
  });

  it("refuses a page size below 1", () => {
    expect(() => pageOfRows(rows, 1, 0)).toThrow(/page size/);
    expect(() => pageOfRows(rows, 1, 1.5)).toThrow(/page size/);
  });
});

describe("the Interventions list's paging in the URL", () => {
  it("reads its sort columns and keeps the type and period on another page", () => {
    const search = new URLSearchParams("period=ytd&type=phone_call&sort=change_points&dir=desc&page=2");
    const paging = readPaging(search, EFFECT_SORT_COLUMNS, "date");
    expect(paging).toEqual({ sort: "change_points", dir: "desc", page: 2 });
    expect(pagingSearch(search, { page: 3 }, paging)).toBe("period=ytd&type=phone_call&sort=change_points&dir=desc&page=3");
    // An unknown column: newest first, and said.
    expect(readPaging(new URLSearchParams("sort=surname"), EFFECT_SORT_COLUMNS, "date")).toEqual({ sort: "date", dir: "desc", page: 1, notice: 'Sorted in the list\'s usual order: "surname" is not a column this list sorts by.' });
  });
});

describe("pageSpan: the rows a page shows", () => {
  it("gives 1–50, 51–100 and a short last page, and 0–0 for an empty list", () => {
    expect(pageSpan({ page: 1, pageSize: 50, total: 370 })).toEqual({ first: 1, last: 50 });
    expect(pageSpan({ page: 2, pageSize: 50, total: 370 })).toEqual({ first: 51, last: 100 });
    expect(pageSpan({ page: 8, pageSize: 50, total: 370 })).toEqual({ first: 351, last: 370 });
    expect(pageSpan({ page: 1, pageSize: 50, total: 50 })).toEqual({ first: 1, last: 50 });
    expect(pageSpan({ page: 1, pageSize: 50, total: 0 })).toEqual({ first: 0, last: 0 });
  });
});

describe("an unknown sort", () => {
  it("falls back to the list's default and says so; a known one, or none, says nothing", () => {
    const columns = { name: { defaultDir: "asc" as const }, value: { defaultDir: "desc" as const } };
    const unknown = readPaging(new URLSearchParams("sort=colour&dir=asc"), columns, "value");
    expect([unknown.sort, unknown.dir]).toEqual(["value", "desc"]);
    expect(unknown.notice).toBe('Sorted in the list\'s usual order: "colour" is not a column this list sorts by.');
    expect(readPaging(new URLSearchParams("sort=name"), columns, "value").notice).toBeUndefined();
    expect(readPaging(new URLSearchParams(""), columns, "value").notice).toBeUndefined();
    expect(unsortableNote("toString", columns)).not.toBeNull();
  });
});
