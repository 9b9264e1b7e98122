/**
 * Words for a pupil's characteristics (year group, class, SEN, FSM, EAL, looked after, sex,
 * ethnicity), the same on every page's filters and captions (app/lib/filters.ts re-exports
 * them) and in an import's preview of what it would change (analytics/import/pupil-changes.ts),
 * so no one reads a bare letter. Pure and client-safe.
 */
import { classWords } from "./class-words.ts";
import { ethnicityName } from "./ethnicity.ts";
import { isLeaversGroup, leaversLabel } from "./leavers.ts";
import { yearGroupWords } from "./year-group-words.ts";

/** The pupil characteristics a view can filter on, in the order the picker shows them. */
export const PUPIL_FILTER_KEYS = ["year_group", "reg_group", "sen", "fsm", "eal", "lac", "sex", "ethnicity"] as const;
export type PupilFilterKey = (typeof PUPIL_FILTER_KEYS)[number];

/** Words for the coded characteristics, so pickers and captions never show a bare letter. */
export const FILTER_LABELS: Record<PupilFilterKey, string> = {
  year_group: "Year group",
  reg_group: "Class",
  sen: "SEN",
  fsm: "FSM",
  eal: "EAL",
  lac: "Looked after",
  sex: "Sex",
  ethnicity: "Ethnicity",
};

export const FILTER_VALUE_LABELS: Partial<Record<PupilFilterKey, Record<string, string>>> = {
  sen: { E: "EHC plan", K: "SEN support", N: "No SEN" },
  fsm: { Y: "Eligible for FSM", N: "Not eligible for FSM" },
  eal: { Y: "EAL", N: "English first language" },
  lac: { Y: "Looked after", N: "Not looked after" },
  sex: { F: "Girls", M: "Boys" },
};

/** "SEN support", "Year 5", "Class 5A" … for one filter value. */
export function describeFilterValue(key: PupilFilterKey, value: string): string {
  // A governor's breakdown over several half terms: the pupils who left before its last one
  // (analytics/leavers.ts), a row of every breakdown and no filter's value.
  if (isLeaversGroup(value)) return leaversLabel(value);
  if (key === "year_group") return yearGroupWords(value);
  if (key === "reg_group") return classWords(value);
  // The DfE's name for the census code (analytics/ethnicity.ts); pages keep the code on hover.
  if (key === "ethnicity") return ethnicityName(value);
  return FILTER_VALUE_LABELS[key]?.[value] ?? value;
}

/** The characteristics with a closed set of codes, read by the importer's readers (analytics/import/values.ts). */
export const CODED_FILTER_KEYS = ["sen", "fsm", "eal", "lac", "sex"] as const;
export type CodedFilterKey = (typeof CODED_FILTER_KEYS)[number];

/**
 * The spellings a coded characteristic's value is read from, as people type them (the
 * importer's readers: parseFlag, parseSex, parseSen), for a refusal on the web and the CLI
 * alike: `fsm=maybe` is told "Y or N, or yes or no", never "one of Y, N" as if "yes" were not read.
 */
export const CODED_SPELLINGS: Record<CodedFilterKey, string> = {
  sen: "E for an EHC plan, K for SEN support or N for none",
  fsm: "Y or N, or yes or no",
  eal: "Y or N, or yes or no",
  lac: "Y or N, or yes or no",
  sex: "M or F, or male or female",
};
