/**
 * The whole school's absence by reason as governors read it (the Codes page, the FGB pack's
 * "Absence by reason"), with the small-count rule by pupils that their groups have (issue 13,
 * cases 8–9; a fresh-clone trial read "Holiday not agreed: 18 sessions" from 2 pupils and a
 * part-time timetable's 37 sessions from 1 over a half term).
 *
 * A reason (a family of codes: analytics/code-families.ts) is given over a period only when
 * no pupil or at least `min` pupils (settings.small_group_min) had it then; otherwise its
 * sessions are withheld (primary). The reasons add up to the school's authorised and
 * unauthorised absence, which governors read on every page (the Overview's rates of the
 * school's possible sessions), and a term's or a year's reasons are its half terms' — each a
 * period a governor opens on its own. So, as for groups (analytics/suppression.ts), more
 * reasons are withheld (complementary suppression by `protect`, every withheld figure kept
 * unknown) until none can be worked out from its category's total and the other reasons, in
 * the period or from the half terms inside it. One plan per academic year covers every period
 * a governor can open in it (each ended half term, each term, the year to the end of each
 * half term: the FGB pack's "year to date"), so a reason withheld in one is withheld
 * wherever it would give it away.
 *
 * Rule: docs/DEFINITIONS.md "Small groups". Server-only (reads the database).
 */
import type { Connection, Row } from "./db.ts";
import { cachedRows } from "./db.ts";
import { REGIME_2024_FROM } from "./codes.ts";
import { codeFamilyOf } from "./code-families.ts";
import { halfTermsOf, governorHorizon, type HalfTerm } from "./governor-periods.ts";
import { currentDate } from "./periods.ts";
import { inferBounds, isSmallCount, protect, WITHHELD_TEXT, type DisclosureCell, type SumRule } from "./suppression.ts";

export type AbsenceCategory = "authorised" | "unauthorised";

/** One reason over a period, as a governor may read it. */
export interface ReasonFigure {
  /** The family's name ("Illness"). */
  label: string;
  category: AbsenceCategory;
  /** Sessions of absence for this reason; null when withheld. */
  sessions: number | null;
  /** WITHHELD_TEXT when withheld (1 to min − 1 pupils, or so that such a reason cannot be worked out), else null. */
  withheld: string | null;
}

interface PupilReason {
  half: string;
  upn: string;
  label: string;
  category: AbsenceCategory;
  sessions: number;
}

/** Every pupil's absence sessions by reason in each half term of `from`–`to` (whole school). */
async function pupilReasons(connection: Connection, from: string, to: string): Promise<PupilReason[]> {
  const rows = await cachedRows<Row & { half: string; upn: string; code: string; category: string; sessions: number }>(
    connection,
    `SELECT sd.half_term AS half, m.upn, m.code::VARCHAR AS code, any_value(cc.category) AS category, count(*)::INTEGER AS sessions
     FROM marks m
     JOIN school_days sd ON sd.date = m.date
     JOIN code_catalogue cc
       ON cc.code = m.code
      AND cc.regime = CASE WHEN m.date >= $regime_from::DATE THEN '2024' ELSE '2006' END
     WHERE m.date BETWEEN $from::DATE AND $to::DATE AND cc.category IN ('authorised', 'unauthorised')
     GROUP BY ALL`,
    { from, to, regime_from: REGIME_2024_FROM },
  );
  return rows.map((r) => ({ half: r.half, upn: r.upn, label: codeFamilyOf(r.code, r.category), category: r.category as AbsenceCategory, sessions: r.sessions }));
}

/**
 * `from`, or where it falls outside every half term (a holiday: a year to date from 1
 * August), the first school day after it: pupilReasons reads marks on school days only, so the
 * rows are the same, and the governors' pack's year to date reads the statement its term's
 * plan of the year's half terms has read (one read of the year's marks, not two: 0.07–0.11 s at
 * 4,500 pupils after a week's import).
 */
