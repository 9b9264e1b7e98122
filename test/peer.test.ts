/**
 * The peer benchmark's parts (scripts/bench-peer.ts, issue 11 goal "Peer"): the shared
 * synthetic-mark rule, the generated columns, and DuckDB and Arquero giving the same per-pupil
 * figures and totals on a small register whose figures are worked out by hand below, and
 * DuckDB's code bitmasks classifying every code as the store's code_catalogue does.
 */
import { afterAll, describe, expect, it } from "vitest";
import { ALL_CODES, CODE_CATALOGUE } from "../analytics/codes.ts";
import { closeInstance, queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { syntheticMarkCode, syntheticMarkLine } from "../analytics/demo/synthetic-marks.ts";
import {
  ARQUERO_WAYS,
  arqueroPupils,
  arqueroTable,
  arqueroTotals,
  assertSameFigures,
  codeMasks,
  disablePeerOptimizers,
  duckDbPupils,
  duckDbTotals,
  generatePeerMarks,
  keepDuckDbTotals,
  loadDuckDb,
  peerColumns,
  peerLine,
  peerMarkdown,
  peerRounds,
  peerRunsAsked,
  peerThreads,
  prepareDuckDbTotals,
  PEER_DISABLED_OPTIMIZERS,
  type PeerFigures,
  type PeerTotals,
} from "../scripts/bench-peer.ts";

describe("syntheticMarkCode", () => {
  it("gives present by session, then I every 37th, N every 53rd, L every 41st (minutes i mod 20), first match winning", () => {
    expect(syntheticMarkCode(1, "AM")).toEqual({ code: "/", minutesLate: null });
    expect(syntheticMarkCode(2, "PM")).toEqual({ code: "\\", minutesLate: null });
    expect(syntheticMarkCode(37, "AM")).toEqual({ code: "I", minutesLate: null });
    expect(syntheticMarkCode(106, "PM")).toEqual({ code: "N", minutesLate: null });
    expect(syntheticMarkCode(82, "AM")).toEqual({ code: "L", minutesLate: 2 });
    // 1,961 = 37 × 53: I before N; 2,173 = 41 × 53: N before L; 1,517 = 37 × 41: I before L.
    expect(syntheticMarkCode(1961, "AM").code).toBe("I");
    expect(syntheticMarkCode(2173, "AM").code).toBe("N");
    expect(syntheticMarkCode(1517, "PM").code).toBe("I");
  });

  it("amends every changeEvery-th mark to M, keeping an L's minutes, and none when changeEvery is 0", () => {
    expect(syntheticMarkCode(100, "AM", 100)).toEqual({ code: "M", minutesLate: null });
    expect(syntheticMarkCode(3700, "PM", 100)).toEqual({ code: "M", minutesLate: null });
    expect(syntheticMarkCode(4100, "AM", 100)).toEqual({ code: "M", minutesLate: 0 });
    expect(syntheticMarkCode(101, "AM", 100)).toEqual({ code: "/", minutesLate: null });
    expect(syntheticMarkCode(100, "AM", 0)).toEqual({ code: "/", minutesLate: null });
    expect(syntheticMarkLine("A000000000011", "2024-09-02", 82, "AM")).toBe("A000000000011,2024-09-02,AM,L,2");
    expect(syntheticMarkLine("A000000000011", "2024-09-02", 1, "PM")).toBe("A000000000011,2024-09-02,PM,\\,");
  });

  it("over a million marks: 27,027 I and 18,358 N, counted by hand from the rule", () => {
    const counts = new Map<string, number>();
    for (let i = 1; i <= 1_000_000; i++) {
      const { code } = syntheticMarkCode(i, i % 2 ? "AM" : "PM");
      counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    // I: ⌊10⁶/37⌋ = 27,027. N: multiples of 53 not of 37: 18,867 − ⌊10⁶/1,961⌋ (509) = 18,358.
    expect(counts.get("I")).toBe(27_027);
    expect(counts.get("N")).toBe(18_358);
  });
});

describe("generatePeerMarks", () => {
  it("gives exactly the marks asked for, pupil by pupil, the rule's codes with the overlays", () => {
    const columns = generatePeerMarks(1000);
    expect(columns.pupil.length).toBe(1000);
    expect(columns.pupil[0]).toBe(1);
    // The demo calendar's 2025/26 has ≈ 190 school days, two marks each: pupil 1 has them all.
    expect(columns.pupil[999]).toBe(3);
    const code = (k: number) => ALL_CODES[columns.code[k]];
    expect([code(0), code(1)]).toEqual(["/", "\\"]);
    expect(code(36)).toBe("I"); // mark 37
    expect(code(45)).toBe("O"); // mark 46 = 2 × 23, pupil 1 (≡ 1 mod 8)
    expect(columns.pm[0]).toBe(0);
    expect(columns.pm[1]).toBe(1);
    expect(generatePeerMarks(1000)).toEqual(columns);
  });
});

describe("DuckDB and Arquero on the same marks", () => {
  afterAll(() => closeInstance(":memory:"));
  const Y = "2025-";
  // 2025/26 runs 1 August 2025 – 31 July 2026 (2024 codes throughout).
  const marks = [
    // Pupil 1: 10 possible, 1 absent (I): exactly 10 % — persistently absent.
    ...Array.from({ length: 9 }, (_, d) => ({ pupil: 1, date: `${Y}09-${String(d + 1).padStart(2, "0")}`, session: "AM" as const, code: "/" })),
    { pupil: 1, date: `${Y}09-10`, session: "PM" as const, code: "I" },
    // Pupil 2: 9 present, an L (present), an N (unauthorised), an X (not counted): 11 possible, 1 absent — 9.1 %, not PA.
    ...Array.from({ length: 9 }, (_, d) => ({ pupil: 2, date: `${Y}10-${String(d + 1).padStart(2, "0")}`, session: "PM" as const, code: "\\" })),
    { pupil: 2, date: `${Y}10-20`, session: "AM" as const, code: "L" },
    { pupil: 2, date: `${Y}10-21`, session: "AM" as const, code: "N" },
    { pupil: 2, date: `${Y}10-22`, session: "AM" as const, code: "X" },
    // …and an N in the year before, not counted in 2025/26.
    { pupil: 2, date: "2025-07-15", session: "AM" as const, code: "N" },
    // Pupil 3: only closures (#): no possible session, so not among the pupils.
    { pupil: 3, date: "2026-01-05", session: "AM" as const, code: "#" },
    { pupil: 3, date: "2026-01-05", session: "PM" as const, code: "#" },
    // Pupil 4: K (AEA), G (unauthorised), C (authorised), /: 4 possible, 2 absent — 50 %, PA.
    { pupil: 4, date: "2026-03-02", session: "AM" as const, code: "K" },
    { pupil: 4, date: "2026-03-02", session: "PM" as const, code: "G" },
    { pupil: 4, date: "2026-03-03", session: "AM" as const, code: "C" },
    { pupil: 4, date: "2026-07-31", session: "AM" as const, code: "/" },
    // Pupil 5: marks only outside the year.
    { pupil: 5, date: "2026-08-03", session: "AM" as const, code: "N" },
  ];
  const period = { from: "2025-08-01", to: "2026-07-31" };
  const pupils = { pupil: [1, 2, 3, 4], possible: [10, 11, 0, 4], absent: [1, 1, 0, 2] };
  const totals = { pupils: 3, possible: 25, absent: 4, pa_pupils: 2 };

  it("gives the hand-worked per-pupil figures and totals in DuckDB, the period kept or bound", async () => {
    await withConnection(":memory:", async (connection) => {
      await loadDuckDb(connection, peerColumns(marks));
      expect(await duckDbPupils(connection, period)).toEqual(pupils);
      expect(await duckDbTotals(connection, period)).toEqual(totals);
      const bound = await prepareDuckDbTotals(connection);
      expect(await bound.totals(period)).toEqual(totals);
      await bound.close();
    });
  });

  // DuckDB's kept statement is planned with the statistics of peer_period's one row: with a
  // period covering every mark's date, its plan has no date filter at all. Each new period
  // must be written and the statement prepared again, or that plan counts every mark.
  it("keeps DuckDB's statement for a period, and gives each new period's hand-worked totals with a statement prepared for it", async () => {
    // July 2025 to August 2026 (2024 codes), every mark: pupil 2 also has July's N (12
    // possible, 2 absent: PA), pupil 5 August's N (1 and 1: PA).
    const everyMark = { from: "2025-07-01", to: "2026-08-31" };
    const everyMarkTotals = { pupils: 4, possible: 27, absent: 6, pa_pupils: 4 };
    const byHand: Array<[{ from: string; to: string }, PeerTotals]> = [
      [everyMark, everyMarkTotals],
      [everyMark, everyMarkTotals],
      // September 2025: pupil 1's nine / and an I: 10 possible, 1 absent, persistently absent.
      [{ from: "2025-09-01", to: "2025-09-30" }, { pupils: 1, possible: 10, absent: 1, pa_pupils: 1 }],
      [{ from: "2025-09-01", to: "2025-09-30" }, { pupils: 1, possible: 10, absent: 1, pa_pupils: 1 }],
      // October 2025: pupil 2's nine \, L, N and X: 11 possible, 1 absent (9.1 %, not PA).
      [{ from: "2025-10-01", to: "2025-10-31" }, { pupils: 1, possible: 11, absent: 1, pa_pupils: 0 }],
      // July 2025 (the year before, 2024 codes): pupil 2's N only.
      [{ from: "2025-07-01", to: "2025-07-31" }, { pupils: 1, possible: 1, absent: 1, pa_pupils: 1 }],
      // January 2026: pupil 3's closures only: no possible session.
      [{ from: "2026-01-01", to: "2026-01-31" }, { pupils: 0, possible: 0, absent: 0, pa_pupils: 0 }],
      [{ from: "2030-08-01", to: "2031-07-31" }, { pupils: 0, possible: 0, absent: 0, pa_pupils: 0 }],
      [period, totals],
      [everyMark, everyMarkTotals],
    ];
    await withConnection(":memory:", async (connection) => {
      await loadDuckDb(connection, peerColumns(marks));
      let prepares = 0;
      const prepare = connection.prepare.bind(connection);
      connection.prepare = (sql: string) => (prepares++, prepare(sql));
      const kept = await keepDuckDbTotals(connection);
      const prepared: number[] = [];
      for (const [asked, expected] of byHand) {
        expect([asked, await kept.totals(asked)]).toEqual([asked, expected]);
        prepared.push(prepares);
      }
      // A statement for each new period; none for the same period again.
      expect(prepared).toEqual([1, 1, 2, 2, 3, 4, 5, 6, 7, 8]);
      // The marks replaced under the kept statement (loadDuckDb): without pupil 4, 1, 2 and 5 remain.
      await loadDuckDb(connection, peerColumns(marks.filter((mark) => mark.pupil !== 4)));
      expect(await kept.totals(everyMark)).toEqual({ pupils: 3, possible: 23, absent: 4, pa_pupils: 3 });
      expect(prepares).toBe(8);
      await kept.close();
    });
  });

  // DuckDB's totals statement sums without coalesce (an empty period's sums are NULL): read as 0.
  it("gives zeros, in both engines, for a period without marks", async () => {
    const empty = { from: "2030-08-01", to: "2031-07-31" };
    const zeros = { pupils: 0, possible: 0, absent: 0, pa_pupils: 0 };
    await withConnection(":memory:", async (connection) => {
      await loadDuckDb(connection, peerColumns(marks));
      expect(await duckDbTotals(connection, empty)).toEqual(zeros);
    });
    for (const way of ARQUERO_WAYS) expect(arqueroTotals(arqueroTable(peerColumns(marks)), empty, way)).toEqual(zeros);
  });

  it.each(ARQUERO_WAYS)("gives the same figures in Arquero (%s)", (way) => {
    const table = arqueroTable(peerColumns(marks));
    expect(arqueroPupils(table, period, way)).toEqual(pupils);
    expect(arqueroTotals(table, period, way)).toEqual(totals);
  });

  it("agrees on a generated register of 20,000 marks, every way, and the check refuses a difference", async () => {
    const columns = generatePeerMarks(20_000);
    await withConnection(":memory:", async (connection) => {
      await loadDuckDb(connection, columns);
      const duck = { totals: await duckDbTotals(connection, period), pupils: await duckDbPupils(connection, period) };
      // 53 pupils, the 53rd cut short; pupils 8, 16, … 48 (6 of them) have G on every 9th mark.
      expect(duck.pupils.pupil.length).toBe(53);
      expect(duck.totals.pa_pupils).toBeGreaterThanOrEqual(6);
      const table = arqueroTable(columns);
      for (const way of ARQUERO_WAYS) assertSameFigures(duck, { totals: arqueroTotals(table, period, way), pupils: arqueroPupils(table, period, way) }, way);
      const off = { ...duck, pupils: { ...duck.pupils, absent: duck.pupils.absent.map((a, k) => (k === 7 ? a + 1 : a)) } };
      expect(() => assertSameFigures(duck, off, "params")).toThrow(/DuckDB and Arquero \(params\) disagree on pupil row 7: \(pupil, possible, absent\) 8, /);
      expect(() => assertSameFigures(duck, { ...duck, totals: { ...duck.totals, pa_pupils: 0 } })).toThrow(/disagree on the totals/);
    });
  });

  it("gives the same figures with the peer's optimizer passes skipped, all of them DuckDB's", async () => {
    const columns = generatePeerMarks(20_000);
    // A fresh instance each time: disabled_optimizers holds for the whole instance.
    const figures = async (setUp: (connection: Connection) => Promise<void>) => {
      try {
        return await withConnection(":memory:", async (connection) => {
          await setUp(connection);
          await loadDuckDb(connection, columns);
          return { totals: await duckDbTotals(connection, period), pupils: await duckDbPupils(connection, period) };
        });
      } finally {
        await closeInstance(":memory:");
      }
    };
    const before = await figures(async () => {});
    const after = await figures(async (connection) => {
      await disablePeerOptimizers(connection);
      const [setting] = await queryRows(connection, `SELECT current_setting('disabled_optimizers') AS value`);
      expect(String(setting.value).split(",").sort()).toEqual([...PEER_DISABLED_OPTIMIZERS].sort());
    });
    expect(after).toEqual(before);
    expect(after.pupils.pupil.length).toBe(53);
  });

  it("gives DuckDB a thread a row group of the marks (122,880 marks), at most its default", async () => {
    await withConnection(":memory:", async (connection) => {
      const [{ threads }] = await queryRows(connection, `SELECT current_setting('threads')::INTEGER AS threads`);
      await loadDuckDb(connection, generatePeerMarks(100_000));
      expect(await peerThreads(connection)).toBe(1);
      await loadDuckDb(connection, generatePeerMarks(130_000));
      expect(await peerThreads(connection)).toBe(Math.min(2, Number(threads)));
    });
  });

  // DuckDB classifies a mark by its code's bit in two masks (codeMasks) where it joined each
  // mark to code_catalogue before: the join, kept here as the reference, on one mark of every
  // mark_code member a pupil, in a year under each set of regulations.
  it.each([
    ["2024", { from: "2025-08-01", to: "2026-07-31" }, "2025-10-01"],
    ["2006", { from: "2023-08-01", to: "2024-07-31" }, "2023-10-02"],
  ] as const)("classifies every code as code_catalogue's %s regulations do", async (regime, year, date) => {
    const every = peerColumns(ALL_CODES.map((code, k) => ({ pupil: k + 1, date, session: "AM" as const, code })));
    await withConnection(":memory:", async (connection) => {
      await loadDuckDb(connection, every);
      const joined = await queryRows(
        connection,
        `SELECT m.pupil_id, sum(f.is_possible)::INTEGER AS possible, sum(f.is_absent)::INTEGER AS absent
         FROM peer_marks m
         JOIN (SELECT code, (category <> 'not_counted')::UTINYINT AS is_possible,
                      (category IN ('authorised', 'unauthorised'))::UTINYINT AS is_absent
               FROM code_catalogue WHERE regime = $regime) f ON f.code = m.code
         WHERE m.date BETWEEN $from::DATE AND $to::DATE
         GROUP BY m.pupil_id ORDER BY m.pupil_id`,
        { regime, from: year.from, to: year.to },
      );
      const masked = await duckDbPupils(connection, year);
      const inRegime = new Set(CODE_CATALOGUE.filter((d) => d.regime === regime).map((d) => d.code));
      expect(joined.length).toBe(inRegime.size);
      const byPupil = new Map(joined.map((r) => [r.pupil_id, [r.possible, r.absent]]));
      // Every member has a pupil; a code outside the regime has no category: 0 and 0 (the join had no row).
      expect(masked.pupil).toEqual(ALL_CODES.map((_, k) => k + 1));
      ALL_CODES.forEach((code, k) => expect([code, masked.possible[k], masked.absent[k]]).toEqual([code, ...(byPupil.get(k + 1) ?? [0, 0])]));
    });
    const byCode = (code: string) => {
      const masks = codeMasks(regime);
      const bit = 1n << BigInt(ALL_CODES.indexOf(code));
      return [(masks.possible & bit) !== 0n, (masks.absent & bit) !== 0n];
    };
    // By hand: I (illness) absent, L (late) present, X not counted, under both; J is AEA (an
    // interview) under 2006 and no 2024 code; K (AEA) and Q (not counted) are 2024 codes only.
    expect([byCode("I"), byCode("L"), byCode("X")]).toEqual([[true, true], [true, false], [false, false]]);
    expect([byCode("J"), byCode("K"), byCode("Q")]).toEqual(regime === "2024" ? [[false, false], [true, false], [false, false]] : [[true, false], [false, false], [false, false]]);
  });
});

describe("the peer's report", () => {
  // The goal's figure is DuckDB's run after one of its own; its run right after Arquero's (the
  // goal's figure until session 44) is reported beside it, with Arquero's faster way ÷ it.
  const figures: PeerFigures = {
    marks: 100_000,
    rounds: 31,
    pupils: 262,
    totals: { pupils: 262, possible: 98_494, absent: 6_297, pa_pupils: 34 },
    duckdbMs: 2,
    duckdbThreads: 1,
    duckdbBoundMs: 2.5,
    duckdbOneThreadMs: 1.6,
    duckdbAfterArqueroMs: 4,
    arqueroMs: { lookup: 30, params: 20 },
    ratio: 10,
    ratioBound: 8,
    ratioOneThread: 12.5,
    ratioAfterArquero: 5,
    rssMb: 240,
    arqueroTableMb: 1,
  };

  it("gives DuckDB's run right after Arquero's beside the goal's figure, in the line and the table", () => {
    expect(peerLine(figures)).toContain("DuckDB 2.0 ms (1 thread), Arquero 30.0 ms (lookup) / 20.0 ms (params), Arquero ÷ DuckDB 10.0× — pass");
    expect(peerLine(figures)).toContain("DuckDB right after Arquero 4.0 ms (5.0×)");
    const table = peerMarkdown([figures]).split("\n");
    expect(table.find((line) => line.startsWith("| marks"))).toContain("| DuckDB right after Arquero (ms, Arquero ÷) |");
    expect(table.at(-1)).toBe("| 100,000 | 262 | 34 | 31 | 2.0 (1) | 30.0 | 20.0 | 10.0× | pass | 1.6 (12.5×) | 4.0 (5.0×) | 2.5 (8.0×) | 1 MB / 240 MB |");
  });

  it("says how many runs each median is of", () => {
    expect(peerLine(figures)).toContain("(goal ≥ 10×; medians of 31 runs)");
    expect(peerMarkdown([figures]).split("\n").find((line) => line.startsWith("| marks"))).toContain("| PA pupils | runs | DuckDB (ms, threads) |");
  });

  it("gives DuckDB binding the period at every run (the goal's way until session 45) beside it", () => {
    expect(peerLine(figures)).toContain("DuckDB binding the period at every run 2.5 ms (8.0×)");
    const table = peerMarkdown([figures]).split("\n");
    expect(table.find((line) => line.startsWith("| marks"))).toContain("| DuckDB binding the period at every run (ms, Arquero ÷) | Arquero table / process RSS |");
  });
});

describe("the peer's rounds (peerRounds)", () => {
  // A round times each engine and way after an untimed run of it: about twice the warm-up's one
  // run of each. Short rounds get more of them (up to 41 in about 4 s), long ones the runs asked.
  it("gives a short scale more rounds, a long one the runs asked, never fewer", () => {
    expect(peerRounds(5, 50)).toBe(40); // 4,000 ÷ 100
    expect(peerRounds(5, 20)).toBe(41); // 100 fit: capped
    expect(peerRounds(5, 800)).toBe(5); // 2 fit: the runs asked
    expect(peerRounds(9, 400)).toBe(9);
    expect(peerRounds(50, 1)).toBe(50);
  });
});

describe("BENCH_PEER_RUNS (peerRunsAsked)", () => {
  it("takes a whole number, at least 5, and refuses anything else by name", () => {
    expect(peerRunsAsked(undefined)).toBe(5);
    expect(peerRunsAsked("")).toBe(5);
    expect(peerRunsAsked("9")).toBe(9);
    expect(peerRunsAsked("2")).toBe(5);
    expect(() => peerRunsAsked("abc")).toThrow('not "abc"');
    expect(() => peerRunsAsked("2.5")).toThrow('not "2.5"');
    expect(() => peerRunsAsked("0")).toThrow('not "0"');
  });
});
