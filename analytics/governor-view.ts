/**
 * What a governor may see of the pupils a page's filter chooses — over the whole span, or over
 * each period of a breakdown (every week, month, half term, term or academic year of Trends
 * and Codes, every date of Patterns, the Overview's weeks). Issue 9 (governors: "groups below
 * the school's small-group minimum are suppressed on every page a governor sees") and issue
 * 13, cases 8–9 (suppression that survives subtraction).
 *
 * Every decision is read from ONE plan per period for every view a governor can open
 * (analytics/governor-lattice.ts), not planned view by view: a view planned on its own can be
 * safe while two views together are not (FSM pupils in Year 3 withheld on Groups filtered to
 * Year 3, but the whole school's FSM figure and every other year's published: Year 3's is the
 * difference). The plan's cells are the school, each year group and each class, by all pupils
 * and (the school and each year group) by each value of each characteristic (and, over a whole span, the rest of the unit
 * beside each value, as Groups shows it), with every sum between them; primary then
 * complementary suppression (analytics/suppression.ts) decides them all at once, so a figure
 * withheld in one view is withheld wherever it appears.
 *
 * Which views a governor can reach is enforced by the loaders (restrictGovernorFilter, in
 * app/lib/view.server.ts) before anything is computed:
 * - Overview, Trends, Codes, Patterns (figures by period): one filter at a time — a year
 *   group, a class or one characteristic. Each period's plan covers the units' own figures
 *   and the whole school's characteristic groups ("cross" shape); a term or longer also plans
 *   the persistently and severely absent counts (a week's page gives none).
 * - Year groups & classes: a class, or a year group with one characteristic; Groups: a year
 *   group (it compares every characteristic itself). A pupil group within a class is never
 *   given (analytics/governor-lattice.ts WITHIN_CLASS_TEXT). Both read the whole span's plan
 *   ("full" shape), which the period pages' headline figures read too.
 * - Never a single pupil, never two characteristics together (their cells would be a table of
 *   every combination, too many and too small to publish).
 * Within a year group or class, a characteristic's persistently and severely absent counts
 * are not given (a handful of pupils whose "fewer than 5" cells, counted, pin each other).
 * Throws for a filter outside these rules, and what the measures throw (a bad period).
 */
import type { Connection } from "./db.ts";
import { persistentAbsenceMeasured, schoolDaysOf } from "./pa-span.ts";
import { addDays, endOfMonth, format, parseISO } from "date-fns";
import { governorLattice, governorSlicePlans, type LatticePlan, type LatticeShape } from "./governor-lattice.ts";
import { halfTermsOf } from "./governor-periods.ts";
import { summariseBy, withRates, type GroupMeasures, type MeasureQuery, type Measures, type PupilFilter, type SessionDimension, type SessionMeasures } from "./measures.ts";
import { NOTHING_WITHHELD, withoutFigures, type SuppressionPlan, type Withheld } from "./suppression.ts";


/** A group's row as a plan leaves it, in the words printed instead of its figures. */
export function withheldOf(plan: SuppressionPlan, key: string): Withheld {
  if (plan.rowHidden(key)) {
    const text = plan.text(key, "pupils");
    return { row: text, pa: text, sa: text };
  }
  return {
    row: null,
    pa: plan.hidden(key, "pa_pupils") ? plan.text(key, "pa_pupils") : null,
    sa: plan.hidden(key, "sa_pupils") ? plan.text(key, "sa_pupils") : null,
  };
}

/**
 * Measures with what `withheld` withholds taken out (counts 0, rates null), so the figures
 * never leave the server. The whole row: every figure (but the pupils where every reader has
 * them: Withheld.pupilsKnown); PA or SA: that count and its rate; the
 * absence in sessions (`withheld.absence`: applyAbsentWithheld).
 */
export function applyWithheld<M extends Measures>(measures: M, withheld: Withheld): M {
  if (withheld.row) return withheld.pupilsKnown ? { ...withoutFigures(measures), pupils: measures.pupils } : withoutFigures(measures);
  const shown = applyAbsentWithheld(measures, withheld);
  if (withheld.pa) {
    shown.pa_pupils = 0;
    shown.pa_pct = null;
  }
  if (withheld.sa) {
    shown.sa_pupils = 0;
    shown.sa_pct = null;
  }
  return shown;
}