function schoolDayFrom(halves: readonly HalfTerm[], from: string): string {
  if (halves.some((h) => h.from <= from && from <= h.to)) return from;
  return halves.find((h) => h.from > from)?.from ?? from;
}

/** A period planned: its key and its half terms. */
interface PlannedPeriod {
  key: string;
  halves: string[];
}

/**
 * The periods of one academic year a governor can open, from its half terms in order: each
 * half term, each term, and the year to the end of each half term. Keys "h:KEY", "t:TERM",
 * "y:LASTKEY"; a period with the same half terms as one before it is left out.
 */
function periodsOf(halves: readonly HalfTerm[]): PlannedPeriod[] {
  const periods: PlannedPeriod[] = [];
  const seen = new Set<string>();
  const add = (key: string, list: string[]) => {
    const id = list.join(",");
    if (list.length === 0 || seen.has(id)) return;
    seen.add(id);
    periods.push({ key, halves: list });
  };
  for (const h of halves) add(`h:${h.key}`, [h.key]);
  for (const term of new Set(halves.map((h) => h.term))) add(`t:${term}`, halves.filter((h) => h.term === term).map((h) => h.key));
  halves.forEach((h, i) => add(`y:${h.key}`, halves.slice(0, i + 1).map((x) => x.key)));
  return periods;
}

const cell = (period: string, name: string) => `${period}|${name}`;

/**
 * The plan of `halves` (consecutive half terms of one academic year): for each period of
 * periodsOf, each reason's sessions and whether it is withheld.
 */
function planReasons(rows: readonly PupilReason[], halves: readonly HalfTerm[], min: number | null) {
  const periods = periodsOf(halves);
  const reasons = new Map<string, AbsenceCategory>();
  for (const r of rows) reasons.set(r.label, r.category);
  const cells: DisclosureCell[] = [];
  const sums: SumRule[] = [];
  const values = new Map<string, number>();
  for (const p of periods) {
    const inside = new Set(p.halves);
    const sessions = new Map<string, number>();
    const pupils = new Map<string, Set<string>>();
    for (const r of rows) {
      if (!inside.has(r.half)) continue;
      sessions.set(r.label, (sessions.get(r.label) ?? 0) + r.sessions);
      const set = pupils.get(r.label) ?? new Set<string>();
      set.add(r.upn);
      pupils.set(r.label, set);
    }
    const byCategory: Record<AbsenceCategory, string[]> = { authorised: [], unauthorised: [] };
    const totals: Record<AbsenceCategory, number> = { authorised: 0, unauthorised: 0 };
    for (const [label, category] of reasons) {
      const id = cell(p.key, label);
      const value = sessions.get(label) ?? 0;
      values.set(id, value);
      byCategory[category].push(id);
      totals[category] += value;
      // A reason had by 1 to min − 1 pupils: withheld; its words say only that it had some.
      const small = isSmallCount(pupils.get(label)?.size ?? 0, min);
      cells.push({ id, value, ...(small ? { primary: { lo: 1, hi: Number.POSITIVE_INFINITY } } : {}) });
      if (p.halves.length > 1) sums.push({ total: id, parts: p.halves.map((h) => cell(`h:${h}`, label)) });
    }
    // The school's authorised and unauthorised absence are every governor's (the Overview's
    // rates of its possible sessions): known whatever is printed here, never withheld.
    for (const category of ["authorised", "unauthorised"] as const) {
      cells.push({ id: cell(p.key, category), value: totals[category], public: true });
      sums.push({ total: cell(p.key, category), parts: byCategory[category] });
    }
  }
  const stuck = new Set<string>();
  const hidden = protect(cells, sums, [], { stuck, focused: true });
  publishWorkedOut(cells, hidden, sums);
  return { periods, reasons, values, hidden };
}

