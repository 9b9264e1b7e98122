/**
 * A governor's span's atoms worked out from one read of its academic year (analytics/
 * span-atoms.ts spanAtomsFromYear) must be the span's own read's (summariseAtoms under
 * half-term membership, the whole roll and the DfE's population), figure for figure, in the
 * same order: on the demo register for every span a governors' pack plans (each half term,
 * each term and the year to the end of each, from the first school day and from 1 August),
 * and on a register built by hand with a pupil who moves class, one who leaves inside a half
 * term and one between half terms, one who joins inside a half term and one between, pupils
 * outside the DfE's population, and a half term that ends on a Wednesday with the next one
 * starting on the Thursday of the same week, and marks outside a pupil's admission and leaving
 * dates. Spans it cannot answer exactly (cut inside a half
 * term; a year with a mark on a day outside the school days) are left to the span's own read.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  withConnection,
  withSharedReads,
  type Connection,
} from "../analytics/db.ts";
import { halfTermsOf } from "../analytics/governor-periods.ts";
import { isLeaversGroup } from "../analytics/leavers.ts";
import { governorQuery, summariseAtoms } from "../analytics/measures.ts";
import { academicYearBounds } from "../analytics/period-names.ts";
import { spanAtomsFromYear } from "../analytics/span-atoms.ts";
import { registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { demoSchool } from "./helpers/demo-school.ts";
import { seedRegister, type TestMark } from "./helpers/register.ts";

/** Every span a governors' pack plans in the register's years: each half term, each term and the year to its end. */
async function governorSpans(
  c: Connection
): Promise<Array<{ label: string; from: string; to: string }>> {
  const halves = await halfTermsOf(c);
  const spans = new Map<string, { label: string; from: string; to: string }>();
  for (const h of halves) {
    const term = halves.filter((x) => x.term === h.term && x.from <= h.from);
    const year = halves.filter(
      (x) => x.academicYear === h.academicYear && x.from <= h.from
    );
    for (const [label, from] of [
      [`half ${h.key}`, h.from],
      [`term to ${h.key}`, term[0].from],
      [`year to ${h.key}`, year[0].from],
      [
        `year from 1 August to ${h.key}`,
        academicYearBounds(h.academicYear).from,
      ],
    ] as const) {
      spans.set(`${from}|${h.to}`, { label, from, to: h.to });
    }
  }
  return [...spans.values()];
}

/** Expects the derived atoms of each span to be its own read's; returns how many spans had marks. */
async function expectSameAtoms(
  c: Connection,
  spans: ReadonlyArray<{ label: string; from: string; to: string }>
): Promise<number> {
  let withMarks = 0;
  for (const span of spans) {
    const derived = await spanAtomsFromYear(c, span);
    expect(derived, span.label).not.toBeNull();
    const query = governorQuery({ from: span.from, to: span.to });
    const whole = await summariseAtoms(c, query);
    const dfe = await summariseAtoms(c, { ...query, population: "dfe" });
    expect(derived!.whole, `${span.label}: whole roll`).toEqual(whole);
    expect(derived!.dfe, `${span.label}: DfE population`).toEqual(dfe);
    if (whole.length > 0) withMarks++;
  }
  return withMarks;
}

describe("span atoms from the year: the demo school", () => {
  const demo = demoSchool("span-atoms-demo", "2026-11-23");

  it("gives every governor's span of whole half terms exactly as the span's own read", async () => {
    await withConnection(demo.db, (c) =>
      withSharedReads(c, async () => {
        const spans = await governorSpans(c);
        expect(spans.length).toBeGreaterThan(30);
        expect(await expectSameAtoms(c, spans)).toBeGreaterThan(30);
        // Derived once per span in a piece of work: asked again (the measures' whole roll,
        // their DfE population, the span's plan), the same groups, not made again.
        for (const span of spans.slice(0, 5)) expect(await spanAtomsFromYear(c, span)).toBe(await spanAtomsFromYear(c, span));
      })
    );
  }, 300_000);
});

