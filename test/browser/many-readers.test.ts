/**
 * Many readers at once (issue 11, item 4): pages asked for together all answer 200 with a
 * whole document. Remix's 5 s render limit, counted in wall time, cut pages off mid-render
 * while the server was busy with the others, and they answered 500 with half a page.
 */
import { describe, expect, it } from "vitest";
import { fetchAs } from "../helpers/browser.ts";

const PAGES = ["/pupils", "/", "/groups", "/early-warning", "/interventions", "/casework", "/trends", "/classes"];

describe("many readers at once", () => {
  it("answers 60 page requests sent together, every one 200 with the whole page", async () => {
    const answers = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const path = PAGES[i % PAGES.length];
        const response = await fetchAs("head", path);
        const html = await response.text();
        return { path, status: response.status, whole: html.includes("</html>") };
      }),
    );
    expect(answers.filter((a) => a.status !== 200 || !a.whole)).toEqual([]);
  });
});