/**
 * The rule for session counts beside a withheld count of pupils absent (issue 13, case 9;
 * docs/DEFINITIONS.md "Small groups"): each pupil absent at least once has 1 to 2 absent
 * sessions a day, so pupils absent ≤ absent sessions ≤ 2 × school days × pupils absent. One
 * class on one day with "fewer than 5" pupils absent and "1 session" of authorised absence
 * has 1 pupil absent; 8 sessions on one day is 4 pupils. So where a page gives a governor
 * the pupils absent at least once and that count is withheld (`withheld.absent`, from the
 * span's plan), the group's absence in sessions goes with it: present, AEA, authorised and
 * unauthorised sessions 0 and every rate null (attendance and absence rates with the
 * possible sessions give the absent sessions back). The pupils and possible sessions stay.
 * The span's plan says where (`withheld.absence`: each cell whose count is withheld, and
 * those withheld so that none is a total less the others: analytics/governor-lattice.ts
 * absenceWithheld); unchanged where it does not (a count shown, or a span over which the
 * count is given nowhere).
 */
export function applyAbsentWithheld<M extends Measures>(measures: M, withheld: Withheld): M {
  if (withheld.row) return withoutFigures(measures);
  if (!withheld.absence) return { ...measures };
  const shown = { ...measures };
  for (const k of ["present_sessions", "aea_sessions", "authorised_sessions", "unauthorised_sessions"] as const) shown[k] = 0;
  for (const k of ["attendance_pct", "absence_pct", "authorised_pct", "unauthorised_pct"] as const) shown[k] = null;
  return shown;
}

/**
 * The span's absence withheld with its pupils absent at least once (the text printed for the
 * count), for a page whose figures are all absence in slices of the span — weeks, months,
 * weekdays, days, codes — which add up to the span's absent sessions (Trends, Codes,
 * Patterns); null when the count is shown, or the whole row is withheld (the page then says
 * that instead). `span`: the span's Withheld (governorWithheldBy with `by` null), null for staff.
 */
export function absenceWithheldOf(span: Withheld | null): string | null {
  return span && !span.row ? (span.absence ?? null) : null;
}

/**
 * Whether a governor is given the pupils absent at least once over a span, rather than
 * persistent and severe absence: the span has fewer than PA_MIN_SCHOOL_DAYS school days with
 * marks for the whole school (analytics/pa-span.ts). Counted for the whole school, whatever
 * the filter, so that the same span is short on every page and for every filter: the rule
 * that a cell withheld over a short half term is withheld over every period containing it
 * (analytics/governor-lattice.ts) then covers every count a governor is given.
 */
export async function governorSpanIsShort(connection: Connection, span: { from: string; to: string }): Promise<boolean> {
  return !persistentAbsenceMeasured((await schoolDaysOf(connection, { from: span.from, to: span.to })).length);
}

/**
 * For a page of absence in slices of the query's span (Trends, Codes, Patterns): the whole
 * span's row withheld (`spanWithheld`, the printed reason) or else, over a span short enough
 * for the Overview to give the pupils absent at least once (governorSpanIsShort), its
 * absence withheld with that count (`absenceWithheld`, absenceWithheldOf); both null for
 * staff (`min` null) and when the governor may see them. Over a longer span the count is
 * given nowhere, so there is no count for the sessions to give away. `min`: the small-group
 * minimum.
 */
export async function governorSpanWithheld(connection: Connection, query: MeasureQuery, min: number | null): Promise<{ spanWithheld: string | null; absenceWithheld: string | null }> {
  if (min === null) return { spanWithheld: null, absenceWithheld: null };
  const span = (await governorWithheldBy(connection, query, null, min)).get("") ?? null;
  const short = await governorSpanIsShort(connection, query);
  return { spanWithheld: span?.row ?? null, absenceWithheld: short ? absenceWithheldOf(span) : null };
}

/** True when something of the row is withheld. */
export function anyWithheld(withheld: Withheld): boolean {
  return Boolean(withheld.row || withheld.pa || withheld.sa);
}

