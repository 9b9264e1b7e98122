/**
 * Which pupils a count counts, in words, for every page that prints "N of M pupils": the
 * early-warning forecast counts pupils on roll today, the absence bands every pupil with
 * enough sessions this year (leavers included), the Overview every pupil with a session in
 * the period (leavers included). Printed beside each other, two counts of pupils must say
 * which pupils they are, or they read as two answers to one question (238 beside 240).
 * Pure and client-safe: no database, no app imports.
 */
import { format, parseISO } from "date-fns";
import { enGB } from "date-fns/locale";
import { yearGroupWords } from "./year-group-words.ts";
import { classWords } from "./class-words.ts";

/** Possible sessions a pupil needs this year to be placed in an absence band (analytics/early-warning.ts). */
export const BAND_MIN_POSSIBLE_SESSIONS = 20;

const pupilsWord = (n: number) => `${n.toLocaleString("en-GB")} ${n === 1 ? "pupil" : "pupils"}`;

/**
 * The forecast's pupils (analytics/forecast.ts: on roll on `asOf`, with a possible session this
 * year), and who is left out: "238 pupils on roll on 1 Dec 2026 (2 who left this year are not projected)".
 */
export function forecastPopulationWords(forecast: { as_of: string; pupils: readonly unknown[]; left_pupils: number }): string {
  const onRoll = `${pupilsWord(forecast.pupils.length)} on roll on ${format(parseISO(forecast.as_of), "d MMM yyyy", { locale: enGB })}`;
  return forecast.left_pupils > 0 ? `${onRoll} (${forecast.left_pupils.toLocaleString("en-GB")} who left this year ${forecast.left_pupils === 1 ? "is" : "are"} not projected)` : onRoll;
}

/** The absence bands' pupils: "240 pupils with at least 20 possible sessions this year (leavers included)". */
export function bandPopulationWords(pupils: number): string {
  return `${pupilsWord(pupils)} with at least ${BAND_MIN_POSSIBLE_SESSIONS} possible sessions this year (leavers included)`;
}

/**
 * A period's pupils (the measures' `pupils`: a possible session in the period): "240 pupils
 * with sessions in the period (leavers included)". `leaversApart`: the leavers' row's words
 * ("Left before Summer 2") where a governor's count of a group leaves them out
 * (analytics/leavers-count.ts leaversCountedApart): "117 pupils with sessions in Summer 2 (those
 * who left before it are counted in the school's “Left before Summer 2” row on the Groups and
 * Year groups & classes pages, not here; their sessions stay in this group's attendance)" —
 * the row is named with where it is (trial19b: the Overview, which has no such row, named it).
 */
export function periodPopulationWords(pupils: number, leaversApart: string | null = null): string {
  if (leaversApart === null) return `${pupilsWord(pupils)} with sessions in the period (leavers included)`;
  const half = leaversApart.replace(/^Left before /, "");
  return `${pupilsWord(pupils)} with sessions in ${half} (those who left before it are counted in the school's “${leaversApart}” row on the Groups and Year groups & classes pages, not here; their sessions stay in this group's attendance)`;
}

/**
 * Who a "what changed" comparison compares, in words printed under it (trial 16a: a governor's
 * Year 3 compared Summer 2 2026 with Autumn 1 2026 "+0.6 pts, better" — last year's Year 3, now
 * Year 4, against this year's). Periods ISO, inclusive; `filter` the page's pupil filter
 * (year_group, reg_group, and `characteristic`: whether another filter, SEN, FSM, an ethnicity
 * and the like, chooses the pupils); `labels` the two periods' names. Within one academic year the
 * same filter chooses the same pupils, bar joiners and leavers; across 1 August it does not: a
 * year group and a class are new pupils each September, and the whole school loses its oldest
 * year and gains an intake.
 */
export function changePopulationWords(
  previous: { from: string; to: string; label: string },
  latest: { from: string; to: string; label: string },
  filter: { year_group?: string | null; reg_group?: string | null; characteristic?: boolean },
): { samePupils: boolean; words: string } {
  const yearOf = (iso: string) => {
    const [y, m] = iso.split("-").map(Number);
    return m >= 8 ? y : y - 1;
  };
  if (yearOf(previous.to) === yearOf(latest.from)) {
    return {
      samePupils: true,
      words: "Both periods are in one academic year, so they are the same pupils, except any who joined or left between them.",
    };
  }
  const group = filter.reg_group
    ? classWords(filter.reg_group)
    : filter.year_group
      ? yearGroupWords(filter.year_group)
      : null;
  if (group) {
    return {
      samePupils: false,
      words: `${group} in ${previous.label} and ${group} in ${latest.label} are different pupils: the two periods are in different academic years, and pupils move up a year each September. This compares the group, not the same children.`,
    };
  }
  // A characteristic chooses the pupils (SEN, FSM, an ethnicity…): the group, not the school
  // (trial 29: a governor's ethnicity=APKN read "This compares the school").
  if (filter.characteristic) {
    return {
      samePupils: false,
      words: `${previous.label} and ${latest.label} are in different academic years, so the pupils this filter chooses differ: the oldest year group left in the summer and a new intake joined in September. This compares the group, not the same children.`,
    };
  }
  return {
    samePupils: false,
    words: `${previous.label} and ${latest.label} are in different academic years, so the pupils differ: the oldest year group left in the summer and a new intake joined in September. This compares the school, not the same children.`,
  };
}

/**
 * Whose figures "the same period last year" are under a year-group or class filter: that
 * group a year earlier, who are other pupils (this year's Year 3 were in Year 2; last year's
 * Year 3 are now Year 4). Null without such a filter: the whole school or a characteristic's
 * pupils, which the page says are whoever was on roll then.
 */
export function lastYearGroupWords(filter: { year_group?: string | null; reg_group?: string | null }): string | null {
  const group = filter.reg_group ? classWords(filter.reg_group) : filter.year_group ? yearGroupWords(filter.year_group) : null;
  return group ? `Last year's ${group} are other pupils than this year's (pupils move up a year each September): the comparison is of the group, not the same children.` : null;
}
