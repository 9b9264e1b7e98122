/**
 * One look at a trust lake's folders per request (analytics/lake-listing.ts): the page's
 * version, the years it offers and the roll-up's states read the same listing inside a
 * request's scope, each file statted once; outside one, and after the request, every look is
 * afresh. The folders are written by hand (the listing reads names, sizes and times only).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { lakeListing, lakeScoped, withLakeListings } from "../analytics/lake-listing.ts";
import { pageScope } from "../app/lib/page-version.server.ts";
import { lakeMarkYears, lakeSchoolStates, lakeSchools } from "../analytics/lake.ts";
import { ROLLUP_TABLES, trustLakeState } from "../analytics/trust.ts";

const made: string[] = [];

function write(lake: string, relative: string): void {
  const file = path.join(lake, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, "x");
}

/** A lake of `urns` with one file per school of each table the roll-up reads (the marks' in 2025-26). */
function lakeOf(urns: readonly string[]): string {
  const lake = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-listing-"));
  made.push(lake);
  for (const urn of urns) addSchool(lake, urn);
  return lake;
}

function addSchool(lake: string, urn: string): void {
  for (const table of ["settings", "pupils", "pupil_ids", "pupil_characteristics"]) write(lake, `${table}/school=${urn}/data_0.parquet`);
  for (const table of ["mark_weeks", "mark_days"]) write(lake, `${table}/school=${urn}/academic_year=2025-26/data_0.parquet`);
}

afterEach(() => {
  vi.restoreAllMocks();
  for (const lake of made.splice(0)) fs.rmSync(lake, { recursive: true, force: true });
});

describe("the lake's listing, once a request", () => {
  it("stats each file once however often the request asks, and each time outside a request", async () => {
    const lake = lakeOf(["100001", "100002"]);
    const stat = vi.spyOn(fs, "statSync");
    // The files' stats (the folders' are statted too: their entries are kept across requests).
    const statted = () => stat.mock.calls.filter(([file]) => String(file).endsWith(".parquet")).length;
    const files = 2 * ROLLUP_TABLES.length;
    await withLakeListings(async () => {
      // The page cache's version twice (on arrival and when the page is made), the years, the roll-up's states.
      trustLakeState(lake);
      trustLakeState(lake);
      expect(lakeMarkYears(lake)).toEqual(["2025/26"]);
      lakeSchoolStates(lake, ROLLUP_TABLES);
    });
    expect(statted()).toBe(files);
    stat.mockClear();
    trustLakeState(lake);
    trustLakeState(lake);
    expect(statted()).toBe(2 * files);
  });

  it("opens the request's listing for the Trust page only when this process reads a lake (no AsyncLocalStorage run on a school's own server)", async () => {
    const lake = lakeOf(["100001"]);
    // Inside a listing scope, two looks at the lake are one listing; outside one, each is its own.
    const scoped = async () => lakeListing(lake) === lakeListing(lake);
    vi.stubEnv("ROLLCALL_TRUST_LAKE", "");
    try {
      expect(await pageScope("/trust", scoped)).toBe(false);
      expect(await lakeScoped(scoped)).toBe(false); // the Trust page's loader (app/lib/trust.server.ts loadTrust)
      vi.stubEnv("ROLLCALL_TRUST_LAKE", lake);
      expect(await pageScope("/trust", scoped)).toBe(true);
      expect(await pageScope("/trust.data", scoped)).toBe(true);
      expect(await lakeScoped(scoped)).toBe(true);
      expect(await pageScope("/groups", scoped)).toBe(false);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("gives a request the lake as it first listed it, and the next request, or work outliving it, the lake as it is", async () => {
    const lake = lakeOf(["100001", "100002"]);
    const before = trustLakeState(lake);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let later: Promise<string[]> | undefined;
    await withLakeListings(async () => {
      expect(trustLakeState(lake)).toBe(before);
      // School 2 exports again and school 3 exports for the first time while the request runs.
      const settings = path.join(lake, "settings", "school=100002", "data_0.parquet");
      fs.utimesSync(settings, 1_000_000, 1_000_000);
      addSchool(lake, "100003");
      write(lake, "mark_days/school=100003/academic_year=2026-27/data_0.parquet");
      expect(trustLakeState(lake)).toBe(before);
      expect(lakeSchools(lake)).toEqual(["100001", "100002"]);
      expect(lakeMarkYears(lake)).toEqual(["2025/26"]);
      // A nested scope (the loader's, inside the page cache's) shares the request's listing.
      await withLakeListings(async () => expect(trustLakeState(lake)).toBe(before));
      later = released.then(() => lakeSchools(lake));
    });
    release();
    expect(await later).toEqual(["100001", "100002", "100003"]);
    const after = lakeSchoolStates(lake, ROLLUP_TABLES);
    expect(trustLakeState(lake)).not.toBe(before);
    expect([...after.keys()]).toEqual(["100001", "100002", "100003"]);
    expect(lakeMarkYears(lake)).toEqual(["2026/27", "2025/26"]);
  });

  it("keeps a folder's entries across requests while its time stays, and reads it again once a school exports", () => {
    const lake = lakeOf(["100001", "100002"]);
    const read = vi.spyOn(fs, "readdirSync");
    // Folders just written are read every time: an entry made in the same tick could leave their time as it was.
    const fresh = trustLakeState(lake);
    const readings = read.mock.calls.length;
    expect(trustLakeState(lake)).toBe(fresh);
    expect(read).toHaveBeenCalledTimes(2 * readings);
    // Settled folders (an hour old): looked into once, then only statted.
    const hourAgo = Date.now() / 1000 - 3600;
    const folders = fs.readdirSync(lake, { recursive: true, withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(e.parentPath, e.name));
    for (const folder of [lake, ...folders]) fs.utimesSync(folder, hourAgo, hourAgo);
    read.mockClear();
    const settled = trustLakeState(lake);
    expect(settled).toBe(fresh);
    expect(read).toHaveBeenCalledTimes(readings);
    read.mockClear();
    expect(trustLakeState(lake)).toBe(settled);
    expect(read).not.toHaveBeenCalled();
    // A file of school 2 given a new time (its folders as they were): its state moves on all the same.
    fs.utimesSync(path.join(lake, "mark_days", "school=100002", "academic_year=2025-26", "data_0.parquet"), hourAgo, hourAgo);
    const touched = lakeSchoolStates(lake, ROLLUP_TABLES);
    expect(touched.get("100002")).not.toBe(lakeSchoolStates(lakeOf(["100001", "100002"]), ROLLUP_TABLES).get("100002"));
    // School 3 exports, and school 1 again (its folder made anew, a year more): both seen.
    addSchool(lake, "100003");
    fs.rmSync(path.join(lake, "mark_days", "school=100001"), { recursive: true });
    write(lake, "mark_days/school=100001/academic_year=2026-27/data_0.parquet");
    expect([...lakeSchoolStates(lake, ROLLUP_TABLES).keys()]).toEqual(["100001", "100002", "100003"]);
    expect(lakeMarkYears(lake)).toEqual(["2026/27", "2025/26"]);
  });
});
