/**
 * Register gaps (analytics/quality.ts, `registerGaps`) check each pupil whole from the store's
 * day aggregate before expanding only the pupils with a gap to their sessions. On a
 * hand-built register with every case that could fool a count — marks on a weekend and on a
 * closure day (which must not make up for a missing school-day session), a day with one
 * session marked, marks before admission and after leaving, a pupil with no marks at all,
 * pupils admitted and leaving inside the period and outside it — the gaps equal the
 * mark-level definition (every school-day session of a pupil on roll, matched against the
 * marks one by one) for several periods, and the figures worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { importCalendar } from "../analytics/import/index.ts";
import { registerGaps } from "../analytics/quality.ts";
import { DEFAULT_REGISTER_CLOSES, lastDueSession, momentOf } from "../analytics/register-due.ts";
import { daysOf, seedRegister, type TestMark } from "./helpers/register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("quality-gaps");
const by = { name: "Test", role: "Test" };

// School days: Mon 2 – Fri 20 March 2026 less the closure on Wednesday 11 March (14 days).
/** Every session of the period due (the period over before now). */
const AFTER_ALL = { date: "2026-03-20", pm: true };
const SCHOOL_DAYS = ["02", "03", "04", "05", "06", "09", "10", "12", "13", "16", "17", "18", "19", "20"].map((d) => `2026-03-${d}`);
const full = (upn: string, dates: string[]): TestMark[] => dates.flatMap((date) => daysOf(upn, { [date]: ["/", "\\"] }));

beforeAll(async () => {
  await withConnection(db, async (c) => {
    await importCalendar(c, {
      file: "calendar.csv",
      text: "kind,name,start_date,end_date\nhalf_term,spring-2,2026-03-02,2026-03-20\nclosure,Heating failure,2026-03-11,2026-03-11\n",
      by,
    });
    await seedRegister(c, {
      pupils: [
        { upn: "FULL", surname: "Full" },
        // Missing Tuesday 10 PM, but marked on Saturday 7 and on the closure day: as many marks as school-day sessions in that week.
        { upn: "MASK", surname: "Mask" },
        // Admitted Thursday 12: marks before admission do not count; Friday 13 has AM only.
        { upn: "LATE", surname: "Late", admission_date: "2026-03-12" },
        // Left Tuesday 17: marked to Tuesday, nothing after; one gap on Monday 16 AM.
        { upn: "LEFT", surname: "Left", leaving_date: "2026-03-17" },
        // On roll, no marks at all.
        { upn: "NONE", surname: "None" },
        // Left before the period; admitted after it: never on roll in it.
        { upn: "GONE", surname: "Gone", leaving_date: "2026-02-27" },
        { upn: "NEXT", surname: "Next", admission_date: "2026-04-13" },
      ],
      marks: [
        ...full("FULL", SCHOOL_DAYS),
        ...full("MASK", SCHOOL_DAYS.filter((d) => d !== "2026-03-10")),
        ...daysOf("MASK", { "2026-03-10": ["/", null], "2026-03-07": ["/", null], "2026-03-11": ["#", "#"] }),
        ...full("LATE", ["2026-03-09", "2026-03-10", "2026-03-12", "2026-03-16", "2026-03-17", "2026-03-18", "2026-03-19", "2026-03-20"]),
        ...daysOf("LATE", { "2026-03-13": ["/", null] }),
        ...full("LEFT", SCHOOL_DAYS.filter((d) => d <= "2026-03-17" && d !== "2026-03-16")),
        ...daysOf("LEFT", { "2026-03-16": [null, "\\"] }),
        ...full("GONE", ["2026-03-02"]),
      ],
    });
  });
});
afterAll(() => removeDb(db));

/** The mark-level definition: every school-day session of every pupil on roll that day, less those with a mark. */
async function gapsByDefinition(c: Connection, period: { from: string; to: string }) {
  return queryRows(
    c,
    `WITH expected AS (
       SELECT sd.date, p.upn, s.session
       FROM school_days sd
       JOIN pupils p ON p.admission_date <= sd.date AND (p.leaving_date IS NULL OR p.leaving_date >= sd.date)
       CROSS JOIN (VALUES ('AM'), ('PM')) s(session)
       WHERE sd.date BETWEEN $from::DATE AND $to::DATE)
     SELECT strftime(e.date, '%Y-%m-%d') AS date, e.session, e.upn
     FROM expected e ANTI JOIN marks m ON m.upn = e.upn AND m.date = e.date AND m.session::VARCHAR = e.session
     ORDER BY date, session, upn`,
    period,
  );
}