describe("span atoms from the year: movers, joiners and leavers by hand", () => {
  const db = tempDbPath("span-atoms-hand");
  beforeAll(async () => {
    await withConnection(db, async (c) => {
      const days = await seedSchoolDays(c, [
        {
          from: "2025-09-01",
          to: "2025-09-05",
          half: "autumn-1-2025",
          term: "autumn-2025",
        },
        // Ends on a Wednesday; the next half term starts on the Thursday of the same week.
        {
          from: "2025-09-08",
          to: "2025-09-10",
          half: "autumn-2-2025",
          term: "autumn-2025",
        },
        {
          from: "2025-09-11",
          to: "2025-09-19",
          half: "spring-1-2026",
          term: "spring-2026",
        },
        {
          from: "2025-09-22",
          to: "2025-09-26",
          half: "spring-2-2026",
          term: "spring-2026",
        },
      ]);
      const from = (d: string) => days.filter((x) => x >= d);
      const until = (d: string) => days.filter((x) => x <= d);
      const marks: TestMark[] = [
        // M: Year 1, 1A then 1B from Autumn 2; off ill two days, one of them in each class.
        ...registerOf("M", days, {
          "2025-09-02": ["I", "I"],
          "2025-09-09": ["I", "I"],
        }),
        // L1 leaves on Tuesday 9 September, inside Autumn 2: persistently absent.
        ...registerOf("L1", until("2025-09-09"), {
          "2025-09-03": ["O", "O"],
          "2025-09-08": ["O", "/"],
        }),
        // L2 leaves on Saturday 20 September, between Spring 1 and Spring 2.
        ...registerOf("L2", until("2025-09-19"), { "2025-09-16": ["I", "/"] }),
        // J1 joins on Wednesday 17 September, inside Spring 1: severely absent at first.
        ...registerOf("J1", from("2025-09-17"), {
          "2025-09-17": ["O", "O"],
          "2025-09-18": ["O", "O"],
        }),
        // J2 joins on Saturday 6 September, between Autumn 1 and Autumn 2.
        ...registerOf("J2", from("2025-09-08"), { "2025-09-25": ["I", "I"] }),
        // R: Reception's age (outside the DfE's population), becomes FSM in Spring 2.
        ...registerOf("R", days, { "2025-09-11": ["I", "I"] }),
        ...registerOf("S", days),
        // Marks the register holds outside a pupil's dates (written unchecked): E's two days of
        // Spring 1 before their admission on Saturday 20 September, F's first two days after
        // leaving on 29 August. A span's own read leaves them out where its range does.
        ...registerOf(
          "E",
          days.filter((d) => d >= "2025-09-18")
        ),
        ...registerOf("F", ["2025-09-01", "2025-09-02"]),
      ];
      await seedRegister(c, {
        pupils: [
          {
            upn: "M",
            dob: "2019-05-01",
            admission_date: "2024-09-01",
            spells: [
              {
                from: "2024-09-01",
                to: "2025-09-07",
                year_group: "1",
                reg_group: "1A",
              },
              { from: "2025-09-08", year_group: "1", reg_group: "1B" },
            ],
          },
          {
            upn: "L1",
            dob: "2019-06-01",
            admission_date: "2024-09-01",
            leaving_date: "2025-09-09",
            spells: [{ from: "2024-09-01", year_group: "1", reg_group: "1A" }],
          },
          {
            upn: "L2",
            dob: "2019-07-01",
            admission_date: "2024-09-01",
            leaving_date: "2025-09-20",
            spells: [{ from: "2024-09-01", year_group: "1", reg_group: "1B" }],
          },
          {
            upn: "J1",
            dob: "2019-08-01",
            admission_date: "2025-09-17",
            spells: [
              {
                from: "2025-09-17",
                year_group: "1",
                reg_group: "1A",
                sen: "K",
              },
            ],
          },
          {
            upn: "J2",
            dob: "2019-01-01",
            admission_date: "2025-09-06",
            spells: [
              {
                from: "2025-09-06",
                year_group: "1",
                reg_group: "1B",
                eal: "Y",
              },
            ],
          },
          {
            upn: "R",
            dob: "2021-01-01",
            admission_date: "2024-09-01",
            spells: [
              {
                from: "2024-09-01",
                to: "2025-09-21",
                year_group: "R",
                reg_group: "RA",
              },
              {
                from: "2025-09-22",
                year_group: "R",
                reg_group: "RA",
                fsm: "Y",
              },
            ],
          },
          {
            upn: "S",
            dob: "2019-03-01",
            admission_date: "2024-09-01",
            spells: [{ from: "2024-09-01", year_group: "1", reg_group: "1A" }],
          },
          {
            upn: "E",
            dob: "2019-04-01",
            admission_date: "2025-09-20",
            spells: [{ from: "2025-09-01", year_group: "1", reg_group: "1B" }],
          },
          {
            upn: "F",
            dob: "2019-02-01",
            admission_date: "2024-09-01",
            leaving_date: "2025-08-29",
            spells: [{ from: "2024-09-01", year_group: "1", reg_group: "1A" }],
          },
        ],
        marks,
      });
    });
  });
  afterAll(() => removeDb(db));

  it("gives every span of whole half terms exactly as the span's own read", async () => {
    await withConnection(db, (c) =>
      withSharedReads(c, async () => {
        const spans = await governorSpans(c);
        // 4 half terms: each alone, the terms to Autumn 2 and Spring 2, the year to each from 1 September and from 1 August.
        expect(spans.length).toBe(12);
        expect(await expectSameAtoms(c, spans)).toBe(12);
        // The leavers' rows and a mover's sessions in both classes are among them (not a trivial register).
        const year = await spanAtomsFromYear(c, {
          from: "2025-09-01",
          to: "2025-09-26",
        });
        expect(year!.whole.some((a) => isLeaversGroup(a.year_group))).toBe(
          true
        );
        // 1B at the year's end: M, J2 and E (L2 left before Spring 2); M's Autumn 1 sessions are 1A's.
        const inB = year!.whole.filter((a) => a.reg_group === "1B");
        expect(inB.reduce((n, a) => n + a.pupils, 0)).toBe(3);
        expect(year!.whole.length).toBeGreaterThan(year!.dfe.length);
      })
    );
  });

  it("leaves a span cut inside a half term to its own read", async () => {
    await withConnection(db, (c) =>
      withSharedReads(c, async () => {
        expect(
          await spanAtomsFromYear(c, { from: "2025-09-01", to: "2025-09-09" })
        ).toBeNull();
        expect(
          await spanAtomsFromYear(c, { from: "2025-09-09", to: "2025-09-26" })
        ).toBeNull();
        expect(
          await spanAtomsFromYear(c, { from: "2025-09-01", to: "2025-09-27" })
        ).toBeNull();
      })
    );
  });

  it("answers no span of a year with a mark on a day outside its school days", async () => {
    await withConnection(db, async (c) => {
      const span = { from: "2025-09-08", to: "2025-09-19" };
      expect(
        await withSharedReads(c, () => spanAtomsFromYear(c, span))
      ).not.toBeNull();
      // Outside a piece of work (the year's rows not kept) the span's own read is cheaper.
      expect(await spanAtomsFromYear(c, span)).toBeNull();
      // A Saturday between Spring 1 and Spring 2.
      await seedRegister(c, {
        pupils: [],
        marks: [["S", "2025-09-20", "AM", "/"]],
      });
      expect(
        await withSharedReads(c, () => spanAtomsFromYear(c, span))
      ).toBeNull();
    });
  });
});

