/**
 * Pack benchmark (issue 11, "Packs: SLT and FGB PDF each under 5 s end to end on the
 * 4,500-pupil register"), run by `npm run bench` (part 9, `BENCH_ONLY=packs`). Measured,
 * never asserted. For one register: each pack as the CLI and the web app make it — its
 * figures for the PDF (no to-date tabs: the workbook's alone) from a fresh connection (no result cache: every query runs) and its PDF printed by
 * the shared print browser (analytics/render/pdf.ts) — timed end to end two ways after one
 * warm-up run (which starts the print browser): the first build after an import (the
 * governors' suppression plans made afresh: forgetKeptPlans before each, median of
 * FIRST_BUILD_RUNS), and again while the register is unchanged (the plans the process kept,
 * governor-lattice.ts planOnce, as the server keeps them between requests; median of `runs`,
 * ≥ 5); and the pack's figures alone. Until session 19 only the second was reported, as if
 * nothing were kept (a helper found the plans kept across the runs).
 * Each as a ratio to the plain scan of the year's marks (scripts/bench-pages.ts), timed in the
 * same run.
 */
import { closeAllInstances, withConnection } from "../analytics/db.ts";
import { forgetKeptPlans } from "../analytics/governor-lattice.ts";
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
  /** End to end and figures alone for the first build after an import (plans made afresh), median of FIRST_BUILD_RUNS, ms. */
  firstTotalMs: number;
  firstFiguresMs: number;
  pdfKb: number;
}

export interface PacksFigures {
  label: string;
  referenceMs: number;
  runs: number;
  packs: PackFigure[];
}

/** Runs of the first build after an import (each plans afresh: a governors' pack at 4,500 pupils takes half a minute). */
const FIRST_BUILD_RUNS = 3;

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
        if (i === 0) continue; // the warm-up: the print browser starts
        (first ? firstTotals : totals).push(total);
        (first ? firstFigures : figures).push(built);
      }
      packs.push({ kind, period: periods[kind], totalMs: median(totals), figuresMs: median(figures), firstTotalMs: median(firstTotals), firstFiguresMs: median(firstFigures), pdfKb: bytes / 1024 });
      process.stderr.write(
        `  ${label} ${kind.toUpperCase()} pack ${periods[kind]}: first build ${median(firstTotals).toFixed(0)} ms end to end (figures ${median(firstFigures).toFixed(0)} ms); again ${median(totals).toFixed(0)} ms (figures ${median(figures).toFixed(0)} ms)\n`,
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
    `- each pack: figures from a fresh connection (no result cache) and the PDF from the shared print browser, after one warm-up; "first build": as after an import, the governors' suppression plans made afresh (median of ${FIRST_BUILD_RUNS}); "again": the register unchanged, the plans the process kept (as the server keeps them between requests; median of ${f.runs})`,
    "",
    "| pack | period | first build end to end ms | first build figures ms | again end to end ms | again figures ms | PDF KB | first ÷ scan | again ÷ scan | goal < 5 s (first / again) |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ...f.packs.map(
      (p) =>
        `| ${p.kind.toUpperCase()} | ${p.period} | ${p.firstTotalMs.toFixed(0)} | ${p.firstFiguresMs.toFixed(0)} | ${p.totalMs.toFixed(0)} | ${p.figuresMs.toFixed(0)} | ${p.pdfKb.toFixed(0)} | ${(p.firstTotalMs / f.referenceMs).toFixed(1)} | ${(p.totalMs / f.referenceMs).toFixed(1)} | ${p.firstTotalMs < 5000 ? "pass" : "fail"} / ${p.totalMs < 5000 ? "pass" : "fail"} |`,
    ),
  ].join("\n");
}
