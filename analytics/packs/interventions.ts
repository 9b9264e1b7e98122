/**
 * The packs' interventions and earlier-warning sections, built from the same analytics
 * functions as the Interventions and Early warning pages:
 * - SLT (staff): each type's effect with the small-n rule, the month's interventions named
 *   with before/after, the absence bands, pupils trending down, spells, and the forecast;
 * - FGB (governors): counts of interventions recorded, by type only (see
 *   fgbInterventionCounts for which are withheld).
 */
import { pupilListName } from "../pupil-name.ts";
import type { Connection } from "../db.ts";
import { absenceBands, absenceSpells, trendingDown, TRENDING_CHANGE_WORDS } from "../early-warning.ts";
import { DAY_SPELLS_LABEL } from "../absence-run-words.ts";
import { forecastYearEnd, FORECAST_METHOD } from "../forecast.ts";
import { AFTER_EARLIER_NOTE, earlierActionWords, effectByType, interventionEffects, interventionsRecorded, recordedByType, type InterventionEffect, type TypeEffect } from "../interventions/effect.ts";
import type { Settings } from "../settings.ts";
import type { Block, Cell, PackSection, PackTable } from "./model.ts";
import { day, diff, num, pct, rate, rateBesideLines, text, ukDate } from "./format.ts";
import type { PackPeriods } from "./sections.ts";
import { pupilCountCell } from "./suppress.ts";
import { halfTermsOf } from "../governor-periods.ts";
import { WITHHELD_TEXT } from "../suppression.ts";
import { formatThreshold, targetVerdict } from "../thresholds.ts";

/**
 * The forecast's tag: the one verdict (targetVerdict), with the figure to the decimals that
 * show why when it prints as the target (a projection of 96.08 % read "96.1%", "Below target").
 */
export function forecastStatus(projected: number, target: number): { text: string; tone: "good" | "bad" } {
  const verdict = targetVerdict(projected, target);
  const why = verdict.precise ? ` (${verdict.why})` : "";
  return verdict.meets ? { text: `On course for target${why}`, tone: "good" } : { text: `Below target${why}`, tone: "bad" };
}
import { bandPopulationWords, forecastPopulationWords } from "../population-words.ts";

const LIST_ROWS = 25;

function effectRow(t: TypeEffect, min: number): Cell[] {
  const withheld: Cell = { kind: "suppressed", text: `too few to judge (fewer than ${min} measured)` };
  return [
    text(t.label),
    num(t.recorded),
    num(t.measured),
    t.too_few ? withheld : diff(t.mean_change_points),
    t.too_few ? withheld : rate(t.improved_pct),
    t.too_few || t.after_earlier === null ? withheld : num(t.after_earlier),
  ];
}

/** An intervention's label, with the earlier action its before window holds (effect.ts earlierActionWords). */
const labelOf = (e: InterventionEffect): Cell => text(e.earlier ? `${e.label} — ${earlierActionWords(e.earlier, ukDate, e.before_to)}` : e.label);

