/**
 * A drill-down to a day or a week lists the pupils on roll then, and what the page says of it
 * is what it shows (fresh-clone trial 29): `drill=date:2026-12-25`, `date:2026-09-01` (an INSET
 * day) and `week:2026-10-26` (half term) said "…so no pupil is listed." above "Showing 1–50 of
 * 242 pupils", 1 Sep was called "not in" the period it is in, and `date:2026-10-13` counted 242
 * pupils, those not on roll that day among them with 0 sessions. The page's loader and its CSV
 * on the demo school as of 4 Dec 2026.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { loader as pupils } from "../app/routes/pupils._index.tsx";
import { loader as pupilsCsv } from "../app/routes/pupils[.]csv.tsx";
import { queryRows, withConnection } from "../analytics/db.ts";
import { demoSchool } from "./helpers/demo-school.ts";
import { loaderData } from "./helpers/loader.ts";

const TODAY = "2026-12-04";
const { db, accounts } = demoSchool("drill-day-roll", TODAY);

interface Listed {
  notice: string | null;
  rows: Array<{ upn: string; possible_sessions: number }>;
  paging: { total: number };
}
const page = (query: string) => loaderData<Listed>(pupils, db, accounts().head.cookie, `/pupils?${query}&period=ytd`);

/** The UPNs of the CSV for the same address (its header left out). */
async function csvUpns(query: string): Promise<string[]> {
  process.env.ROLLCALL_DB = db;
  const request = new Request(`http://localhost/pupils.csv?${query}&period=ytd`, { headers: { cookie: accounts().head.cookie } });
  const result = await pupilsCsv({ request, params: {}, context: {} } as LoaderFunctionArgs);
  expect(result.status).toBe(200);
  const lines = (await result.text()).split("\r\n").filter(Boolean);
  return lines.slice(1).map((line) => line.split(",")[0]);
}

/** The UPNs of pupils on roll on `day` (admitted by it, not left before it). */
const onRoll = (day: string) =>
  withConnection(db, async (c) =>
    (await queryRows<{ upn: string }>(c, "SELECT upn FROM pupils WHERE admission_date <= $d::DATE AND (leaving_date IS NULL OR leaving_date >= $d::DATE) ORDER BY upn", { d: day })).map((r) => r.upn),
  );

describe("a drill-down to a day or week with no school day", () => {
  it.each([
    ["drill=date:2026-12-25", 'Drill "date:2026-12-25": no school day of Friday 25 Dec 2026 is in 2026/27 to date (1 Aug 2026 to 4 Dec 2026), so no pupil is listed.'],
    ["drill=date:2026-09-01", 'Drill "date:2026-09-01": Tuesday 1 Sep 2026 is not a school day (INSET day), so no pupil is listed.'],
    ["drill=date:2026-10-31", 'Drill "date:2026-10-31": Saturday 31 Oct 2026 is not a school day (a weekend), so no pupil is listed.'],
    ["drill=week:2026-10-26", 'Drill "week:2026-10-26": week beginning 26 Oct 2026 has no school day (a school holiday), so no pupil is listed.'],
  ])("%s: says why and lists no pupil, on the page and in its CSV", async (query, notice) => {
    const data = await page(query);
    expect(data.notice).toBe(notice);
    expect([data.paging.total, data.rows.length]).toEqual([0, 0]);
    expect(await csvUpns(query)).toEqual([]);
  });
});

describe("a drill-down to a school day or week", () => {
  it("lists the pupils on roll that day, each with its sessions, on the page and in its CSV", async () => {
    const expected = await onRoll("2026-10-13");
    const data = await page("drill=date:2026-10-13");
    expect(data.notice).toBeNull();
    expect(data.paging.total).toBe(expected.length);
    expect(data.rows.every((row) => row.possible_sessions > 0)).toBe(true);
    expect((await csvUpns("drill=date:2026-10-13")).sort()).toEqual(expected);
    const whole = await page("x=1");
    expect(whole.paging.total).toBeGreaterThan(expected.length);
  });

  it("a week lists the pupils on roll some school day of it; a weekday drill keeps the period's roll", async () => {
    const [monday, friday] = [await onRoll("2026-10-12"), await onRoll("2026-10-16")];
    const week = await page("drill=week:2026-10-12");
    expect(week.paging.total).toBe(new Set([...monday, ...friday]).size);
    const whole = await page("x=1");
    expect((await page("drill=weekday:Friday")).paging.total).toBe(whole.paging.total);
  });
});
