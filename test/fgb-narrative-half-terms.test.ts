/**
 * Trial fault (demo, today 2 Dec 2026): the governors' pack for autumn 2026 (3 Sep – 23 Oct)
 * said "attendance rose 0.1 points (95.9% to 96.0%)", Autumn 1 against the whole summer term,
 * while the governors' Overview compared Summer 2 with Autumn 1, "96.1% → 96.0%, −0.1 pts,
 * worse"; and "EHC plan rose 2.8 points" across a September without saying the pupils differ.
 * Now the pack's narrative compares the Overview's half terms (lastTwoEndedHalfTerms) and says,
 * in the Overview's words, that the pupils differ. The pack model and the Overview's loader.
 */
import { describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { buildFgbPack } from "../analytics/packs/fgb.ts";
import type { PackModel } from "../analytics/packs/model.ts";
import { loader as overview } from "../app/routes/_index.tsx";
import { demoSchool } from "./helpers/demo-school.ts";
import { loaderData } from "./helpers/loader.ts";

const TODAY = "2026-12-02";
const { db, accounts } = demoSchool("fgb-narrative-half-terms", TODAY);

interface Change {
  label: string;
  attendance_pct: number | null;
}

/** The "From the data" sentences under a heading of the pack. */
const fromTheData = (model: PackModel, id: string): string[] =>
  model.sections.find((s) => s.id === id)!.blocks.flatMap((b) => (b.kind === "paragraphs" ? b.items : []));

describe("the governors' pack compares the half terms the governors' Overview compares", () => {
  it("Summer 2 → Autumn 1 for the school, with the Overview's figures, and the pupils said to differ", async () => {
    const page = await loaderData<{ changes: { halfTerms: { latest: Change; previous: Change } } }>(overview, db, accounts().governor.cookie, "/");
    const { latest, previous } = page.changes.halfTerms;
    expect([previous.label, latest.label]).toEqual(["Summer 2 2026", "Autumn 1 2026"]);
    const model = await withConnection(db, (c) => buildFgbPack(c, { term: "autumn-2026", today: TODAY }));
    const said = [...fromTheData(model, "successes"), ...fromTheData(model, "barriers")];
    const school = said.filter((s) => /^Attendance (rose|fell) .* from /.test(s));
    expect(school).toHaveLength(1);
    const pct = (v: number | null) => `${v!.toFixed(1)}%`;
    expect(school[0]).toContain(`from Summer 2 2026 to Autumn 1 2026 (${pct(previous.attendance_pct)} to ${pct(latest.attendance_pct)})`);
    expect(school[0]).toContain("are in different academic years, so the pupils differ");
    // Nothing compared with a whole term any more.
    expect(said.join(" ")).not.toMatch(/since the summer term|Compared with the summer term/);
    // A group's comparison across September says its pupils differ.
    for (const group of said.filter((s) => /^Attendance of .* from Summer 2 2026 to Autumn 1 2026/.test(s))) {
      expect(group).toContain("so the pupils differ: this compares the group, not the same children");
    }
  });
});

describe("the governors' pack's weekly figures, every week withheld (demo, autumn 2026 to Autumn 1)", () => {
  it("one sentence in place of the chart and the table, headed with the weeks' own span", async () => {
    const model = await withConnection(db, (c) => buildFgbPack(c, { term: "autumn-2026", today: TODAY }));
    const blocks = model.sections.find((s) => s.id === "trends")!.blocks;
    // Before: a "withheld" sentence, then a table of 8 rows of "withheld", headed "August 2026 to October 2026".
    const weekly = blocks.filter((b) => b.kind === "table" && b.table.caption.startsWith("Week by week"));
    expect(weekly).toHaveLength(0);
    const said = blocks.find((b) => b.kind === "paragraphs");
    expect(said?.kind === "paragraphs" ? said.heading : null).toBe("Weekly attendance, 3 Sep 2026 to 23 Oct 2026");
    expect(said?.kind === "paragraphs" ? said.items.join(" ") : "").toMatch(/withheld/);
    // The term-by-term chart stays.
    expect(blocks.some((b) => b.kind === "chart" && b.chart.title === "Attendance term by term")).toBe(true);
  });
});