/** SLT: interventions this academic year by type, and this month's named, with their effect. */
export async function sltInterventionsSection(connection: Connection, periods: PackPeriods, settings: Settings): Promise<PackSection> {
  const asOf = periods.yearToDate.to;
  const effects = await interventionEffects(connection, { from: periods.yearToDate.from, to: asOf, asOf });
  const byType = effectByType(effects, settings.small_group_min);
  const month = effects.filter((e) => e.date >= periods.period.from && e.date <= periods.period.to);
  const measured = effects.filter((e) => e.measured);
  return {
    id: "interventions",
    title: "Interventions and their effect",
    sheet: "Interventions",
    intro:
      "Attendance in the 4 school weeks before each intervention against the 4 school weeks after it (the intervention's own week in neither). " +
      `Means and shares are withheld for types with fewer than ${settings.small_group_min} measured interventions.`,
    blocks: [
      {
        kind: "table",
        table: {
          caption: `Interventions by type, ${ukDate(periods.yearToDate.from)} to ${ukDate(asOf)}`,
          columns: [{ label: "Intervention" }, { label: "Recorded", numeric: true }, { label: "Measured", numeric: true }, { label: "Mean change", numeric: true }, { label: "Improved", numeric: true }, { label: "After another action", numeric: true }],
          rows: byType.map((t) => effectRow(t, settings.small_group_min)),
          empty: "No intervention has been recorded this academic year.",
          note: AFTER_EARLIER_NOTE,
        },
      },
      {
        kind: "table",
        table: {
          caption: `Interventions recorded this month (${month.length})`,
          columns: [{ label: "Date" }, { label: "Pupil" }, { label: "Class" }, { label: "Intervention" }, { label: "4 weeks before", numeric: true }, { label: "4 weeks after", numeric: true }, { label: "Change", numeric: true }],
          rows: month.map((e) => [day(e.date), text(pupilListName(e)), text(e.reg_group), labelOf(e), rate(e.before_pct), rate(e.after_pct), diff(e.change_points)]),
          empty: "No intervention was recorded this month.",
          note: "The 4 weeks after have not yet passed for the most recent ones.",
        },
      },
      {
        kind: "table",
        table: {
          caption: `Measured this year: the biggest changes either way (${measured.length} measured)`,
          columns: [{ label: "Date" }, { label: "Pupil" }, { label: "Intervention" }, { label: "4 weeks before", numeric: true }, { label: "4 weeks after", numeric: true }, { label: "Change", numeric: true }],
          rows: [...measured]
            .sort((a, b) => Math.abs(b.change_points as number) - Math.abs(a.change_points as number))
            .slice(0, 10)
            .map((e) => [day(e.date), text(pupilListName(e)), labelOf(e), rate(e.before_pct), rate(e.after_pct), diff(e.change_points)]),
          empty: "No intervention has had 4 school weeks after it yet.",
        },
      },
    ],
  };
}

/** SLT: the forecast, absence bands, pupils trending down and spells of absence, at the pack's date. */
export async function sltEarlyWarningSection(connection: Connection, periods: PackPeriods, settings: Settings): Promise<PackSection> {
  const asOf = periods.yearToDate.to;
  const forecast = await forecastYearEnd(connection, asOf);
  const bands = await absenceBands(connection, asOf);
  const trending = await trendingDown(connection, asOf);
  const spells = await absenceSpells(connection, asOf);
  const bandTable: PackTable = {
    // Which pupils: every pupil with enough sessions, leavers included (not the forecast's, on roll today).
    caption: `Pupils by 5% band of absence, year to date: the ${bandPopulationWords(bands.pupils.length)}`,
    columns: [{ label: "Absence" }, { label: "Pupils", numeric: true }],
    rows: bands.bands.map((b) => [text(b.label), num(b.pupils)]),
  };
  const blocks: Block[] = [
    {
      kind: "figures",
      items: [
        {
          label: "Projected year-end attendance",
          value: rate(forecast.projected_pct),
          details: [`Target ${formatThreshold(settings.target_attendance_pct, 1)}; ${pct(forecast.ytd_pct)} so far`],
          status:
            forecast.projected_pct === null
              ? undefined
              : forecastStatus(forecast.projected_pct, settings.target_attendance_pct),
        },
        {
          label: "Projected persistently absent",
          value: num(forecast.projected_pa_pupils),
          details: [
            forecast.pa_now_not_given
              ? `Of the ${forecastPopulationWords(forecast)}. ${forecast.pa_now_not_given}`
              : `${forecast.pa_pupils_now} persistently absent so far, of the ${forecastPopulationWords(forecast)}`,
          ],
        },
      ],
    },
    { kind: "paragraphs", heading: "How the forecast works", items: [FORECAST_METHOD] },
    { kind: "table", table: bandTable },
    {
      kind: "table",
      table: {
        caption: `Below their year to date: latest 4 school weeks at least 5 points under it (${trending.length})`,
        columns: [{ label: "Pupil" }, { label: "Class" }, { label: "Year to date", numeric: true }, { label: "Latest 4 school weeks", numeric: true }, { label: "Change", numeric: true }],
        rows: trending.slice(0, LIST_ROWS).map((t) => [text(pupilListName(t)), text(t.reg_group), rateBesideLines(t.ytd_pct, settings.attendance_thresholds), rateBesideLines(t.recent_pct, settings.attendance_thresholds), diff(t.change_points)]),
        empty: "No pupil's latest 4 school weeks are 5 points or more below their year to date.",
        note: TRENDING_CHANGE_WORDS,
      },
    },
    {
      kind: "table",
      table: {
        caption: `Most separate ${DAY_SPELLS_LABEL.toLowerCase()} this year (runs of consecutive whole school days absent; not the runs of absent sessions in the pupil tables)`,
        columns: [{ label: "Pupil" }, { label: "Class" }, { label: "Spells", numeric: true }, { label: "Days absent", numeric: true }, { label: "Longest spell (days)", numeric: true }],
        rows: spells.slice(0, LIST_ROWS).map((s) => [text(pupilListName(s)), text(s.reg_group), num(s.spells), num(s.days_absent), num(s.longest_spell_days)]),
        empty: "No pupil has missed a whole day this year.",
      },
    },
  ];
  return { id: "early-warning", title: "Earlier warning and the year-end forecast", sheet: "Early warning", blocks };
}

