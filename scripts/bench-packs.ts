/**
 * Pack benchmark (issue 11, "Packs: SLT and FGB PDF each under 5 s end to end on the
 * 4,500-pupil register"), run by `npm run bench` (part 9, `BENCH_ONLY=packs`). Measured,
 * never asserted. For one register: each pack as the CLI and the web app make it — its
 * figures for the PDF (no to-date tabs: the workbook's alone) from a fresh connection (no result cache: every query runs) and its PDF printed by
 * the shared print browser (analytics/render/pdf.ts) — timed end to end two ways after one
 * warm-up run (which starts the print browser): the first build (every one of the
 * governors' suppression plans made afresh: forgetKeptPlans before each, median of
 * FIRST_BUILD_RUNS), and again while the register is unchanged (the plans the process kept,
 * governor-lattice.ts planOnce, as the server keeps them between requests; median of `runs`,
 * ≥ 5); and the pack's figures alone. Until session 19 only the second was reported, as if
 * nothing were kept (a helper found the plans kept across the runs).
 * Session 48: a third way, after a week's import (weeksImport): the plans are kept by their
 * tables' counts (governor-lattice.ts tableOfCounts, planOnce), so an import that changes only the
 * last weeks leaves the plans of the half terms before them as they were, and the next build
 * plans afresh only the tables whose counts it changed (the last half term's, its term's, the
 * year's). "First build" (every plan forgotten) is what a server pays once after it starts, or
 * after an import that changes every half term's counts; this is what a reader meets after a
 * school's usual weekly import.
 * Each as a ratio to the plain scan of the year's marks (scripts/bench-pages.ts), timed in the
 * same run.
 */
import { closeAllInstances, inTransaction, queryRows, withConnection } from "../analytics/db.ts";
import { importMarks } from "../analytics/import/index.ts";
import { forgetKeptPlans, governorTablesMade } from "../analytics/governor-lattice.ts";
import { academicYearBounds, academicYearOf } from "../analytics/period-names.ts";
import { buildPack, renderPackFile } from "../analytics/packs/files.ts";
import { packPeriodOptions } from "../analytics/packs/periods.ts";
import { closePrintBrowser } from "../analytics/render/pdf.ts";
import { median, timedReferenceScan } from "./bench-pages.ts";
import { msSince as ms } from "./bench-time.ts";


export interface PackFigure {
  kind: "slt" | "fgb";
  period: string;
  /** End to end (figures and PDF), median, ms. */
  totalMs: number;
  /** The figures alone (buildPack), median, ms. */
  figuresMs: number;
  /** End to end and figures alone for the first build (every plan made afresh), median of FIRST_BUILD_RUNS, ms. */
  firstTotalMs: number;
  firstFiguresMs: number;
  /** End to end and figures alone after a week's import (AFTER_IMPORT_RUNS imports, each then built once), median, ms. */
  afterImportTotalMs: number;
  afterImportFiguresMs: number;
  /** Governors' tables worked out afresh by a build after a week's import (governorTablesMade), median: 0 would mean the import changed nothing the pack reads. */
  afterImportTables: number;
  pdfKb: number;
}

export interface PacksFigures {
  label: string;
  referenceMs: number;
  runs: number;
  packs: PackFigure[];
}

/** Runs of the first build (each plans afresh: a governors' pack at 4,500 pupils takes half a minute). */
const FIRST_BUILD_RUNS = 3;

/** Builds after a week's import: each its own import (AMENDED_MARKS amended), so each plans what it changed afresh. */
const AFTER_IMPORT_RUNS = 3;
/** Marks each "week's import" amends: a week's corrections of a school's register. */
const AMENDED_MARKS = 20;

/**
 * A week's import into `db` as the Import page makes it (importMarks in one transaction):
 * AMENDED_MARKS present marks of the last seven days of marks up to `upTo` (the last day the pack
 * covers: a governors' pack stops at its last ended half term, so an amendment after it would
 * change none of its tables, as review 48 found on the demo school) amended to I (illness),
 * chosen by `round` so each import changes marks of its own. Changes the file: `db` is the bench's
 * own copy of the register (scripts/bench.ts registerTimed), copied afresh for every part.
 */
async function weeksImport(db: string, round: number, upTo: string): Promise<void> {
  await withConnection(db, async (c) => {
    const rows = await queryRows<{ upn: string; date: string; session: string }>(
      c,
      `SELECT upn, strftime(date, '%Y-%m-%d') AS date, session::VARCHAR AS session FROM marks
        WHERE date > (SELECT max(date) - INTERVAL 7 DAY FROM marks WHERE date <= $up_to::DATE) AND date <= $up_to::DATE AND code = '/'
        ORDER BY hash(upn, date, session, $round) LIMIT $n`,
      { round, n: AMENDED_MARKS, up_to: upTo },
    );
    if (rows.length < AMENDED_MARKS) throw new Error(`${db}: only ${rows.length} present marks in the week to ${upTo} to amend`);
    const text = `upn,date,session,code\n${rows.map((r) => `${r.upn},${r.date},${r.session},I`).join("\n")}\n`;
    await inTransaction(c, () => importMarks(c, { file: `week-${round}.csv`, text, by: { name: "Benchmark", role: "System" }, reason: "the week's corrections" }));
  });
}

