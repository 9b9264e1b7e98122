import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { lookupCode } from "../analytics/codes.ts";
import { queryOne, queryRows, withConnection } from "../analytics/db.ts";
import { academicYearCalendar, dayNumber, easterSunday, isoOfDay, weekdayOf } from "../analytics/demo/calendar.ts";
import { buildDemo, generateDemoSchool, upnCheckLetter, type DemoFiles } from "../analytics/demo/index.ts";
import { interventionEffects } from "../analytics/interventions/effect.ts";
import { backtestForecast, backtestMarkdown } from "../analytics/forecast.ts";
import { BACKTEST_TODAY, BACKTEST_YEARS, readmeTable } from "../scripts/forecast-backtest.ts";
import { Random } from "../analytics/demo/random.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const TODAY = "2026-11-23";

interface PupilRow {
  upn: string;
  yearGroup: string;
  regGroup: string;
  admission: string;
  leaving: string;
  sen: string;
  fsm: string;
  eal: string;
  lac: string;
}
interface MarkRow {
  upn: string;
  date: string;
  session: string;
  code: string;
  minutesLate: string;
}

function lines(csv: string): string[][] {
  return csv
    .split("\n")
    .slice(1)
    .filter((l) => l !== "")
    .map((l) => l.split(","));
}

function pupilsOf(csv: string): PupilRow[] {
  expect(csv.split("\n")[0]).toBe("upn,forename,surname,dob,sex,year_group,reg_group,admission_date,leaving_date,sen,fsm,eal,lac,ethnicity");
  return lines(csv).map((f) => {
    expect(f).toHaveLength(14);
    return { upn: f[0], yearGroup: f[5], regGroup: f[6], admission: f[7], leaving: f[8], sen: f[9], fsm: f[10], eal: f[11], lac: f[12] };
  });
}

function marksOf(csv: string): MarkRow[] {
  expect(csv.split("\n")[0]).toBe("upn,date,session,code,minutes_late");
  return lines(csv).map((f) => ({ upn: f[0], date: f[1], session: f[2], code: f[3], minutesLate: f[4] }));
}

/** School days from the calendar file alone: weekdays inside half terms, minus closures. */
function schoolDaysFromCalendar(csv: string): Map<string, string[]> {
  expect(csv.split("\n")[0]).toBe("kind,name,start_date,end_date");
  const closed = new Set<string>();
  const terms: { name: string; start: string; end: string }[] = [];
  for (const [kind, name, start, end] of lines(csv)) {
    if (kind === "closure") for (let d = dayNumber(start); d <= dayNumber(end); d++) closed.add(isoOfDay(d));
    else if (kind === "half_term") terms.push({ name, start, end });
    else throw new Error(`unexpected kind ${kind}`);
  }
  const byYear = new Map<string, string[]>();
  for (const t of terms) {
    for (let d = dayNumber(t.start); d <= dayNumber(t.end); d++) {
      const iso = isoOfDay(d);
      if (weekdayOf(iso) >= 5 || closed.has(iso)) continue;
      const y = Number(iso.slice(0, 4)) - (Number(iso.slice(5, 7)) >= 8 ? 0 : 1);
      const key = `${y}/${String((y + 1) % 100).padStart(2, "0")}`;
      if (!byYear.has(key)) byYear.set(key, []);
      byYear.get(key)!.push(iso);
    }
  }
  return byYear;
}

interface Tally {
  possible: number;
  absent: number;
}

/** Possible sessions and absences per pupil from one marks file (DfE definitions). */
function tallyByPupil(marks: MarkRow[]): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const m of marks) {
    const def = lookupCode(m.code, m.date)!;
    if (def.category === "not_counted") continue;
    const t = out.get(m.upn) ?? { possible: 0, absent: 0 };
    t.possible++;
    if (def.category === "authorised" || def.category === "unauthorised") t.absent++;
    out.set(m.upn, t);
  }
  return out;
}

function sum(tallies: Iterable<Tally>): Tally {
  const total = { possible: 0, absent: 0 };
  for (const t of tallies) {
    total.possible += t.possible;
    total.absent += t.absent;
  }
  return total;
}

const demo: DemoFiles = generateDemoSchool({ today: TODAY });