/**
 * FGB: interventions by type this academic year (to the end of the pack's last ended half
 * term) — counts only, small counts withheld ("withheld", WITHHELD_TEXT).
 *
 * A type's counts are withheld when its count recorded in any half term of the year to date
 * is from 1 to min − 1 (issue 13, cases 8–9: the rule every governor's figure follows, a
 * figure withheld in a half term withheld in every period containing it). Why: every term's
 * pack is there for a governor to open, and each gives the year to date to a different half
 * term's end, so two packs subtract — the spring pack's phone calls less the autumn pack's
 * are Spring 1's, "1" where each pack alone printed 5 and 6 (test/governor-break.test.ts).
 * Counts recorded add up over dates, so a published year-to-date count is then a sum of
 * half terms' counts each 0 or at least min, and so is any difference of two: no count of
 * 1 to min − 1 follows. A half term here runs from the day after the one before it ended
 * (the first from the year's start) to its own last school day (the last to the pack's end):
 * an intervention can be dated in a holiday, which is the next half term's, as it is the
 * next pack's.
 *
 * No count of those with 4 school weeks after them (measured): it grows as entries mature,
 * not as they are recorded, so two packs' counts differed by the entries whose 4th week
 * after ended between them (five letters in the first week of September and two in the
 * second: 5 in the pack to the end of Autumn 1, 7 in the next, "2" by subtraction), and a
 * pack's recorded less its measured gave the entries still waiting (7 − 5 = 2). Governors
 * see no effect figure to go with it (SLT do), so the count is left out rather than given
 * a third rule of its own.
 */
export async function fgbInterventionCounts(connection: Connection, periods: PackPeriods, min: number): Promise<Block> {
  const asOf = periods.yearToDate.to;
  // Counts recorded alone: no windows' attendance (interventionsRecorded), none printed here.
  const entries = await interventionsRecorded(connection, { from: periods.yearToDate.from, to: asOf });
  const byType = recordedByType(entries);
  // Each half term's last school day before the pack's end: a half term runs from the day
  // after the one before it ended (the first from the year's start) to its own last day, so
  // the holiday after a half term is the next one's. Every pack ends on a half term's last
  // day, so each pack's entries are whole half terms' of these; split at the half terms'
  // first days instead, the holiday after Autumn 2 was Autumn 2's, outside the autumn pack
  // and inside the spring pack's Autumn 2: two calls of 22 December were the spring pack's 12
  // less the autumn pack's 10 (test/governor-break-interventions.test.ts).
  const ends = (await halfTermsOf(connection)).filter((h) => h.from >= periods.yearToDate.from && h.to < asOf).map((h) => h.to);
  const halfOf = (date: string) => ends.filter((end) => end < date).length;
  const smallInAHalfTerm = (type: string) => {
    const counts = new Map<number, number>();
    for (const e of entries) if (e.type === type) counts.set(halfOf(e.date), (counts.get(halfOf(e.date)) ?? 0) + 1);
    return [...counts.values()].some((n) => n > 0 && n < min);
  };
  const withheld: Cell = { kind: "suppressed", text: WITHHELD_TEXT };
  return {
    kind: "table",
    table: {
      caption: `Interventions recorded this academic year, by type (to ${ukDate(asOf)})`,
      columns: [{ label: "Intervention" }, { label: "Recorded", numeric: true }],
      rows: byType.map((t) => (smallInAHalfTerm(t.type) ? [text(t.label), withheld] : [text(t.label), pupilCountCell(t.recorded, min)])),
      empty: "No intervention has been recorded this academic year.",
    },
  };
}