/**
 * For each period of `by` (or the whole span, key "", when `by` is null): what a governor may
 * not see of the pupils `query.filter` chooses — the whole row ("fewer than 5 pupils —
 * suppressed", or withheld so a small group cannot be worked out), or the PA / SA counts —
 * read from the one plan of every view of that period (governorLattice). `shape` as there:
 * by default "full" over a whole span, "cross" for a breakdown. Periods without marks are not
 * in the map; a period where the filter chooses no pupils and no sessions withholds nothing. `min` is the
 * school's small_group_min (settings). Throws for a filter a governor may not use on such a
 * page (restrictGovernorFilter) and what the measures throw (a bad period).
 */
export async function governorWithheldBy(
  connection: Connection,
  query: MeasureQuery,
  by: SessionDimension | null,
  min: number,
  shape?: LatticeShape,
): Promise<Map<string, Withheld>> {
  const plans = await governorLattice(connection, query, by, min, shape);
  const filter = query.filter ?? {};
  return new Map([...plans].map(([period, plan]) => [period, plan.withheld(filter)]));
}

/**
 * The plan of every view of the query's whole span (governorLattice, "full"), for a page
 * that shows several of them at once (Year groups & classes, Groups); null when the span has
 * no marks (every figure is then 0). `min` as above.
 */
export async function governorSpan(connection: Connection, query: MeasureQuery, min: number): Promise<LatticePlan | null> {
  return (await governorLattice(connection, query, null, min)).get("") ?? null;
}

/** What a span plan withholds of a filter's pupils (nothing without a plan: no marks). */
export function withheldIn(plan: LatticePlan | null, filter: PupilFilter): Withheld {
  return plan ? plan.withheld(filter) : NOTHING_WITHHELD;
}

/** What a governor may see of a period's slices (weeks, months, days, weekdays, sessions). */
export interface GovernorSlices {
  /**
   * The words printed in place of a slice of the filter's pupils from `from` to `to` (ISO
   * dates), or null when it is shown: withheld when, in any half term it overlaps, the
   * pupils' slices are withheld (analytics/governor-lattice.ts governorSlicePlans).
   */
  withheld(from: string, to: string): string | null;
}

/** Staff: every slice shown. */
export const NO_SLICES_WITHHELD: GovernorSlices = { withheld: () => null };

/**
 * For a governor's page of slices of the query's period (the Overview's weeks; Trends and
 * Codes by week or month; Patterns by weekday, session and day; the FGB pack's weekly tab):
 * the decision for each slice, one per half term for every breakdown, so that no slice can be
 * worked out from the period's total and the other slices, nor from another breakdown's
 * (governorSlicePlans). `min` null (staff): nothing withheld. Throws for a filter a governor
 * may not use on such a page, and what the measures throw.
 */
export async function governorSlices(connection: Connection, query: MeasureQuery, min: number | null): Promise<GovernorSlices> {
  if (min === null) return NO_SLICES_WITHHELD;
  const filter = query.filter ?? {};
  const halves = (await governorSlicePlans(connection, query, min)).map(({ half, plan }) => ({ half, text: plan.withheld(filter).row }));
  return {
    withheld(from, to) {
      for (const { half, text } of halves) if (text && half.from <= to && half.to >= from) return text;
      return null;
    },
  };
}

/**
 * Whether a page may give absence by kind (authorised, unauthorised) and by reason (the
 * governors' code families, or codes for staff) in each slice of a period `by` day, week,
 * month, weekday or session: always for staff (`min` null); for a governor only by half term,
 * term or academic year (each of which they can read as a period of its own). A day's absent
 * sessions are 1 or 2 for each pupil absent, so a kind's or a reason's sessions in a day, week
 * or month of any unit are nearly always 1 to 4 pupils ("Unauthorised absence: 1 session" on a
 * Tuesday is one pupil; "Exclusion: 2 sessions" in the week of 14 September too): a governor's
 * slices give total absence and attendance (and possible sessions) only, withheld as a whole
 * where a day has 1 to 4 pupils absent at all (governorSlices). Not withheld week by week
 * instead: one week withheld would be the period's split (its own page) less the others.
 * Rule: docs/DEFINITIONS.md "Weeks, months, days and weekdays inside a period".
 */
export function splitGivenBy(min: number | null, by: "date" | "week" | "month" | "weekday" | "session" | "half_term" | "term" | "academic_year"): boolean {
  return min === null || by === "half_term" || by === "term" || by === "academic_year";
}