describe("span atoms from the year: kept from one piece of work to the next", () => {
  // One half term of a week; A has no afternoon mark on Wednesday (added later: the same rows,
  // one more possible session), B and C every session.
  const db = tempDbPath("span-atoms-kept");
  const span = { from: "2025-09-01", to: "2025-09-05" };
  beforeAll(async () => {
    await withConnection(db, async (c) => {
      const days = await seedSchoolDays(c, [{ from: "2025-09-01", to: "2025-09-05", half: "autumn-1-2025", term: "autumn-2025" }]);
      await seedRegister(c, {
        pupils: ["A", "B", "C"].map((upn) => ({ upn, dob: "2019-05-01", admission_date: "2024-09-01", spells: [{ from: "2024-09-01", year_group: "1", reg_group: "1A" }] })),
        marks: [...registerOf("A", days, { "2025-09-03": ["/", null] }), ...registerOf("B", days), ...registerOf("C", days)],
      });
    });
  });
  afterAll(() => removeDb(db));

  /** The span's groups in a piece of work of its own, on a connection of its own. */
  const inOwnWork = () => withConnection(db, (c) => withSharedReads(c, () => spanAtomsFromYear(c, span)));

  it("gives the same groups (one object) while the year's rows are the same, and the new read's once one changes", async () => {
    const first = await inOwnWork();
    expect(first).not.toBeNull();
    // An unchanged register: the groups of the last piece of work, not worked out again.
    expect(await inOwnWork()).toBe(first);
    // A's Wednesday afternoon marked absent: as many rows as before, one more session in A's.
    await withConnection(db, (c) => seedRegister(c, { pupils: [], marks: [["A", "2025-09-03", "PM", "O"]] }));
    const after = await inOwnWork();
    expect(after).not.toBe(first);
    await withConnection(db, async (c) => {
      const query = governorQuery(span);
      expect(after!.whole).toEqual(await summariseAtoms(c, query));
      expect(after!.dfe).toEqual(await summariseAtoms(c, { ...query, population: "dfe" }));
    });
    expect(after!.whole[0].possible_sessions).toBe(first!.whole[0].possible_sessions + 1);
  });
});
