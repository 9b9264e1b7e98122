/**
 * Words a new user reads (issue 13): the Casework ethnicity picker by the DfE's names (code on
 * hover), roles in words on the pupil pages' interventions, and a refusal of the import
 * history that says in plain words which roles may import.
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, fetchAs, openApp, saveScreenshot } from "../helpers/browser.ts";

afterAll(() => closeBrowser());

describe("words, not codes", () => {
  it("the Casework ethnicity filter offers the DfE's names, with the code on hover", async () => {
    const app = await openApp("/casework");
    try {
      const options = app.page.locator("[data-testid=filter-ethnicity] option");
      const texts = await options.allTextContents();
      expect(texts.length).toBeGreaterThan(2);
      for (const text of texts) expect(text, text).not.toMatch(/^[A-Z]{4}$/);
      expect(texts).toContain("White – British");
      await expect(app.page.locator('[data-testid=filter-ethnicity] option[value="WBRI"]').getAttribute("title")).resolves.toBe("Code WBRI");
    } finally {
      await app.close();
    }
  });

  it("the import history refused to a governor says which roles may import, in words", async () => {
    const response = await fetchAs("governor", "/imports");
    expect(response.status).toBe(403);
    const body = (await response.text()).replace(/<!-- -->/g, "");
    expect(body).toContain("Your role (Governor) may not see the import history");
    expect(body).toContain("Importing files is for the attendance lead, the headteacher and administrators.");
    expect(body).not.toMatch(/view_pupils|attendance_lead/);
  });

  it("no page a member of staff reads prints a role id", async () => {
    for (const path of ["/interventions", "/imports", "/audit", "/settings"]) {
      const app = await openApp(path);
      try {
        const text = await app.page.locator("main").innerText();
        // A stored role is printed beside a name: "Ann Lee (Attendance lead)", never the id.
        expect(text, path).not.toMatch(/attendance_lead|\((?:slt|head|admin|governor)\)/);
        if (path === "/interventions") await saveScreenshot(app.page, "interventions-role-words");
      } finally {
        await app.close();
      }
    }
  });
});