/**
 * A slice's figures, with its absence in all (sessions, authorised and unauthorised) and its
 * absence by kind null where splitGivenBy refuses it.
 */
export type SliceFigures<M extends SessionMeasures> = Omit<M, "authorised_sessions" | "unauthorised_sessions" | "authorised_pct" | "unauthorised_pct"> & {
  absence_sessions: number;
  authorised_sessions: number | null;
  unauthorised_sessions: number | null;
  authorised_pct: number | null;
  unauthorised_pct: number | null;
};

/**
 * A slice's measures (one group of summariseBy `by`) as a page may send them: unchanged where
 * splitGivenBy(min, by) allows the split, else with authorised and unauthorised sessions and
 * rates null (attendance, absence and possible sessions kept), with `absence_sessions`
 * (authorised + unauthorised) added either way; for a governor (`min` not null), AEA folded
 * into sessions attended whatever `by` (attendedOnly). Every loader and pack
 * section that gives governors a day, week, month, weekday or session reads its figures
 * through this, so none sends the split. Pure; throws nothing.
 */
export function governorSliceFigures<M extends SessionMeasures>(min: number | null, by: Parameters<typeof splitGivenBy>[1], measures: M): SliceFigures<M> {
  const absence_sessions = measures.authorised_sessions + measures.unauthorised_sessions;
  const attended = min === null ? measures : attendedOnly(measures);
  if (splitGivenBy(min, by)) return { ...attended, absence_sessions };
  return { ...attended, absence_sessions, authorised_sessions: null, unauthorised_sessions: null, authorised_pct: null, unauthorised_pct: null };
}

/**
 * Measures as a governor is given them: sessions attended in all, never approved educational
 * activity on its own — `present_sessions` becomes present + AEA and `aea_sessions` 0 (every
 * other figure, and the attendance rate, unchanged). AEA (off-site provision, K; sporting or
 * educational visits …) is a handful of pupils in any slice or group: "2 sessions of AEA" in
 * the week of 21 September was one pupil's two K marks (fresh-clone trial, session 21), and
 * it is not a cell of the suppression plan (analytics/governor-lattice.ts), so it is not
 * given at all; attended sessions are possible less absent, both given. Pages and CSVs that
 * sum present and AEA for "sessions attended" read the same total. Pure.
 */
export function attendedOnly<M extends SessionMeasures>(measures: M): M {
  return { ...measures, present_sessions: measures.present_sessions + measures.aea_sessions, aea_sessions: 0 };
}

/**
 * Whether a page may give absence by reason (code family) over a period for the pupils a
 * filter chooses: always for staff (`min` null); for a governor only for the whole school.
 * A year group's, class's or pupil group's reasons are a handful of pupils each ("Arrived
 * after registers closed: 1 session" for class 5B over a half term is one pupil), and each
 * unit's reasons are the school's less the other units', so they are not given at all; the
 * unit's absence by category (authorised, unauthorised) is, as on its Overview.
 * Rule: docs/DEFINITIONS.md "Weeks, months, days and weekdays inside a period".
 */
export function reasonsGivenFor(min: number | null, filter: PupilFilter | undefined): boolean {
  return min === null || Object.values(filter ?? {}).every((value) => !value);
}

/** A slice's first and last dates: a week by its Monday ("2026-09-07"), a month ("2026-09"), a date. */
export function sliceDates(by: "week" | "month" | "date", group: string): { from: string; to: string } {
  const iso = (date: Date) => format(date, "yyyy-MM-dd");
  if (by === "date") return { from: group, to: group };
  if (by === "week") return { from: group, to: iso(addDays(parseISO(group), 6)) };
  return { from: `${group}-01`, to: iso(endOfMonth(parseISO(`${group}-01`))) };
}

/**
 * For a governor's breakdown of a period into periods a governor can open themselves (Trends
 * and Codes by half term, term or academic year): each one's figures withheld as over that
 * period (its half terms inside the query's span, from the first's first school day to the
 * last's last: the plan of governorWithheldBy over it, with every cell withheld in one of its
 * half terms withheld: analytics/governor-lattice.ts), so a term on Trends reads as the term's
 * own page. Keyed by the breakdown's group (a half term's, term's or year's key); groups with
 * no half term inside the span are left out. Throws what governorWithheldBy throws.
 */