describe("register gaps from the day aggregate", () => {
  it("finds the gaps worked out by hand, none masked by marks on other days", async () => {
    const gaps = await withConnection(db, (c) => registerGaps(c, { from: "2026-03-02", to: "2026-03-20" }, AFTER_ALL));
    const byPupil = (upn: string) => gaps.filter((g) => g.upn === upn).map((g) => `${g.date} ${g.session}`);
    expect(byPupil("FULL")).toEqual([]);
    expect(byPupil("MASK")).toEqual(["2026-03-10 PM"]);
    expect(byPupil("LATE")).toEqual(["2026-03-13 PM"]);
    expect(byPupil("LEFT")).toEqual(["2026-03-16 AM"]);
    expect(byPupil("NONE")).toHaveLength(2 * SCHOOL_DAYS.length);
    expect(byPupil("GONE")).toEqual([]);
    expect(byPupil("NEXT")).toEqual([]);
    expect(gaps).toHaveLength(3 + 2 * SCHOOL_DAYS.length);
    expect(gaps.find((g) => g.upn === "MASK")).toMatchObject({ surname: "Mask", reg_group: "3A" });
  });

  it("equals the mark-level definition for periods starting and ending inside weeks and on-roll spans", async () => {
    const periods = [
      { from: "2026-03-02", to: "2026-03-20" },
      { from: "2026-03-04", to: "2026-03-12" },
      { from: "2026-03-10", to: "2026-03-10" },
      { from: "2026-03-13", to: "2026-03-16" },
      { from: "2026-03-17", to: "2026-03-31" },
      { from: "2026-03-21", to: "2026-03-31" },
    ];
    await withConnection(db, async (c) => {
      for (const period of periods) {
        const gaps = (await registerGaps(c, period, { date: period.to, pm: true })).map((g) => ({ date: g.date, session: g.session, upn: g.upn }));
        gaps.sort((a, b) => `${a.date}${a.session}${a.upn}`.localeCompare(`${b.date}${b.session}${b.upn}`));
        expect(gaps, `${period.from} to ${period.to}`).toEqual(await gapsByDefinition(c, period));
      }
    });
  });
});

describe("a session is a gap only once its register has closed", () => {
  it("reads the moment's last due session by the policies' register times", () => {
    // 00:00 on Fri 13 Mar: nothing of the day is due, so the day before's PM is the last.
    expect(lastDueSession(momentOf("2026-03-13"), DEFAULT_REGISTER_CLOSES)).toEqual({ date: "2026-03-12", pm: true });
    expect(lastDueSession(momentOf("2026-03-13T09:29"), DEFAULT_REGISTER_CLOSES)).toEqual({ date: "2026-03-12", pm: true });
    expect(lastDueSession(momentOf("2026-03-13T09:30"), DEFAULT_REGISTER_CLOSES)).toEqual({ date: "2026-03-13", pm: false });
    expect(lastDueSession(momentOf("2026-03-13T13:34"), DEFAULT_REGISTER_CLOSES)).toEqual({ date: "2026-03-13", pm: false });
    expect(lastDueSession(momentOf("2026-03-13T13:35"), DEFAULT_REGISTER_CLOSES)).toEqual({ date: "2026-03-13", pm: true });
    // The clock is read in London: 23:30 UTC on 12 Jul is 00:30 BST on 13 Jul.
    expect(momentOf(undefined, new Date("2026-07-12T23:30:00Z"))).toEqual({ date: "2026-07-13", time: "00:30" });
    expect(() => lastDueSession({ date: "2026-03-13", time: "9:30" }, DEFAULT_REGISTER_CLOSES)).toThrow(/HH:MM/);
  });

  it("leaves out today's sessions before their registers close (00:00, after AM, after PM)", async () => {
    const period = { from: "2026-03-02", to: "2026-03-13" };
    // NONE has no mark at all; LATE is missing 13 Mar PM only. Days 2 to 12 Mar: 8 school days.
    await withConnection(db, async (c) => {
      const at = async (moment: string) => {
        const gaps = await registerGaps(c, period, lastDueSession(momentOf(moment), DEFAULT_REGISTER_CLOSES));
        return { none: gaps.filter((g) => g.upn === "NONE").length, late: gaps.filter((g) => g.upn === "LATE").map((g) => `${g.date} ${g.session}`) };
      };
      expect(await at("2026-03-13")).toEqual({ none: 16, late: [] });
      expect(await at("2026-03-13T10:00")).toEqual({ none: 17, late: [] });
      expect(await at("2026-03-13T14:00")).toEqual({ none: 18, late: ["2026-03-13 PM"] });
      // Before the period's first register closes, nothing is due.
      expect(await registerGaps(c, period, lastDueSession(momentOf("2026-03-02"), DEFAULT_REGISTER_CLOSES))).toEqual([]);
    });
  });
});