/**
 * Focused protection keeps only the reasons of 1 to min − 1 pupils unknown; a reason withheld
 * to protect one may still be worked out (the term's "Holiday not agreed" as its unauthorised
 * absence less the other reasons, beside a half term's withheld). Withholding such a figure
 * hides nothing and would print "withheld" beside a figure a governor can work out (issue 13,
 * trial 17b), so each is published: a figure a reader already has changes no range, so one
 * look suffices (as analytics/suppression.ts does for groups). Changes `hidden` in place.
 */
function publishWorkedOut(cells: readonly DisclosureCell[], hidden: Map<string, "primary" | "secondary">, sums: SumRule[]): void {
  const known = new Map<string, number>();
  const withheld = new Map<string, { lo: number; hi: number }>();
  for (const c of cells) {
    const why = hidden.get(c.id);
    if (why === undefined || c.public) known.set(c.id, c.value);
    else withheld.set(c.id, why === "primary" && c.primary ? c.primary : { lo: 0, hi: Number.POSITIVE_INFINITY });
  }
  for (const [id, b] of inferBounds(known, withheld, sums)) if (b.lo === b.hi && hidden.get(id) === "secondary") hidden.delete(id);
}

/**
 * For each half term of `span` (ISO dates; whole half terms, as every governor's period is):
 * the reasons a governor may read (ReasonFigure), keyed by the half term's key, and (key "")
 * over the whole span. Reasons with no sessions in the span are left out; shown reasons most
 * sessions first, withheld ones after them by name (their order would rank their sessions).
 * `min`: settings.small_group_min; null (staff) withholds nothing. A span that is not whole
 * half terms of one academic year is planned on its own (no half term inside it planned).
 */
export async function governorReasons(connection: Connection, span: { from: string; to: string }, min: number | null): Promise<Map<string, ReasonFigure[]>> {
  const all = await halfTermsOf(connection);
  const inside = all.filter((h) => h.from >= span.from && h.to <= span.to);
  const year = inside[0]?.academicYear;
  const whole = inside.length > 0 && inside.every((h) => h.academicYear === year) && inside[0].from === span.from && inside.at(-1)!.to === span.to;
  // The year's half terms a governor can open (ended by today), and any of the span's.
  const horizon = governorHorizon(all, currentDate()) ?? "";
  const planned: HalfTerm[] = whole ? all.filter((h) => h.academicYear === year && (h.to <= horizon || h.to <= span.to)) : [{ key: "span", term: "span", academicYear: "span", from: span.from, to: span.to }];
  const from = schoolDayFrom(all, planned[0].from);
  const to = planned.at(-1)!.to;
  let rows = await pupilReasons(connection, from, to);
  if (!whole) rows = rows.map((r) => ({ ...r, half: "span" }));
  const plan = planReasons(rows, planned, min);
  const spanHalves = whole ? inside.map((h) => h.key) : ["span"];
  const spanPeriod = plan.periods.find((p) => p.halves.join(",") === spanHalves.join(","))!;
  const figures = (periodKey: string): ReasonFigure[] => {
    const result: ReasonFigure[] = [];
    for (const [label, category] of plan.reasons) {
      const id = cell(periodKey, label);
      const sessions = plan.values.get(id) ?? 0;
      if (sessions === 0) continue;
      const withheld = min !== null && plan.hidden.has(id);
      result.push({ label, category, sessions: withheld ? null : sessions, withheld: withheld ? WITHHELD_TEXT : null });
    }
    return result.sort((a, b) => (a.sessions === null) !== (b.sessions === null) ? (a.sessions === null ? 1 : -1) : (b.sessions ?? 0) - (a.sessions ?? 0) || a.label.localeCompare(b.label));
  };
  const result = new Map<string, ReasonFigure[]>([["", figures(spanPeriod.key)]]);
  if (whole) for (const h of inside) result.set(h.key, figures(`h:${h.key}`));
  return result;
}
