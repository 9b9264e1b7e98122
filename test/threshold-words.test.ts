/**
 * A policy threshold or target is a setting the school typed: it is printed as typed, never
 * by appending ".0" to its text ("95.5.0%") and never rounded (95.25 → "95.3%"). One rule,
 * analytics/thresholds.ts formatThreshold, used by the Pupils filter, the SLT pack's bands,
 * the casework rules' words and every target line.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { setSetting } from "../analytics/settings.ts";
import { buildSltPack, renderPackHtml } from "../analytics/packs/index.ts";
import { bandRange } from "../analytics/packs/ladder.ts";
import { RULES, type RuleNumbers } from "../analytics/casework/rules.ts";
import { DEFAULT_POLICY_NUMBERS } from "../analytics/casework/policy.ts";
import { formatThreshold } from "../analytics/thresholds.ts";
import { attendanceFilterOptions, describeAttendanceFilter } from "../app/lib/pupil-filters.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { seedRegister, type TestMark } from "./helpers/register.ts";

const DAYS = ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06"];
// Pupil 1 attends 9 of 10 sessions (90 %), pupil 2 all 10: a list and a band to print.
const PUPILS = ["A100000000001", "A100000000002"];

describe("policy thresholds are printed as the school typed them", () => {
  it("formatThreshold: 96 → 96.0% (or 96% in words), 95.5 → 95.5%, 95.25 → 95.25%", () => {
    expect(formatThreshold(96)).toBe("96.0%");
    expect(formatThreshold(96, 0)).toBe("96%");
    expect(formatThreshold(95.5)).toBe("95.5%");
    expect(formatThreshold(95.5, 0)).toBe("95.5%");
    expect(formatThreshold(95.25)).toBe("95.25%");
    expect(formatThreshold(95.25, 0)).toBe("95.25%");
    expect(() => formatThreshold(Number.NaN)).toThrow(/finite/);
  });

  it("the Pupils filter and its summary line at 95.5 and 95.25", () => {
    for (const [t, typed] of [[95.5, "95.5%"], [95.25, "95.25%"]] as const) {
      const labels = attendanceFilterOptions([t, 90, 85, 50]).map((o) => o.label);
      expect(labels).toContain(`Attendance under ${typed} (${typed} exactly not included)`);
      expect(describeAttendanceFilter(`under-${t}`, [t, 90, 85, 50])).toBe(`attendance under ${typed} (${typed} exactly not included)`);
      for (const label of labels) expect(label).not.toMatch(/\d\.\d+\.\d|95\.3%/);
      // Each threshold printed one way in its label (before: "under 90% (90.0% exactly …)"
      // beside "under 95.5% (95.5% exactly …)").
      expect(labels).toContain("Attendance under 90% (90% exactly not included)");
      for (const label of labels) {
        const under = /^Attendance under ([\d.]+%) \(([\d.]+%) exactly not included\)$/.exec(label);
        if (under) expect(under[2], label).toBe(under[1]);
      }
    }
  });

  it("the register calendar's bands", async () => {
    const { attendanceBands } = await import("../app/components/CalendarHeatmap.tsx");
    expect(attendanceBands(96.25, [95.25, 90, 85, 50]).map((b) => b.label)).toEqual([
      "96.25% or more (at or above target)",
      "95.25% to under 96.25%",
      "90% to under 95.25%",
      "85% to under 90%",
      "50% to under 85%",
      "Under 50%",
    ]);
  });

  it("the ladder's bands and the casework rules' words", () => {
    expect(bandRange([95.25, 90, 85, 50], 0)).toBe("90% to under 95.25%");
    const letter = RULES.find((r) => r.id === "attendance_below_96");
    expect(letter?.describe({ ...DEFAULT_POLICY_NUMBERS, letter_threshold_pct: 95.25 } as RuleNumbers)).toContain("below 95.25% and");
  });

  describe("the SLT pack at a letter threshold of 95.5 and a target of 96.25", () => {
    let db: string;
    beforeAll(async () => {
      db = tempDbPath();
      await withConnection(db, async (c) => {
        const marks: TestMark[] = [];
        for (const upn of PUPILS) for (const date of DAYS) for (const s of ["AM", "PM"] as const) {
          marks.push([upn, date, s, upn === PUPILS[0] && date === DAYS[0] && s === "AM" ? "O" : s === "AM" ? "/" : "\\"]);
        }
        await seedRegister(c, {
          pupils: PUPILS.map((upn, i) => ({ upn, forename: `Pupil${i}`, surname: "Test", admission_date: "2025-09-01", spells: [{ from: "2025-09-01", year_group: "3", reg_group: "3A", fsm: "N", eal: "N", lac: "N" }] })),
          marks,
        });
        for (const date of DAYS) await c.run(`INSERT INTO school_days VALUES ($date::DATE, '2025/26', 'spring-2026', 'spring-2-2026')`, { date });
        await setSetting(c, "letter_threshold_pct", "95.5");
        await setSetting(c, "target_attendance_pct", "96.25");
      });
    });
    afterAll(() => removeDb(db));

    it("says 95.5% and 96.25%, never 95.5.0% or 96.3%", async () => {
      const html = renderPackHtml(await withConnection(db, (c) => buildSltPack(c, { month: "2026-03", today: "2026-11-23" })));
      const plain = html.replace(/<[^>]+>/g, " ").replace(/&nbsp;/g, " ");
      expect(plain).toContain("a pupil at exactly 95.5% is not listed");
      expect(plain).toContain("at 95.5%, 90%, 85%");
      expect(plain).toContain("96.25%");
      expect(plain).not.toMatch(/\d\.\d+\.\d+%/);
      expect(plain).not.toContain("96.3%");
    });
  });
});
