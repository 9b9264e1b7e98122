/**
 * Which rows a year group's Groups page has must not say where a small group's pupils are. A
 * trial read the demo's two looked-after children's year groups (4 and 5) off the governors'
 * Groups page: "Looked after: withheld" under Years 4 and 5, no row at all under Years 3 and 6
 * (and Gypsy/Roma only under Year 3, the school's one such pupil). Every year group now lists
 * every group the school has, a group with no pupils there withheld as a small one is.
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, openApp, saveScreenshot } from "../helpers/browser.ts";

afterAll(closeBrowser);

const SECTIONS = ["sen", "fsm", "eal", "lac", "sex", "ethnicity"];
const PERIOD = "period=ytd&half=autumn-1-2026";

/** Each section's row keys (data-group), and the rows that read withheld, on a governor's Groups page. */
async function rowsOf(path: string) {
  const app = await openApp(path, { as: "governor" });
  try {
    const rows: Record<string, string[]> = {};
    const withheld: Record<string, string[]> = {};
    for (const section of SECTIONS) {
      const table = app.page.getByTestId(`groups-${section}`);
      rows[section] = await table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-group") ?? ""));
      withheld[section] = await table.locator("tbody tr:has([data-testid=withheld])").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-group") ?? ""));
    }
    return { rows, withheld, app };
  } catch (error) {
    await app.close();
    throw error;
  }
}

describe("a governor's Groups page under a year group", () => {
  it("lists the same groups in every year group, so a row's presence says nothing of where its pupils are", async () => {
    const school = await rowsOf(`/groups?${PERIOD}`);
    await school.app.close();
    const leavers = (group: string) => group.startsWith("left-before");
    for (const year of ["3", "4", "5", "6"]) {
      const { rows, withheld, app } = await rowsOf(`/groups?${PERIOD}&year_group=${year}`);
      try {
        for (const section of SECTIONS) {
          expect(rows[section].filter((g) => !leavers(g)), `Year ${year} ${section}`).toEqual(school.rows[section].filter((g) => !leavers(g)));
        }
        // Looked-after children (two in the school): both rows withheld in every year group alike —
        // "Not looked after: 61 of 61" under Year 3 beside its row withheld under Year 4 had said
        // where they are too.
        expect(withheld.lac, `Year ${year}`).toEqual(["Y", "N"]);
        if (year === "3") await saveScreenshot(app.page, "governor-groups-year-3");
      } finally {
        await app.close();
      }
    }
  });
});
