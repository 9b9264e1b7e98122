/**
 * The Casework CSV carries the register notice the page and packs show (a fresh-clone trial:
 * the file said nothing of marks imported only to a date), and a refused download opened as a
 * page says why in a page with a link back. Register by hand: test/helpers/leave-register.ts
 * (marks to Fri 27 Mar 2026; school days again from Mon 13 Apr), today Fri 17 Apr: the school
 * days 13–16 Apr have no marks.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { loader as caseworkLoader } from "../app/routes/casework.tsx";
import { loader as caseworkCsvLoader } from "../app/routes/casework[.]csv.tsx";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { loaderData } from "./helpers/loader.ts";
import { restoreTodayAfterAll } from "./helpers/break-register.ts";
import { parseCsv } from "./helpers/csv.ts";
import { seedLeaveRegister } from "./helpers/leave-register.ts";

const db = tempDbPath("casework-register-notice");
let lead: TestAccount;
const NOTICE = /^Marks imported up to Fri 27 Mar 2026; the 4 school days since have none yet/;

beforeAll(async () => {
  await withConnection(db, seedLeaveRegister);
  lead = (await createTestAccounts(db)).attendance_lead;
  process.env.ROLLCALL_TODAY = "2026-04-17";
});
restoreTodayAfterAll();
afterAll(() => removeDb(db));

/** The text of the element with `testId` as a browser reads it: tags dropped, character references decoded. */
function textOf(html: string, testId: string): string {
  const inner = new RegExp(`data-testid="${testId}"[^>]*>([\\s\\S]*?)</`).exec(html)?.[1] ?? "";
  const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
  return inner
    .replace(/<[^>]+>/g, "")
    .replace(/&(?:#(\d+)|#x([0-9a-f]+)|(\w+));/gi, (all, dec: string, hex: string, name: string) =>
      dec ? String.fromCodePoint(Number(dec)) : hex ? String.fromCodePoint(parseInt(hex, 16)) : (named[name] ?? all),
    );
}

async function csvAnswer(url: string, headers: Record<string, string> = {}): Promise<Response> {
  process.env.ROLLCALL_DB = db;
  const request = new Request(`http://localhost${url}`, { headers: { cookie: lead.cookie, ...headers } });
  try {
    return (await caseworkCsvLoader({ request, params: {}, context: {} })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("the Casework CSV and the register", () => {
  it("every row's Register column says the marks stop, as the page does", async () => {
    const page = await loaderData<{ registerNotice: string | null }>(caseworkLoader as never, db, lead.cookie, "/casework");
    expect(page.registerNotice).toMatch(NOTICE);
    const file = await csvAnswer("/casework.csv");
    expect(file.status).toBe(200);
    const [header, ...rows] = parseCsv((await file.text()).replace(/^\uFEFF/, "")).filter((r) => r.length > 1);
    expect(header.at(-1)).toBe("Register");
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.at(-1)).toBe(page.registerNotice);
  });

  it("a complete register leaves it empty (as of Fri 27 Mar)", async () => {
    const file = await csvAnswer("/casework.csv?asOf=2026-03-27");
    const [, ...rows] = parseCsv((await file.text()).replace(/^\uFEFF/, "")).filter((r) => r.length > 1);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.at(-1) === "")).toBe(true);
  });

  it("a refused download opened as a page is a page that says why, with a link back; to a script, plain words", async () => {
    const asPage = await csvAnswer("/casework.csv?year_group=9", { "Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate" });
    expect(asPage.status).toBe(400);
    expect(asPage.headers.get("Content-Type")).toMatch(/^text\/html/);
    const html = await asPage.text();
    // The words as read (the page's escaping is its own), and the way back.
    expect(textOf(html, "refused-words")).toBe("Year group \"Year 9\": no pupil of the school has one (the school's: Year 3), so no file is made.");
    expect(textOf(html, "refused-back")).toBe("Back to Casework");
    expect(/<a href="([^"]*)" data-testid="refused-back">/.exec(html)?.[1]).toBe("/casework?year_group=9");
    const asScript = await csvAnswer("/casework.csv?year_group=9");
    expect(asScript.headers.get("Content-Type")).toMatch(/^text\/plain/);
    expect((await asScript.text()).trim()).toBe("Not downloaded: Year group \"Year 9\": no pupil of the school has one (the school's: Year 3), so no file is made.");
  });
});
