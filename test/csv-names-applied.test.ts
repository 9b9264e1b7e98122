/**
 * A download's file name is made from the view as applied, never from the address's text
 * (fresh-clone trial 24): `/pupils.csv?year_group=4&sort=attendance&dir=asc` came out in name
 * order named "…_sort-attendance_dir-asc.csv", and `sort=<x> ../..&dir=sideways` gave
 * "…_sort-x_dir-sideways.csv". A sort or direction the list did not use, or a parameter it does
 * not read, leaves the name as the list's usual order; the order used names it. A direction
 * that is no direction is said on the page, as bad filter values are. The routes' own loaders
 * on the demo school (today 23 Nov 2026).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { loader as pupilsCsv } from "../app/routes/pupils[.]csv.tsx";
import { loader as caseworkCsv } from "../app/routes/casework[.]csv.tsx";
import { loader as auditCsv } from "../app/routes/audit[.]csv.tsx";
import { loader as pupils } from "../app/routes/pupils._index.tsx";
import { loader as casework } from "../app/routes/casework.tsx";
import { demoSchool } from "./helpers/demo-school.ts";
import { loaderData } from "./helpers/loader.ts";
import { fileKey, queryRows, withConnection } from "../analytics/db.ts";
import { auditJournalApplied } from "../analytics/audit-journal.ts";
import { loader as packFile } from "../app/routes/packs.$kind.$format.tsx";
import { firstOfEach } from "../analytics/list-paging.ts";

const TODAY = "2026-11-23";
const { db, accounts } = demoSchool("csv-names-applied", TODAY);

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;

/** The file a CSV route sends for `url`: its name and its lines. */
async function download(loader: Loader, url: string): Promise<{ name: string; lines: string[] }> {
  process.env.ROLLCALL_DB = db;
  const request = new Request(`http://localhost${url}`, { headers: { cookie: accounts().head.cookie } });
  const result = await loader({ request, params: {}, context: {} });
  if (!(result instanceof Response) || result.status !== 200) throw new Error(`${url}: not a file`);
  const name = /filename="([^"]+)"/.exec(result.headers.get("content-disposition") ?? "")?.[1] ?? "";
  return { name, lines: (await result.text()).split("\r\n") };
}

