/**
 * Trial 28: the Trust page's year picker offered 2024/25 and 2025/26 (and showed them empty)
 * when no school in the lake had marks in them. Two hand-built schools export marks for the
 * week of Mon 9 – Fri 13 September 2024 only; today is Friday 4 December 2026 (2026/27). The page
 * offers 2024/25 alone and opens on it; a year with no marks, a year it cannot read, a URN the
 * lake does not hold and a year given twice are each said (the page's own data, loadTrust).
 * The data sent to a reader names no path of the server (trial 46: `lake`, the lake's
 * directory, went to every reader): only an administrator is told where an empty lake is.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllInstances, withConnection } from "../analytics/db.ts";
import { exportParquet, lakeMarkYears } from "../analytics/lake.ts";
import { setSetting } from "../analytics/settings.ts";
import { loadTrust } from "../app/lib/trust.server.ts";
import { ROLES, type Role } from "../analytics/users/roles.ts";
import { daysOf, seedRegister } from "./helpers/register.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-trust-years-"));
const lake = path.join(dir, "lake");
const WEEK = ["2024-09-09", "2024-09-10", "2024-09-11", "2024-09-12", "2024-09-13"];
const saved = { lake: process.env.ROLLCALL_TRUST_LAKE, today: process.env.ROLLCALL_TODAY, db: process.env.ROLLCALL_DB };

beforeAll(async () => {
  for (const [urn, name] of [["100001", "Alder Primary"], ["100002", "Birch Junior"]]) {
    await withConnection(path.join(dir, `${urn}.duckdb`), async (c) => {
      await seedRegister(c, {
        pupils: [{ upn: `P${urn}`, spells: [{ from: "2024-09-01", year_group: "3", reg_group: "3A" }] }],
        marks: daysOf(`P${urn}`, Object.fromEntries(WEEK.map((date) => [date, ["/", "\\"] as [string, string]]))),
      });
      await setSetting(c, "school_name", name);
      await exportParquet(c, { out: lake, school: urn });
    });
  }
  await closeAllInstances();
  Object.assign(process.env, { ROLLCALL_TRUST_LAKE: lake, ROLLCALL_TODAY: "2026-12-04", ROLLCALL_DB: path.join(dir, "100001.duckdb") });
});

afterAll(async () => {
  for (const [key, value] of [["ROLLCALL_TRUST_LAKE", saved.lake], ["ROLLCALL_TODAY", saved.today], ["ROLLCALL_DB", saved.db]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await closeAllInstances();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function trust(query: string, role: Role = "head") {
  const data = await loadTrust(new URLSearchParams(query), role);
  if (!data.configured) throw new Error("the lake is not configured");
  return data;
}

describe("the Trust page's years", () => {
  it("offers only the years some school has marks in, and opens on the latest of them", async () => {
    expect(lakeMarkYears(lake)).toEqual(["2024/25"]);
    const data = await trust("");
    expect(data.years).toEqual(["2024/25"]);
    expect(data.period.academicYear).toBe("2024/25");
    expect(data.schools.map((s) => [s.urn, s.attendance_pct])).toEqual([["100001", 100], ["100002", 100]]);
    expect(data.notice).toBeNull();
  });

  it("names a year with no marks, a year it cannot read, a URN the lake does not hold and a year given twice", async () => {
    expect((await trust("year=2025/26")).notice).toBe('Not understood in the address: year "2025/26" (expected one of 2024/25). Showing 2024/25.');
    expect((await trust("year=1999%2F00")).notice).toBe('Not understood in the address: year "1999/00" (expected one of 2024/25). Showing 2024/25.');
    const unknown = await trust("school=123456");
    expect(unknown.unknownSchool).toBe("123456");
    expect(unknown.opened).toBeNull();
    expect((await trust("year=2024/25&year=2025/26")).notice).toBe('Given more than once in the address: year 2 times ("2024/25", "2025/26"). Only the first of each is read.');
  });

  it("sends no path of the server to a reader: the lake's directory only to an administrator, and only while it is empty", async () => {
    // Every string in the page's data (what the loader sends, as JSON): none is an absolute path, for any staff role.
    const paths = (data: unknown) => JSON.stringify(data).match(/"\/[^"]*\/[^"]*"/g) ?? [];
    for (const role of ROLES.filter((r) => r !== "governor")) {
      const data = await trust("school=100001", role);
      expect(data.lake).toBeNull();
      expect(JSON.stringify(data)).not.toContain(dir);
      expect(paths(data)).toEqual([]);
    }
    // An empty lake: the administrator (who runs the CLI on the server) is told where to export; the head is not.
    const empty = path.join(dir, "empty-lake");
    fs.mkdirSync(empty);
    process.env.ROLLCALL_TRUST_LAKE = empty;
    try {
      expect((await trust("", "admin")).lake).toBe(empty);
      const head = await trust("", "head");
      expect(head.schools).toEqual([]);
      expect(head.lake).toBeNull();
      expect(paths(head)).toEqual([]);
    } finally {
      process.env.ROLLCALL_TRUST_LAKE = lake;
    }
  });
});
