/**
 * The DfE attendance code catalogue.
 *
 * A code means what it meant on the date of the session. Registers from 19 August 2024
 * use the codes of the Pupil Registration (England) Regulations 2024 ("2024" regime);
 * earlier registers use the codes of the 2006 regulations as amended ("2006" regime), in
 * which H and F were authorised holiday, J (interview) counted as approved educational
 * activity and Y (exceptional circumstances) was not counted in possible sessions.
 */

export type Category = "present" | "aea" | "authorised" | "unauthorised" | "not_counted";
export type Regime = "2006" | "2024";

export const CATEGORIES: readonly Category[] = ["present", "aea", "authorised", "unauthorised", "not_counted"];

export const CATEGORY_LABELS: Record<Category, string> = {
  present: "Present",
  aea: "Approved educational activity",
  authorised: "Authorised absence",
  unauthorised: "Unauthorised absence",
  not_counted: "Not counted in possible sessions",
};

/** First day on which the 2024 codes apply. */
export const REGIME_2024_FROM = "2024-08-19";

export interface CodeDefinition {
  code: string;
  regime: Regime;
  category: Category;
  meaning: string;
}

const c = (code: string, regime: Regime, category: Category, meaning: string): CodeDefinition => ({
  code,
  regime,
  category,
  meaning,
});

const CODES_2024: CodeDefinition[] = [
  c("/", "2024", "present", "Present (AM)"),
  c("\\", "2024", "present", "Present (PM)"),
  c("L", "2024", "present", "Late arrival before the register closed"),
  c("K", "2024", "aea", "Attending education provision arranged by the local authority"),
  c("V", "2024", "aea", "Attending an educational visit or trip"),
  c("P", "2024", "aea", "Participating in a sporting activity"),
  c("W", "2024", "aea", "Attending work experience"),
  c("B", "2024", "aea", "Attending any other approved educational activity"),
  c("C", "2024", "authorised", "Leave of absence for exceptional circumstances"),
  c("C1", "2024", "authorised", "Leave of absence to participate in a regulated performance or employment abroad"),
  c("C2", "2024", "authorised", "Leave of absence for a compulsory school age pupil subject to a part-time timetable"),
  c("J1", "2024", "authorised", "Leave of absence to attend an interview"),
  c("M", "2024", "authorised", "Leave of absence for a medical or dental appointment"),
  c("S", "2024", "authorised", "Leave of absence for study leave"),
  c("I", "2024", "authorised", "Illness (not medical or dental appointment)"),
  c("R", "2024", "authorised", "Religious observance"),
  c("T", "2024", "authorised", "Parent travelling for occupational purposes"),
  c("E", "2024", "authorised", "Suspended or permanently excluded, no alternative provision"),
  c("G", "2024", "unauthorised", "Holiday not granted by the school"),
  c("N", "2024", "unauthorised", "Reason for absence not yet established"),
  c("O", "2024", "unauthorised", "Absent in other or unknown circumstances"),
  c("U", "2024", "unauthorised", "Arrived in school after registration closed"),
  c("X", "2024", "not_counted", "Non-compulsory school age pupil not required to attend"),
  c("Z", "2024", "not_counted", "Prospective pupil not on admission register"),
  c("#", "2024", "not_counted", "Planned whole or partial school closure"),
  c("D", "2024", "not_counted", "Dual registered: attending another school"),
  c("Q", "2024", "not_counted", "Unable to attend: lack of access arrangements"),
  c("Y1", "2024", "not_counted", "Unable to attend: transport normally provided not available"),
  c("Y2", "2024", "not_counted", "Unable to attend: widespread disruption to travel"),
  c("Y3", "2024", "not_counted", "Unable to attend: part of the school premises closed"),
  c("Y4", "2024", "not_counted", "Unable to attend: whole school site unexpectedly closed"),
  c("Y5", "2024", "not_counted", "Unable to attend: in criminal justice detention"),
  c("Y6", "2024", "not_counted", "Unable to attend: public health guidance or law"),
  c("Y7", "2024", "not_counted", "Unable to attend: any other unavoidable cause"),
];