/** Times both packs as PDFs on the register in `db` as of `today`. */
export async function benchPacks(label: string, db: string, today: string, runs = 5): Promise<PacksFigures> {
  const period = { from: academicYearBounds(academicYearOf(today)).from, to: today };
  const referenceMs = await withConnection(db, (c) => timedReferenceScan(c, period, Math.max(5, runs)));
  // The periods the Packs page offers first: last month's SLT pack, the current term's FGB pack.
  const options = await withConnection(db, (c) => packPeriodOptions(c, today));
  if (!options.defaultMonth || !options.defaultTerm) throw new Error(`${label}: no month or term to make a pack for`);
  const periods = { slt: options.defaultMonth, fgb: options.defaultTerm };
  const packs: PackFigure[] = [];
  try {
    for (const kind of ["slt", "fgb"] as const) {
      const totals: number[] = [];
      const figures: number[] = [];
      const firstTotals: number[] = [];
      const firstFigures: number[] = [];
      const afterTotals: number[] = [];
      const afterFigures: number[] = [];
      const afterTables: number[] = [];
      let periodTo = "";
      let bytes = 0;
      const warm = Math.max(5, runs);
      for (let i = 0; i <= FIRST_BUILD_RUNS + warm; i++) {
        const first = i >= 1 && i <= FIRST_BUILD_RUNS;
        if (first) forgetKeptPlans();
        const start = process.hrtime.bigint();
        const model = await withConnection(db, (c) => buildPack(c, kind, periods[kind], today, "pdf"));
        const built = ms(start);
        const pdf = await renderPackFile(model, "pdf");
        const total = ms(start);
        bytes = pdf.length;
        periodTo = model.period.to;
        if (i === 0) continue; // the warm-up: the print browser starts
        (first ? firstTotals : totals).push(total);
        (first ? firstFigures : figures).push(built);
      }
      // After a week's import: the plans this process kept (the server's), the register changed.
      for (let i = 0; i < AFTER_IMPORT_RUNS; i++) {
        await weeksImport(db, packs.length * AFTER_IMPORT_RUNS + i, periodTo < today ? periodTo : today);
        const tablesBefore = governorTablesMade();
        const start = process.hrtime.bigint();
        const model = await withConnection(db, (c) => buildPack(c, kind, periods[kind], today, "pdf"));
        afterFigures.push(ms(start));
        afterTables.push(governorTablesMade() - tablesBefore);
        await renderPackFile(model, "pdf");
        afterTotals.push(ms(start));
      }
      packs.push({
        kind,
        period: periods[kind],
        totalMs: median(totals),
        figuresMs: median(figures),
        firstTotalMs: median(firstTotals),
        firstFiguresMs: median(firstFigures),
        afterImportTotalMs: median(afterTotals),
        afterImportFiguresMs: median(afterFigures),
        afterImportTables: median(afterTables),
        pdfKb: bytes / 1024,
      });
      process.stderr.write(
        `  ${label} ${kind.toUpperCase()} pack ${periods[kind]}: first build ${median(firstTotals).toFixed(0)} ms end to end (figures ${median(firstFigures).toFixed(0)} ms); after a week's import ${median(afterTotals).toFixed(0)} ms (figures ${median(afterFigures).toFixed(0)} ms, ${median(afterTables)} governors' tables worked out); again ${median(totals).toFixed(0)} ms (figures ${median(figures).toFixed(0)} ms)\n`,
      );
    }
  } finally {
    await closePrintBrowser();
    await closeAllInstances();
  }
  return { label, referenceMs, runs: Math.max(5, runs), packs };
}

/** Markdown of one register's pack figures with pass/fail against the 5 s goal. */
export function packsMarkdown(f: PacksFigures): string {
  return [
    `### ${f.label}`,
    "",
    `- reference: plain scan of the academic year's marks to date: ${f.referenceMs.toFixed(1)} ms (median of 5)`,
    `- each pack: figures from a fresh connection (no result cache) and the PDF from the shared print browser, after one warm-up; "first build": every governors' suppression plan made afresh, as a server pays once after it starts or after an import that changes every half term's counts (median of ${FIRST_BUILD_RUNS}); "after a week's import": the register changed by an import of ${AMENDED_MARKS} marks amended in the last week the pack covers, the plans the process kept (kept by their tables' counts, so only the plans of the tables the import changed are made afresh: the last half term's, its term's and the year's), as a reader meets it after a school's weekly import (median of ${AFTER_IMPORT_RUNS}, each after its own import); "again": the register unchanged, the plans the process kept (as the server keeps them between requests; median of ${f.runs})`,
    "",
    "| pack | period | first build end to end ms | first build figures ms | after a week's import end to end ms | after a week's import figures ms | after a week's import: governors' tables worked out | again end to end ms | again figures ms | PDF KB | first ÷ scan | after import ÷ scan | again ÷ scan | goal < 5 s (first / after a week's import / again) |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ...f.packs.map((p) => {
      const goal = (t: number) => (t < 5000 ? "pass" : "fail");
      return `| ${p.kind.toUpperCase()} | ${p.period} | ${p.firstTotalMs.toFixed(0)} | ${p.firstFiguresMs.toFixed(0)} | ${p.afterImportTotalMs.toFixed(0)} | ${p.afterImportFiguresMs.toFixed(0)} | ${p.afterImportTables} | ${p.totalMs.toFixed(0)} | ${p.figuresMs.toFixed(0)} | ${p.pdfKb.toFixed(0)} | ${(p.firstTotalMs / f.referenceMs).toFixed(1)} | ${(p.afterImportTotalMs / f.referenceMs).toFixed(1)} | ${(p.totalMs / f.referenceMs).toFixed(1)} | ${goal(p.firstTotalMs)} / ${goal(p.afterImportTotalMs)} / ${goal(p.totalMs)} |`;
    }),
  ].join("\n");
}
