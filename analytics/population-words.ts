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

/** A period's pupils (the measures' `pupils`: a possible session in the period): "240 pupils with sessions in the period (leavers included)". */
export function periodPopulationWords(pupils: number): string {
  return `${pupilsWord(pupils)} with sessions in the period (leavers included)`;
}