const CODES_2006: CodeDefinition[] = [
  c("/", "2006", "present", "Present (AM)"),
  c("\\", "2006", "present", "Present (PM)"),
  c("L", "2006", "present", "Late before registers closed"),
  c("B", "2006", "aea", "Educated off site (not dual registration)"),
  c("J", "2006", "aea", "At an interview with prospective employers or another educational establishment"),
  c("P", "2006", "aea", "Participating in a supervised sporting activity"),
  c("V", "2006", "aea", "Educational visit or trip"),
  c("W", "2006", "aea", "Work experience"),
  c("C", "2006", "authorised", "Other authorised circumstances"),
  c("E", "2006", "authorised", "Excluded, no alternative provision made"),
  c("F", "2006", "authorised", "Extended family holiday (agreed; withdrawn 2013)"),
  c("H", "2006", "authorised", "Family holiday (agreed)"),
  c("I", "2006", "authorised", "Illness (not medical or dental appointments)"),
  c("M", "2006", "authorised", "Medical or dental appointments"),
  c("R", "2006", "authorised", "Religious observance"),
  c("S", "2006", "authorised", "Study leave"),
  c("T", "2006", "authorised", "Gypsy, Roma and traveller absence"),
  c("G", "2006", "unauthorised", "Family holiday (not agreed or days in excess of agreement)"),
  c("N", "2006", "unauthorised", "No reason yet provided for absence"),
  c("O", "2006", "unauthorised", "Unauthorised absence not covered by any other code"),
  c("U", "2006", "unauthorised", "Arrived in school after registers closed"),
  c("D", "2006", "not_counted", "Dual registration: attending another establishment"),
  c("X", "2006", "not_counted", "Non-compulsory school age absence (or COVID-19 related, 2020–2022)"),
  c("Y", "2006", "not_counted", "Enforced closure or exceptional circumstances"),
  c("Z", "2006", "not_counted", "Pupil not yet on roll"),
  c("#", "2006", "not_counted", "Planned whole or partial school closure"),
];

export const CODE_CATALOGUE: readonly CodeDefinition[] = [...CODES_2024, ...CODES_2006];

/** Every code the store accepts, in either regime: the members of the mark_code ENUM. */
export const ALL_CODES: readonly string[] = [...new Set(CODE_CATALOGUE.map((d) => d.code))];

/**
 * The codes of `categories` under `regime` as a bitmask over the mark_code ENUM: bit k is set
 * when ALL_CODES[k] (the member DuckDB's `enum_code(code)` numbers k) has one of them there.
 * The ENUM's 38 members fit an unsigned 64-bit integer: bind the mask as a parameter and test
 * a mark with `(($mask::UBIGINT >> enum_code(code)) & 1)` — the classification a join to
 * `code_catalogue` gives, without the join (scripts/bench-peer.ts: 1M marks, one thread,
 * best of 21–41 runs: 11.3 → 8.0 ms of DuckDB's operator time; a join whose regime is chosen
 * by each mark's date, as pupil-list.ts had: 46 → 14 ms, one thread, best of 21).
 */
export function codeMask(regime: Regime, categories: readonly Category[]): bigint {
  if (ALL_CODES.length > 64) throw new Error(`mark_code has ${ALL_CODES.length} members: more than a 64-bit mask holds`);
  let mask = 0n;
  for (const d of CODE_CATALOGUE) if (d.regime === regime && categories.includes(d.category)) mask |= 1n << BigInt(ALL_CODES.indexOf(d.code));
  return mask;
}

/**
 * `categories`' codes as bound parameters for inCodeMask: `${name}_2024` and `${name}_2006`,
 * each codeMask of that regime (UBIGINT bit masks over the mark_code ENUM).
 */
export function codeMaskParams(name: string, categories: readonly Category[]): Record<string, bigint> {
  return { [`${name}_2024`]: codeMask("2024", categories), [`${name}_2006`]: codeMask("2006", categories) };
}