describe("a CSV's name is the view as applied", () => {
  it("the Pupils list: a sort it does not have, a direction that is none, a parameter it does not read do not name the file", async () => {
    const plain = await download(pupilsCsv, "/pupils.csv?year_group=4");
    expect(plain.name).toMatch(/^pupils_\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}_year-group-4\.csv$/);
    for (const url of [
      "/pupils.csv?year_group=4&sort=attendance&dir=asc",
      `/pupils.csv?year_group=4&sort=${encodeURIComponent("x ../..")}&dir=sideways`,
      "/pupils.csv?year_group=4&sort=name&dir=asc",
      "/pupils.csv?year_group=4&foo=bar&page=3",
    ]) {
      const file = await download(pupilsCsv, url);
      // The same rows in the same (name) order as the plain list: so the same name.
      expect([url, file.name]).toEqual([url, plain.name]);
      expect(file.lines).toEqual(plain.lines);
    }
    // The order used names the file: a direction it could not read is the column's own (highest first).
    const byAttendance = await download(pupilsCsv, "/pupils.csv?year_group=4&sort=attendance_pct&dir=sideways");
    expect(byAttendance.name).toBe(plain.name.replace(/\.csv$/, "_sort-attendance-pct_dir-desc.csv"));
    expect(byAttendance.lines).not.toEqual(plain.lines);
    expect((await download(pupilsCsv, "/pupils.csv?year_group=4&sort=attendance_pct&dir=asc")).name).toBe(plain.name.replace(/\.csv$/, "_sort-attendance-pct_dir-asc.csv"));
  });

  it("Casework: a sort without a rule, or one it does not have, does not name the file; the rule and the sort used do", async () => {
    const base = `casework_${TODAY}`;
    expect((await download(caseworkCsv, "/casework.csv?sort=name&dir=asc&x=1")).name).toBe(`${base}.csv`);
    expect((await download(caseworkCsv, "/casework.csv?rule=attendance_below_90&sort=bogus&dir=sideways")).name).toBe(`${base}_rule-attendance-below-90.csv`);
    expect((await download(caseworkCsv, "/casework.csv?rule=attendance_below_90&year_group=4&sort=name")).name).toBe(`${base}_rule-attendance-below-90_year-group-4_sort-name_dir-asc.csv`);
  });

  it("Audit: only the filters the page reads name the file", async () => {
    expect((await download(auditCsv, "/audit.csv?foo=bar&page=1")).name).toBe("rollcall-audit.csv");
    expect((await download(auditCsv, "/audit.csv?action=export&foo=bar")).name).toBe("rollcall-audit_action-export.csv");
  });

  it("the Pupils and Casework pages say a direction they could not read (Casework had said nothing)", async () => {
    const page = await loaderData<{ notice: string | null }>(pupils, db, accounts().head.cookie, "/pupils?year_group=4&sort=attendance_pct&dir=sideways");
    expect(page.notice).toContain('Dir "sideways" is neither asc nor desc');
    const lists = await loaderData<{ notice: string | null }>(casework, db, accounts().head.cookie, "/casework?rule=attendance_below_90&sort=name&dir=sideways");
    expect(lists.notice).toContain('dir "sideways" (expected asc or desc)');
  });

  it("the Pupils list's own filters it cannot read (attendance, trend) refuse the CSV, as the school's values do: never every pupil beside a page that says the filter was not understood (trial 24b)", async () => {
    process.env.ROLLCALL_DB = db;
    for (const [url, words] of [
      ["/pupils.csv?attendance=below-90", 'Not downloaded: Not understood in the address: attendance "below-90" (expected one of pa, sa, '],
      ["/pupils.csv?year_group=4&trend=sideways", 'Not downloaded: Not understood in the address: trend "sideways" (expected down (falling only), or nothing), so no file is made.'],
    ] as const) {
      const request = new Request(`http://localhost${url}`, { headers: { cookie: accounts().head.cookie } });
      const result = (await pupilsCsv({ request, params: {}, context: {} })) as Response;
      expect([url, result.status]).toEqual([url, 400]);
      expect(await result.text()).toContain(words);
      // The page says no CSV for the same address.
      const page = await loaderData<{ csvRefusal: string | null }>(pupils, db, accounts().head.cookie, url.replace("/pupils.csv", "/pupils"));
      expect(page.csvRefusal).toMatch(/^No CSV for this address: Not understood in the address: /);
    }
    const good = await loaderData<{ csvRefusal: string | null }>(pupils, db, accounts().head.cookie, "/pupils?attendance=pa");
    expect(good.csvRefusal).toBeNull();
    expect((await download(pupilsCsv, "/pupils.csv?attendance=pa")).lines.length).toBeGreaterThan(2);
  });

  it("Casework's own values it cannot read (as-of date, rule) and a custom range the Pupils list cannot read refuse the CSV too (trial 25: /casework.csv?rule=nope sent all 141 entries)", async () => {
    process.env.ROLLCALL_DB = db;
    const refused = async (loader: Loader, url: string): Promise<string> => {
      const request = new Request(`http://localhost${url}`, { headers: { cookie: accounts().head.cookie } });
      const result = (await loader({ request, params: {}, context: {} })) as Response;
      expect([url, result.status]).toEqual([url, 400]);
      return result.text();
    };
    expect(await refused(caseworkCsv, "/casework.csv?rule=nope")).toContain('Not downloaded: Not understood in the address: rule "nope" (expected one of ');
    expect(await refused(caseworkCsv, "/casework.csv?asOf=garbage")).toContain('Not downloaded: Not understood in the address: asOf "garbage" (expected a date such as 2026-09-01), so no file is made.');
    expect(await refused(pupilsCsv, "/pupils.csv?period=custom&from=2027-01-01&to=2026-01-01")).toContain("Not downloaded: The range starts (2027-01-01) after it ends (2026-01-01), so no file is made.");
    expect(await refused(pupilsCsv, "/pupils.csv?period=custom&from=2026-09-01")).toContain("Not downloaded: A custom range needs from and to dates (YYYY-MM-DD), so no file is made.");
    // The pages offer no CSV for those addresses, and do for good ones.
    for (const url of ["/casework?rule=nope", "/casework?asOf=garbage"]) expect((await loaderData<{ csvRefusal: string | null }>(casework, db, accounts().head.cookie, url)).csvRefusal).toMatch(/^No CSV for this address: Not understood in the address: (rule|asOf) /);
    expect((await loaderData<{ csvRefusal: string | null }>(pupils, db, accounts().head.cookie, "/pupils?period=custom&from=2027-01-01&to=2026-01-01")).csvRefusal).toBe("No CSV for this address: The range starts (2027-01-01) after it ends (2026-01-01), so no file is made.");
    expect((await loaderData<{ csvRefusal: string | null }>(casework, db, accounts().head.cookie, "/casework?rule=attendance_below_90&dir=sideways&page=x")).csvRefusal).toBeNull();
    expect((await download(caseworkCsv, "/casework.csv?rule=attendance_below_90&asOf=2026-11-02")).lines.length).toBeGreaterThan(1);
    expect((await download(pupilsCsv, "/pupils.csv?period=custom&from=2026-09-01&to=2026-10-31")).lines.length).toBeGreaterThan(2);
  });

  it("a custom range holding none of the register's marked days refuses the Pupils CSV in words, where a file of the header alone was sent (trial 29) or, for a holiday inside the register's span, one of every pupil with no sessions (trial 32); a range reaching into the register still downloads", async () => {
    process.env.ROLLCALL_DB = db;
    const cases = [
      ["/pupils.csv?period=custom&from=2018-01-01&to=2018-03-30", "Not downloaded: The register has no marks from Mon 1 Jan 2018 to Fri 30 Mar 2018 (its marks run from "],
      ["/pupils.csv?period=custom&from=2027-01-04&to=2027-01-08", "Not downloaded: The register has no marks from Mon 4 Jan 2027 to Fri 8 Jan 2027 (its marks run from "],
      // Inside the register's span, but the summer holiday: no marked day (trial 32: a file of every pupil on roll with no sessions).
      ["/pupils.csv?period=custom&from=2025-08-01&to=2025-08-31", "Not downloaded: The register has no marks from Fri 1 Aug 2025 to Sun 31 Aug 2025 (its marks run from "],
    ] as const;
    for (const [url, words] of cases) {
      const request = new Request(`http://localhost${url}`, { headers: { cookie: accounts().head.cookie } });
      const result = (await pupilsCsv({ request, params: {}, context: {} })) as Response;
      expect([url, result.status]).toEqual([url, 400]);
      const said = (await result.text()).trimEnd();
      expect(said).toContain(words);
      expect(said).toMatch(/to Mon 23 Nov 2026\), so no file is made\.$/);
      // The page says the same reason beside its link, not one of its own ("a value in the address is not one the school has or not understood").
      expect((await loaderData<{ csvRefusal: string | null }>(pupils, db, accounts().head.cookie, url.replace("/pupils.csv", "/pupils"))).csvRefusal).toBe(`No CSV for this address: ${said.replace(/^Not downloaded: /, "")}`);
    }
    expect((await download(pupilsCsv, "/pupils.csv?period=custom&from=2018-01-01&to=2025-09-30")).lines.length).toBeGreaterThan(2);
  });

  it("a download refused for the reader's role is on the audit trail with the client's address (trial 25: the From column was empty)", async () => {
    process.env.ROLLCALL_DB = db;
    const asked: Array<[Loader, string, Record<string, string>]> = [
      [pupilsCsv, "/pupils.csv?year_group=4", {}],
      [caseworkCsv, "/casework.csv", {}],
      [auditCsv, "/audit.csv", {}],
      [packFile, "/packs/slt/pdf?month=2026-10", { kind: "slt", format: "pdf" }],
    ];
    for (const [loader, url, params] of asked) {
      const request = new Request(`http://localhost${url}`, { headers: { cookie: accounts().governor.cookie } });
      const answer = await loader({ request, params, context: { clientAddress: "203.0.113.9" } }).catch((thrown: unknown) => thrown);
      expect([url, (answer as Response).status]).toEqual([url, 403]);
    }
    // Read as any reader of the trail does: once the journal's rows are written in (the last
    // refusal's row may still be on its way from the journal to DuckDB).
    await auditJournalApplied(fileKey(db));
    const rows = await withConnection(db, (c) => queryRows(c, "SELECT target, ip FROM audit_log WHERE action = 'refused' ORDER BY id"));
    for (const [, url] of asked) expect(rows.find((row) => row.target === url), url).toEqual({ target: url, ip: "203.0.113.9" });
  });

  it("a filter given twice is refused by the Pupils and Casework CSVs, naming it, and the pages' CSV links give each filter once (trial 26: the links repeated year_group and the file used the first)", async () => {
    process.env.ROLLCALL_DB = db;
    for (const [loader, url] of [
      [pupilsCsv, "/pupils.csv?year_group=4&year_group=5"],
      [caseworkCsv, "/casework.csv?year_group=4&year_group=5"],
    ] as const) {
      const request = new Request(`http://localhost${url}`, { headers: { cookie: accounts().head.cookie } });
      const result = (await loader({ request, params: {}, context: {} })) as Response;
      expect([url, result.status]).toEqual([url, 400]);
      expect(await result.text()).toContain('Not downloaded: Given more than once in the address: year_group 2 times ("4", "5"), so no file is made.');
    }
    // The pages read the first and say so; their links (firstOfEach) carry it once, so the file is offered.
    expect(firstOfEach("year_group=4&year_group=5&sort=name&year_group=6").toString()).toBe("year_group=4&sort=name");
    const page = await loaderData<{ csvRefusal: string | null; notice: string | null }>(pupils, db, accounts().head.cookie, "/pupils?year_group=4&year_group=5");
    expect(page.notice).toContain("year_group 2 times");
    expect(page.csvRefusal).toBeNull();
    const lists = await loaderData<{ csvRefusal: string | null }>(casework, db, accounts().head.cookie, "/casework?year_group=4&year_group=5");
    expect(lists.csvRefusal).toBeNull();
    expect((await download(pupilsCsv, "/pupils.csv?year_group=4")).lines.length).toBeGreaterThan(2);
  });
});
