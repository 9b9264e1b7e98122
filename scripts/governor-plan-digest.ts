/**
 * Digests of the governors' suppression decisions, to check that a change to the planner
 * (analytics/suppression.ts, analytics/governor-lattice.ts) leaves every plan as it was:
 * run it on the tree before and after (copy it into the other tree's scripts/) and diff the
 * outputs. Usage: `tsx scripts/governor-plan-digest.ts DEMO.duckdb BIG.duckdb OUT.txt`, where
 * DEMO is the demo school built for 23 November 2026 and BIG the bench's 4,500-pupil year (as
 * of 31 July 2026; `npm run bench` with BENCH_CACHE keeps both). Writes OUT.txt: one line per
 * plan — every whole span a governor can open in 2024/25 and 2025/26 (each half term, each
 * term and the year to the end of each half term), the breakdowns by week, month, half term,
 * term and weekday of each year and each half term's slice plan — with a hash of every cell's
 * figures' decisions (withheld or not, primary or secondary, the printed text), and one per
 * pack model (every FGB term the demo offers and its SLT month, the 4,500-pupil FGB and SLT
 * packs the bench times) hashed without its time of making; OUT.txt.detail holds the plans'
 * decisions in full. Lines starting "#" are timings, not to be compared.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { closeAllInstances, withConnection } from "../analytics/db.ts";
import { governorLattice, governorSlicePlans, type LatticePlan } from "../analytics/governor-lattice.ts";
import { halfTermsOf } from "../analytics/governor-periods.ts";
import type { SessionDimension } from "../analytics/measures.ts";
import { buildPack } from "../analytics/packs/files.ts";
import { packPeriodOptions } from "../analytics/packs/periods.ts";
import type { SuppressedFigure } from "../analytics/suppression.ts";

const [demo, big, out] = process.argv.slice(2);
if (!demo || !big || !out) throw new Error("usage: tsx scripts/governor-plan-digest.ts DEMO.duckdb BIG.duckdb OUT.txt");
const MIN = 5;
const FIGURES: readonly SuppressedFigure[] = ["pupils", "possible_sessions", "attended_sessions", "pa_pupils", "sa_pupils", "absent_pupils"];
const lines: string[] = [];
const hash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);
fs.writeFileSync(`${out}.detail`, "");

function planDigest(label: string, plan: LatticePlan): void {
  const s = plan.suppression;
  const rows = plan.cells.map(
    (c) =>
      `${c.key} row=${s.rowHidden(c.key)}:${s.rowReason(c.key)} ` +
      FIGURES.map((f) => `${f}=${s.hidden(c.key, f) ? "H" : "-"}${s.reason?.(c.key, f) ?? ""}:${s.hidden(c.key, f) ? s.text(c.key, f) : ""}`).join(" "),
  );
  lines.push(`${label} cells=${plan.cells.length} hidden=${rows.filter((r) => r.includes("=H")).length} ${hash(rows.join("\n"))}`);
  fs.appendFileSync(`${out}.detail`, `## ${label}\n${rows.join("\n")}\n`);
}

const started = Date.now();
await withConnection(demo, async (c) => {
  const halves = (await halfTermsOf(c)).filter((h) => h.academicYear === "2024/25" || h.academicYear === "2025/26");
  const spans = new Map<string, { from: string; to: string }>();
  for (const h of halves) spans.set(`half ${h.key}`, { from: h.from, to: h.to });
  for (const h of halves) {
    const term = halves.filter((x) => x.term === h.term && x.from <= h.from);
    spans.set(`term ${h.term} to ${h.key}`, { from: term[0].from, to: h.to });
    const year = halves.filter((x) => x.academicYear === h.academicYear && x.from <= h.from);
    spans.set(`year ${h.academicYear} to ${h.key}`, { from: year[0].from, to: h.to });
  }
  for (const [label, span] of spans) for (const [k, p] of await governorLattice(c, span, null, MIN)) planDigest(`demo ${label} [${k}]`, p);
  for (const year of ["2024/25", "2025/26"]) {
    const inYear = halves.filter((h) => h.academicYear === year);
    const span = { from: inYear[0].from, to: inYear[inYear.length - 1].to };
    for (const by of ["week", "month", "half_term", "term", "weekday"] as SessionDimension[]) {
      for (const [k, p] of await governorLattice(c, span, by, MIN)) planDigest(`demo ${year} by ${by} [${k}]`, p);
    }
    for (const { half, plan } of await governorSlicePlans(c, span, MIN)) planDigest(`demo slices ${half.key}`, plan);
  }
});
lines.push(`# demo plans: ${Date.now() - started} ms`);
for (const [name, db, today] of [["demo", demo, "2026-11-23"], ["4500", big, "2026-07-31"]] as const) {
  const options = await withConnection(db, (c) => packPeriodOptions(c, today));
  const terms = name === "demo" ? options.terms.map((t) => t.key) : [options.defaultTerm!];
  const packs: Array<["fgb" | "slt", string]> = [...terms.map((t): ["fgb", string] => ["fgb", t]), ["slt", options.defaultMonth!]];
  for (const [kind, period] of packs) {
    const start = Date.now();
    const model = await withConnection(db, (c) => buildPack(c, kind, period, today, "pdf"));
    lines.push(`# ${name} ${kind} ${period}: ${Date.now() - start} ms`);
    const json = JSON.stringify({ ...model, generatedAt: undefined });
    lines.push(`${name} ${kind} ${period} model ${json.length} ${hash(json)}`);
  }
}
await closeAllInstances();
fs.writeFileSync(out, `${lines.join("\n")}\n`);