/**
 * SQL true when the mark of `code` (a mark_code value) on `date` (a DATE) is in the masks
 * `name` (codeMaskParams) of its date's regime, the regimes' boundary bound as `$${from}`
 * (REGIME_2024_FROM): the test a join to `code_catalogue` on code and regime makes, without
 * the join. A code outside its date's regime is in no mask, as the join left it out.
 */
export const inCodeMask = (name: string, date: string, code: string, from: string) =>
  `((CASE WHEN ${date} >= $${from}::DATE THEN $${name}_2024::UBIGINT ELSE $${name}_2006::UBIGINT END) >> enum_code(${code})) & 1 = 1`;

export function regimeOn(isoDate: string): Regime {
  return isoDate >= REGIME_2024_FROM ? "2024" : "2006";
}

/** The code's definition on the date of the session, or undefined if it was not a valid code then. */
export function lookupCode(code: string, isoDate: string): CodeDefinition | undefined {
  const regime = regimeOn(isoDate);
  return CODE_CATALOGUE.find((d) => d.code === code && d.regime === regime);
}

/** Meaning of a code in the current regime, falling back to the old one for legacy codes. */
export function describeCode(code: string): CodeDefinition | undefined {
  return CODE_CATALOGUE.find((d) => d.code === code && d.regime === "2024") ?? CODE_CATALOGUE.find((d) => d.code === code);
}

/**
 * COVID-era sub-codes (academic years 2019/20 to 2021/22).
 *
 * The DfE's coronavirus attendance addendum (2020/21) made "not attending in circumstances
 * related to coronavirus" a temporary category recorded with code X, not counted in possible
 * sessions; illness, including a confirmed case, stayed code I (authorised absence). In
 * March 2021 the DfE had MIS suppliers add optional three-character sub-codes to help
 * schools fill in the daily educational setting status form: I01 illness, I02 illness
 * (confirmed or suspected COVID-19), X01 non-compulsory school age, X02 self-isolating with
 * symptoms, X03 self-isolating as a contact inside school, X04 as a contact outside school,
 * X05 quarantine after travel, X06 shielding as advised, X07 government advice not to
 * attend. Each sub-code maps to X or I, the school census collected only X or I, and
 * common transfer files carried only the main code
 * (Attendance Matters Magazine, "I am confused about the coding of Covid-related absence";
 * Browne Jacobson, "Covid's costly impact on school attendance – March 2021 update";
 * Capita SIMS release note 3.74, "New Covid-19 related extended absence codes").
 *
 * Rollcall therefore imports a sub-code as its census code (I or X, 2006 regime) and counts
 * how many it mapped in the import summary: the sub-code was the school's own annotation,
 * not a separate statutory category.
 */
export const COVID_SUBCODES: Readonly<Record<string, { code: "I" | "X"; meaning: string }>> = {
  I01: { code: "I", meaning: "Illness (not COVID-19)" },
  I02: { code: "I", meaning: "Illness: confirmed or suspected COVID-19" },
  X01: { code: "X", meaning: "Non-compulsory school age, not required to attend" },
  X02: { code: "X", meaning: "Self-isolating with COVID-19 symptoms" },
  X03: { code: "X", meaning: "Self-isolating: COVID-19 contact inside school" },
  X04: { code: "X", meaning: "Self-isolating: COVID-19 contact outside school" },
  X05: { code: "X", meaning: "Quarantine after travel" },
  X06: { code: "X", meaning: "Shielding as advised" },
  X07: { code: "X", meaning: "Government advice not to attend" },
};

/** First and last session dates on which a COVID-era sub-code is read: the 2019/20 to 2021/22 academic years. */
export const COVID_SUBCODES_FROM = "2019-08-01";
export const COVID_SUBCODES_TO = "2022-07-31";

/** Cells a daytime MIS export writes for a session whose register has not been taken yet. */
export const NO_MARK_YET: readonly string[] = ["", "-"];
