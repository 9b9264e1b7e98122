/**
 * Trial fault: the Casework page ignored what it could not read in its address, silently —
 * `?asOf=garbage` showed today's lists, `?rule=nonsense` every rule's, and
 * `?rule=persistent_absence&page=9` on a 28-pupil list (one page) its only page — where the
 * other pages say "Not understood in the address: …" (app/lib/filters.ts unreadWords). The
 * page's own loader on the demo school (today 23 Nov 2026), signed in as the head.
 */
import { describe, expect, it } from "vitest";
import { loader } from "../app/routes/casework.tsx";
import { demoSchool } from "./helpers/demo-school.ts";
import { loaderData } from "./helpers/loader.ts";

const TODAY = "2026-11-23";
const { db, accounts } = demoSchool("casework-address", TODAY);

interface Data {
  asOf: string;
  rule: string | null;
  notice: string | null;
  lists: Array<{ rule: string; count: number; page: number; pages: number; pupils: unknown[] }>;
}
const read = (url: string) => loaderData<Data>(loader, db, accounts().head.cookie, url);

describe("the Casework page says what in its address it did not understand", () => {
  it("a good address: no notice", async () => {
    expect((await read(`/casework?asOf=2026-11-20&rule=persistent_absence&page=1`)).notice).toBeNull();
    expect((await read(`/casework?asOf=&rule=&year_group=`)).notice).toBeNull();
  });

  it("an as-of date that is not a date: today's lists, and says so", async () => {
    const data = await read(`/casework?asOf=garbage`);
    expect(data.asOf).toBe(TODAY);
    expect(data.notice).toBe('Not understood in the address: asOf "garbage" (expected a date such as 2026-09-01). Showing the lists as of today, 23 Nov 2026.');
    // Shaped like a date but none (month 13): it threw a RangeError, a 500 page (second trial).
    const notADay = await read(`/casework?asOf=2025-13-45`);
    expect(notADay.asOf).toBe(TODAY);
    expect(notADay.notice).toContain('asOf "2025-13-45" (expected a date such as 2026-09-01)');
  });

  it("a rule it does not have: every rule's list, and says so (with the rules it has)", async () => {
    const data = await read(`/casework?rule=nonsense`);
    expect(data.rule).toBeNull();
    expect(data.lists.length).toBeGreaterThan(1);
    expect(data.notice).toMatch(/^Not understood in the address: rule "nonsense" \(expected one of attendance_below_96, .*, n_code_overdue\)\. Showing the lists for every rule\.$/);
  });

  it("a page past the last: the last page, and says so", async () => {
    const whole = await read(`/casework?rule=persistent_absence`);
    const [list] = whole.lists;
    expect(list.pages).toBe(1);
    const data = await read(`/casework?rule=persistent_absence&page=9`);
    expect(data.lists[0]).toMatchObject({ page: 1, pages: 1, count: list.count });
    expect(data.lists[0].pupils).toEqual(list.pupils);
    expect(data.notice).toBe(`There is no page 9 of this list: it has 1 page (${list.count} pupils). Showing page 1, the last.`);
  });

  it("a page written other than in digits (1e3, 2.5, 0x2) is no page number, said as 'two' is (trial 25: 1e3 was read as page 1,000)", async () => {
    for (const page of ["1e3", "2.5", "0x2"]) {
      const data = await read(`/casework?rule=persistent_absence&page=${page}`);
      expect(data.lists[0].page).toBe(1);
      expect(data.notice).toContain(`page "${page}" (expected a page number such as 2)`);
    }
    expect((await read(`/casework?rule=persistent_absence&page=1`)).notice).toBeNull();
  });

  it("a page that is not a page number, and a filter value it does not know", async () => {
    const data = await read(`/casework?rule=persistent_absence&page=two&sen=Q`);
    expect(data.lists[0].page).toBe(1);
    expect(data.notice).toMatch(/^Not understood in the address: page "two" \(expected a page number such as 2\); sen "Q" \(expected E for an EHC plan, K for SEN support or N for none\)\. Showing the lists from the first page, without that filter\.$/);
  });
});
