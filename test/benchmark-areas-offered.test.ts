/**
 * Benchmarks offers only the areas whose figures the year's report can show (fresh-clone trial
 * 29: "Also compare with" listed 9 regions and some 150 local authorities beside England's rows
 * alone for 2026/27, every choice reading "No published figure for …"); the refusal of an area
 * it does not have suggests one with figures for the year, or none; England's own code
 * (E92000001) is the national figure, not "not understood". The page's and the report's loaders
 * on the demo school as of 4 Dec 2026 (shipped figures: areas for 2024/25 only).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { loader as benchmarks } from "../app/routes/benchmarks.tsx";
import { loader as report } from "../app/routes/benchmarks.report.$format.tsx";
import { demoSchool } from "./helpers/demo-school.ts";
import { loaderData } from "./helpers/loader.ts";

const { db, accounts } = demoSchool("benchmark-areas-offered", "2026-12-04");

interface Page {
  notice: string | null;
  area: string | null;
  areas: Array<{ level: string; code: string; name: string }>;
  report: { columns: unknown[] };
}
const page = (query: string) => loaderData<Page>(benchmarks, db, accounts().head.cookie, `/benchmarks?${query}`);

describe("the areas Benchmarks offers", () => {
  it("none for a year without area figures; every loaded area for 2024/25", async () => {
    expect((await page("year=2026/27")).areas).toEqual([]);
    expect((await page("year=2025/26")).areas).toEqual([]);
    const earlier = await page("year=2024/25");
    expect(earlier.areas.filter((a) => a.level === "regional")).toHaveLength(9);
    expect(earlier.areas.length).toBeGreaterThan(100);
  });

  it("an area it does not have: one with figures for the year suggested, or none", async () => {
    expect((await page("year=2026/27&area=XYZ")).notice).toBe(
      "Not understood in the address: area \"XYZ\" (expected nothing: no region's or local authority's figures are loaded for 2026/27 (import the DfE file with them)). Showing the report without it.",
    );
    const earlier = await page("year=2024/25&area=XYZ");
    expect(earlier.notice).toMatch(/^Not understood in the address: area "XYZ" \(expected a region or local-authority code with figures loaded for 2024\/25, such as (E\d{8})\)\./);
    const suggested = /such as (E\d{8})/.exec(earlier.notice ?? "")![1];
    expect(earlier.areas.map((a) => a.code)).toContain(suggested);
  });

  it("England's code is the national figure: no notice, no column beside it, and the report made", async () => {
    const england = await page("year=2024/25&area=E92000001");
    expect(england.notice).toBeNull();
    expect(england.area).toBeNull();
    expect(england.report.columns).toHaveLength(1);
    process.env.ROLLCALL_DB = db;
    const request = new Request("http://localhost/benchmarks/report/csv?area=E92000001", { headers: { cookie: accounts().head.cookie } });
    const made = await report({ request, params: { format: "csv" }, context: {} } as LoaderFunctionArgs);
    expect((made as Response).status).toBe(200);
  });

  it("an area with no figure for the year, chosen, stays chosen (its column says it has none)", async () => {
    const chosen = await page("year=2026/27&area=E12000004");
    expect(chosen.area).toBe("E12000004");
    expect(chosen.areas.map((a) => a.code)).toEqual(["E12000004"]);
  });
});