export async function governorPeriodsWithheld(connection: Connection, query: MeasureQuery, by: "half_term" | "term" | "academic_year", min: number): Promise<Map<string, Withheld>> {
  const inside = (await halfTermsOf(connection)).filter((h) => h.from >= query.from && h.to <= query.to);
  const groups = new Map<string, { from: string; to: string }>();
  for (const h of inside) {
    const key = by === "half_term" ? h.key : by === "term" ? h.term : h.academicYear;
    const span = groups.get(key);
    groups.set(key, { from: span?.from ?? h.from, to: h.to });
  }
  const result = new Map<string, Withheld>();
  for (const [key, span] of groups) result.set(key, (await governorWithheldBy(connection, { ...span, filter: query.filter }, null, min)).get("") ?? NOTHING_WITHHELD);
  return result;
}

/**
 * For a governor's page of a period by week, month, day, half term, term or academic year
 * (Trends, Codes): what is withheld of each group of the breakdown — weeks, months and days
 * as slices (governorSlices: the whole row, said with its words), half terms, terms and years
 * as periods (governorPeriodsWithheld). Groups shown are not in the map. `min`: the
 * small-group minimum. Throws what those throw.
 */
export async function governorBreakdownWithheld(
  connection: Connection,
  query: MeasureQuery,
  by: "week" | "month" | "date" | "half_term" | "term" | "academic_year",
  min: number,
): Promise<Map<string, Withheld>> {
  if (by === "half_term" || by === "term" || by === "academic_year") return governorPeriodsWithheld(connection, query, by, min);
  const slices = await governorSlices(connection, query, min);
  const result = new Map<string, Withheld>();
  // Every slice the school has, the chosen pupils' empty ones too (governorBreakdownRows).
  for (const group of await schoolSlicesOf(connection, query, by)) {
    const { from, to } = sliceDates(by, group.group);
    const text = slices.withheld(from, to);
    if (text) result.set(group.group, { row: text, pa: text, sa: text });
  }
  return result;
}

/** The groups of the whole school's breakdown of the query's span `by` (its pupil filter aside) with possible sessions, in the measures' order. */
async function schoolSlicesOf(connection: Connection, query: MeasureQuery, by: "week" | "month" | "date" | "half_term" | "term" | "academic_year"): Promise<GroupMeasures[]> {
  return (await summariseBy(connection, { from: query.from, to: query.to }, by)).filter((group) => group.possible_sessions > 0);
}

/**
 * A governor's rows of a breakdown of a period (Trends and Codes by week, month or half term …,
 * Patterns' days): `rows`, the chosen pupils' groups of summariseBy `by` with possible
 * sessions, with a row added for each slice of the whole school's in which those pupils have
 * none but that `withheld` withholds (its measures all 0 and null, which the caller prints as
 * withheld, as it does a small slice's), in the school's order. A slice with no pupils of the
 * group was left out while one with a few read "withheld", so whether the group had anyone in
 * a half term showed (issue 13, cases 8–9; the rule: analytics/governor-lattice.ts
 * LatticePlan.withheld reads a characteristic with no pupils as a small group). A slice with
 * no pupils that is not withheld (the half term's slices given: the group has enough pupils
 * there) stays out, as for staff. Throws what summariseBy throws.
 */
export async function governorBreakdownRows(
  connection: Connection,
  query: MeasureQuery,
  by: "week" | "month" | "date" | "half_term" | "term" | "academic_year",
  rows: GroupMeasures[],
  withheld: (group: string) => boolean,
): Promise<GroupMeasures[]> {
  const mine = new Map(rows.map((row) => [row.group, row]));
  const school = await schoolSlicesOf(connection, query, by);
  const none = (group: string): GroupMeasures => ({ group, ...withRates({ pupils: 0, possible_sessions: 0, present_sessions: 0, aea_sessions: 0, authorised_sessions: 0, unauthorised_sessions: 0, pa_pupils: 0, sa_pupils: 0 }) });
  const ordered = school.flatMap((slice) => (mine.has(slice.group) ? [mine.get(slice.group)!] : withheld(slice.group) ? [none(slice.group)] : []));
  // Any of the group's slices the school's list lacks (none expected): after them, as before.
  const known = new Set(school.map((slice) => slice.group));
  return [...ordered, ...rows.filter((row) => !known.has(row.group))];
}