describe("demo school generator", () => {
  it("is deterministic: same options, byte-identical files; another seed, another school", () => {
    const again = generateDemoSchool({ today: TODAY });
    expect(JSON.stringify(again)).toBe(JSON.stringify(demo));
    const explicit = generateDemoSchool({ today: TODAY, seed: 20240901 });
    expect(explicit.marksCsvByYear[1].csv).toBe(demo.marksCsvByYear[1].csv);
    const other = generateDemoSchool({ today: TODAY, seed: 7 });
    expect(other.marksCsvByYear[1].csv).not.toBe(demo.marksCsvByYear[1].csv);
    expect(other.calendarCsv).toBe(demo.calendarCsv);
  });

  // Its speed is a figure of `npm run bench`, not a timed assertion here (a shared machine is noisy).
  it("generates about 210,000 marks", () => {
    const marks = demo.marksCsvByYear.reduce((n, m) => n + marksOf(m.csv).length, 0);
    expect(marks).toBeGreaterThan(180_000);
  });

  it("covers the last two full academic years and the current one, with a snapshot per year", () => {
    expect(demo.marksCsvByYear.map((m) => m.academicYear)).toEqual(["2024/25", "2025/26", "2026/27"]);
    expect(demo.pupilSnapshots.map((s) => s.asOf)).toEqual(["2024-09-01", "2025-09-01", "2026-09-01"]);
    const lastMark = marksOf(demo.marksCsvByYear[2].csv).reduce((max, m) => (m.date > max ? m.date : max), "");
    expect(lastMark).toBe(TODAY);
  });

  it("has 188–192 school days a year, five INSET days, by rule for any year", () => {
    const byYear = schoolDaysFromCalendar(demo.calendarCsv);
    expect([...byYear.keys()]).toEqual(["2024/25", "2025/26", "2026/27"]);
    for (const days of byYear.values()) {
      expect(days.length).toBeGreaterThanOrEqual(188);
      expect(days.length).toBeLessThanOrEqual(192);
    }
    for (let y = 2015; y <= 2045; y++) {
      const cal = academicYearCalendar(y);
      expect(cal.schoolDays.length, cal.label).toBeGreaterThanOrEqual(188);
      expect(cal.schoolDays.length, cal.label).toBeLessThanOrEqual(192);
      expect(cal.closures.filter((c) => c.reason === "INSET day"), cal.label).toHaveLength(5);
      expect(cal.halfTerms.map((h) => h.name)).toEqual(["autumn-1", "autumn-2", "spring-1", "spring-2", "summer-1", "summer-2"]);
      const easter = dayNumber(easterSunday(y + 1));
      // Good Friday and Easter Monday fall in the holiday, not in a half term.
      for (const d of [easter - 2, easter + 1]) {
        expect(cal.halfTerms.some((h) => isoOfDay(d) >= h.start && isoOfDay(d) <= h.end)).toBe(false);
      }
    }
  });

  it("computes Easter and the 2024/25 term dates", () => {
    expect(easterSunday(2024)).toBe("2024-03-31");
    expect(easterSunday(2025)).toBe("2025-04-20");
    expect(easterSunday(2026)).toBe("2026-04-05");
    expect(easterSunday(2038)).toBe("2038-04-25");
    const cal = academicYearCalendar(2024);
    expect(cal.halfTerms[0]).toEqual({ name: "autumn-1", start: "2024-09-02", end: "2024-10-18" });
    expect(cal.schoolDays[0]).toBe("2024-09-04"); // the first Wednesday, after two INSET days
    expect(cal.halfTerms[1].end).toBe("2024-12-20");
    expect(cal.closures).toContainEqual({ reason: "Bank holiday", start: "2025-05-05", end: "2025-05-05" });
  });

  it("gives every pupil on roll exactly one mark per session per school day, and none otherwise", () => {
    const byYear = schoolDaysFromCalendar(demo.calendarCsv);
    const problems: string[] = [];
    demo.marksCsvByYear.forEach((file, i) => {
      const days = byYear.get(file.academicYear)!.filter((d) => d <= TODAY);
      const daySet = new Set(days);
      const pupils = new Map(pupilsOf(demo.pupilSnapshots[i].csv).map((p) => [p.upn, p]));
      const seen = new Set<string>();
      for (const m of marksOf(file.csv)) {
        const p = pupils.get(m.upn);
        const key = `${m.upn}|${m.date}|${m.session}`;
        if (!p) problems.push(`${key}: not in the pupils file`);
        else if (m.date < p.admission || (p.leaving !== "" && m.date > p.leaving)) problems.push(`${key}: not on roll`);
        if (!daySet.has(m.date)) problems.push(`${key}: not a school day up to today`);
        if (m.session !== "AM" && m.session !== "PM") problems.push(`${key}: bad session`);
        if (seen.has(key)) problems.push(`${key}: twice`);
        seen.add(key);
      }
      for (const p of pupils.values()) {
        for (const d of days) {
          if (d < p.admission || (p.leaving !== "" && d > p.leaving)) continue;
          if (!seen.has(`${p.upn}|${d}|AM`) || !seen.has(`${p.upn}|${d}|PM`)) problems.push(`${p.upn} ${d}: register gap`);
        }
      }
    });
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it("uses only codes valid on their date, and minutes late only on L and U", () => {
    for (const today of [TODAY, "2025-03-10"]) {
      const files = today === TODAY ? demo : generateDemoSchool({ today });
      const used = new Set<string>();
      const problems: string[] = [];
      for (const file of files.marksCsvByYear) {
        for (const m of marksOf(file.csv)) {
          const where = `${m.upn} ${m.date} ${m.session} ${m.code} ${m.minutesLate}`;
          if (!lookupCode(m.code, m.date)) problems.push(`${where}: code not valid on the date`);
          used.add(m.code);
          const minutes = Number(m.minutesLate);
          if (m.code === "L") {
            if (!(minutes >= 5 && minutes <= 25)) problems.push(`${where}: L minutes`);
          } else if (m.code === "U") {
            if (!(minutes > 25)) problems.push(`${where}: U minutes`);
          } else if (m.minutesLate !== "") problems.push(`${where}: minutes on a mark that is not late`);
          if ((m.session === "AM" && m.code === "\\") || (m.session === "PM" && m.code === "/")) problems.push(`${where}: present stroke`);
        }
      }
      expect(problems.slice(0, 10)).toEqual([]);
      for (const code of ["/", "\\", "L", "U", "I", "M", "O", "G", "V", "P"]) expect(used.has(code), code).toBe(true);
      if (today === "2025-03-10") {
        expect(used.has("H")).toBe(true); // agreed holiday before 19 August 2024
        expect(used.has("C2")).toBe(true); // the part-time timetable after it
      }
    }
  });

  it("has about 240 pupils on roll, two classes a year group in Years 3–6, and valid UPNs", () => {
    for (const [i, date] of [
      [0, "2025-01-15"],
      [1, "2025-11-20"],
      [2, TODAY],
    ] as const) {
      const pupils = pupilsOf(demo.pupilSnapshots[i].csv);
      const onRoll = pupils.filter((p) => p.admission <= date && (p.leaving === "" || p.leaving >= date));
      expect(onRoll.length).toBeGreaterThanOrEqual(225);
      expect(onRoll.length).toBeLessThanOrEqual(255);
      expect(new Set(onRoll.map((p) => p.yearGroup))).toEqual(new Set(["3", "4", "5", "6"]));
      expect(new Set(onRoll.map((p) => p.regGroup)).size).toBe(8);
      const share = (pred: (p: PupilRow) => boolean) => onRoll.filter(pred).length / onRoll.length;
      expect(share((p) => p.fsm === "Y")).toBeGreaterThan(0.12);
      expect(share((p) => p.fsm === "Y")).toBeLessThan(0.3);
      expect(share((p) => p.sen === "K")).toBeGreaterThan(0.07);
      expect(share((p) => p.sen === "E")).toBeGreaterThan(0);
      expect(share((p) => p.eal === "Y")).toBeLessThan(0.12);
      const lac = onRoll.filter((p) => p.lac === "Y").length;
      expect(lac).toBeGreaterThanOrEqual(1);
      expect(lac).toBeLessThanOrEqual(2);
      for (const p of pupils) {
        expect(p.upn).toMatch(/^[A-Z]\d{11}[0-9A-Z]$/);
        expect(upnCheckLetter(p.upn.slice(1))).toBe(p.upn[0]);
      }
    }
  });

  it("has joiners and leavers, a new Year 3 each September, and FSM changing between years", () => {
    const [first, second] = demo.pupilSnapshots.map((s) => pupilsOf(s.csv));
    const midYear = (p: PupilRow) => p.leaving !== "" && p.leaving < "2025-07-20";
    expect(first.filter(midYear).length).toBeGreaterThanOrEqual(1);
    expect(first.filter((p) => p.admission > "2024-09-01" && p.admission <= "2025-07-31").length).toBeGreaterThanOrEqual(1);
    expect(first.filter((p) => p.yearGroup === "6").every((p) => p.leaving !== "")).toBe(true);
    const secondUpns = new Map(second.map((p) => [p.upn, p]));
    expect(first.filter((p) => p.yearGroup === "6").some((p) => secondUpns.has(p.upn))).toBe(false);
    const moved = first.filter((p) => secondUpns.has(p.upn));
    for (const p of moved) expect(Number(secondUpns.get(p.upn)!.yearGroup)).toBe(Number(p.yearGroup) + 1);
    const fsmChanged = moved.filter((p) => secondUpns.get(p.upn)!.fsm !== p.fsm).length;
    expect(fsmChanged).toBeGreaterThanOrEqual(2);
    expect(fsmChanged).toBeLessThanOrEqual(20);
    expect(second.filter((p) => p.yearGroup === "3").every((p) => !first.some((q) => q.upn === p.upn))).toBe(true);
  });

  it("has overall attendance of 94–97 % and a gap between FSM and other pupils", () => {
    for (const [i, file] of demo.marksCsvByYear.entries()) {
      const tallies = tallyByPupil(marksOf(file.csv));
      const total = sum(tallies.values());
      const attendance = 100 * (1 - total.absent / total.possible);
      expect(attendance, file.academicYear).toBeGreaterThan(94);
      expect(attendance, file.academicYear).toBeLessThan(97);
      const fsm = new Set(pupilsOf(demo.pupilSnapshots[i].csv).filter((p) => p.fsm === "Y").map((p) => p.upn));
      const rate = (pred: (upn: string) => boolean) => {
        const t = sum([...tallies].filter(([upn]) => pred(upn)).map(([, t]) => t));
        return t.absent / t.possible;
      };
      expect(rate((u) => fsm.has(u)) / rate((u) => !fsm.has(u)), file.academicYear).toBeGreaterThan(1.4);
    }
  });

  it("has persistent and severe absentees in the last full year, the same pupils year to year", () => {
    const pa = (i: number) => {
      const tallies = tallyByPupil(marksOf(demo.marksCsvByYear[i].csv));
      return [...tallies].filter(([, t]) => t.absent / t.possible >= 0.1).map(([upn, t]) => ({ upn, share: t.absent / t.possible }));
    };
    const last = pa(1);
    expect(last.length).toBeGreaterThanOrEqual(3);
    expect(last.filter((p) => p.share >= 0.5).length).toBeGreaterThanOrEqual(1);
    // Persistent: a good share of last year's PA pupils still on roll were PA the year before.
    const before = new Set(pa(0).map((p) => p.upn));
    const onRollBefore = new Set(pupilsOf(demo.pupilSnapshots[0].csv).map((p) => p.upn));
    const continuing = last.filter((p) => onRollBefore.has(p.upn));
    expect(continuing.filter((p) => before.has(p.upn)).length / continuing.length).toBeGreaterThan(0.3);
  });

  it("leaves N codes only in the last 10 school days before today", () => {
    const days = [...schoolDaysFromCalendar(demo.calendarCsv).values()].flat().filter((d) => d <= TODAY);
    const recent = new Set(days.slice(-10));
    let n = 0;
    for (const file of demo.marksCsvByYear) {
      for (const m of marksOf(file.csv)) {
        if (m.code !== "N") continue;
        n++;
        expect(recent.has(m.date), m.date).toBe(true);
      }
    }
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(60);
  });

  it("works for a today in the summer holiday, before the current year has a school day", () => {
    const files = generateDemoSchool({ today: "2025-08-10" });
    expect(files.marksCsvByYear.map((m) => m.academicYear)).toEqual(["2023/24", "2024/25", "2025/26"]);
    expect(marksOf(files.marksCsvByYear[2].csv)).toHaveLength(0);
    expect(files.pupilSnapshots[2].asOf).toBe("2025-08-10");
    expect(() => generateDemoSchool({ today: "23/11/2026" })).toThrow(/ISO date/);
  });
});

describe("seeded random numbers", () => {
  it("repeats for a seed and forks independently of draws", () => {
    const a = new Random(1);
    const b = new Random(1);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(new Random(1).fork("x").next()).toBe(a.fork("x").next());
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
    const r = new Random(3);
    const ints = Array.from({ length: 1000 }, () => r.int(1, 6));
    expect(Math.min(...ints)).toBe(1);
    expect(Math.max(...ints)).toBe(6);
  });
});

describe("buildDemo", () => {
  it("imports the demo school into a fresh database in one go", async () => {
    const db = tempDbPath("demo");
    try {
      const result = await buildDemo(db, { today: TODAY });
      const expectedMarks = demo.marksCsvByYear.reduce((n, m) => n + marksOf(m.csv).length, 0);
      const expectedPupils = new Set(demo.pupilSnapshots.flatMap((s) => pupilsOf(s.csv).map((p) => p.upn))).size;
      expect(result.marks).toBe(expectedMarks);
      expect(result.pupils).toBe(expectedPupils);
      await withConnection(db, async (conn) => {
        const counts = await queryOne<{ marks: number; pupils: number; days: number; n: number }>(
          conn,
          `SELECT (SELECT count(*) FROM marks)::INTEGER AS marks, (SELECT count(*) FROM pupils)::INTEGER AS pupils,
                  (SELECT count(*) FROM school_days)::INTEGER AS days,
                  (SELECT count(*) FROM marks WHERE code = 'N')::INTEGER AS n`,
        );
        expect(counts!.marks).toBe(expectedMarks);
        expect(counts!.pupils).toBe(expectedPupils);
        expect(counts!.days).toBe([...schoolDaysFromCalendar(demo.calendarCsv).values()].flat().length);
        const settings = await queryRows<{ key: string; value: string }>(conn, "SELECT key, value FROM settings ORDER BY key");
        expect(settings).toEqual(
          expect.arrayContaining([
            { key: "school_name", value: "Ludlow Junior School (demo)" },
            { key: "target_attendance_pct", value: "96.1" },
            // The demo school is on its own (Ludlow's) policy, chosen: no "not yet chosen" on its pages.
            { key: "policy_preset", value: "ludlow" },
          ]),
        );
        const gaps = await queryOne<{ n: number }>(
          conn,
          `SELECT count(*)::INTEGER AS n FROM marks m LEFT JOIN school_days d ON d.date = m.date WHERE d.date IS NULL`,
        );
        expect(gaps!.n).toBe(0);
        // The attendance lead's interventions: several types, with effects that vary.
        const effects = await interventionEffects(conn, { from: "2025-08-01", to: TODAY, asOf: TODAY });
        expect(new Set(effects.map((e) => e.type)).size).toBeGreaterThanOrEqual(5);
        const changes = effects.filter((e) => e.measured).map((e) => e.change_points as number);
        expect(changes.filter((c) => c > 0).length).toBeGreaterThan(10);
        expect(changes.filter((c) => c < 0).length).toBeGreaterThan(10);
        // The README's forecast back-test is this computation's output, not typed figures.
        expect(TODAY).toBe(BACKTEST_TODAY);
        const backtest = (await Promise.all(BACKTEST_YEARS.map((y) => backtestForecast(conn, y)))).flat();
        expect(readmeTable(fs.readFileSync("README.md", "utf8"))).toBe(backtestMarkdown(backtest));
      });
      // Building again replaces the database rather than adding to it.
      const again = await buildDemo(db, { today: TODAY });
      expect(again.marks).toBe(expectedMarks);
    } finally {
      await removeDb(db);
    }
    // Building the demo replays the attendance lead's year through the ladder: give it time on a loaded machine.
  }, 600_000);
});
