/**
 * The DfE's names for the ethnicity codes schools record in the school census (the main
 * codes of the Common Basic Data Set code set "Ethnicity", CS010, with REFU and NOBT):
 * registers and CTF files carry the four-letter code; people read the name.
 *
 * Source: Department for Education, "Common basic data set (CBDS): database", code set
 * Ethnicity (https://www.gov.uk/government/publications/common-basic-data-set-cbds-database),
 * as listed in the DfE's "Ethnicity codes – DfE approved" table of main codes and extended
 * codes (https://online.documentine.com/list-of-european-ethnic-groups/1/ethnicity-codes-dfe-approved.html).
 * Extended codes (WENG, MWAP …) are sub-categories of a main code: shown by their main
 * code's name, with the code itself kept beside it.
 * Plain data, safe for the browser bundle.
 */

export const ETHNICITY_NAMES: Readonly<Record<string, string>> = {
  WBRI: "White – British",
  WIRI: "White – Irish",
  WIRT: "Traveller of Irish heritage",
  WOTH: "Any other White background",
  WROM: "Gypsy / Roma",
  MWBC: "White and Black Caribbean",
  MWBA: "White and Black African",
  MWAS: "White and Asian",
  MOTH: "Any other mixed background",
  AIND: "Indian",
  APKN: "Pakistani",
  ABAN: "Bangladeshi",
  AOTH: "Any other Asian background",
  BCRB: "Black Caribbean",
  BAFR: "Black – African",
  BOTH: "Any other Black background",
  CHNE: "Chinese",
  OOTH: "Any other ethnic group",
  REFU: "Refused",
  NOBT: "Information not yet obtained",
};

/**
 * Every extended code of the code set, each under its main code. Sources: the White codes from
 * the DfE's own list, "Alternative provision census: codes" (https://www.gov.uk/guidance/
 * alternative-provision-ap-census/codes, the same CBDS Ethnicity code set; it adds WNIR, White –
 * Northern Irish); the Mixed, Asian, Black, Chinese and Other extended codes, which the table
 * cited above breaks off before, from a transcription of the same DfE list (main code with its
 * extended codes) in a public repository's pupil model, which agrees with every code above.
 * Trial21: BNGN (Black – Nigerian) was shown as its code.
 */
const EXTENDED_MAIN: Readonly<Record<string, string>> = {
  WCOR: "WBRI", WENG: "WBRI", WNIR: "WBRI", WSCO: "WBRI", WWEL: "WBRI", WOWB: "WBRI",
  WALB: "WOTH", WBOS: "WOTH", WCRO: "WOTH", WGRE: "WOTH", WGRK: "WOTH", WGRC: "WOTH", WITA: "WOTH", WKOS: "WOTH", WPOR: "WOTH", WSER: "WOTH", WTUR: "WOTH", WTUK: "WOTH", WTUC: "WOTH", WEUR: "WOTH", WEEU: "WOTH", WWEU: "WOTH", WOTW: "WOTH",
  WROG: "WROM", WROR: "WROM", WROO: "WROM",
  MWAP: "MWAS", MWAI: "MWAS", MWAO: "MWAS",
  MAOE: "MOTH", MABL: "MOTH", MACH: "MOTH", MBOE: "MOTH", MBCH: "MOTH", MCOE: "MOTH", MWOE: "MOTH", MWCH: "MOTH", MOTM: "MOTH",
  AMPK: "APKN", AKPA: "APKN", AOPK: "APKN",
  AAFR: "AOTH", AKAO: "AOTH", ANEP: "AOTH", ASNL: "AOTH", ASLT: "AOTH", ASRO: "AOTH", AOTA: "AOTH",
  BANN: "BAFR", BCON: "BAFR", BGHA: "BAFR", BNGN: "BAFR", BSLN: "BAFR", BSOM: "BAFR", BSUD: "BAFR", BAOF: "BAFR",
  BEUR: "BOTH", BNAM: "BOTH", BOTB: "BOTH",
  CHKC: "CHNE", CMAL: "CHNE", CSNG: "CHNE", CTWN: "CHNE", COCH: "CHNE",
  OAFG: "OOTH", OARA: "OOTH", OEGY: "OOTH", OFIL: "OOTH", OIRN: "OOTH", OIRQ: "OOTH", OJPN: "OOTH", OKOR: "OOTH", OKRD: "OOTH", OLAM: "OOTH", OLEB: "OOTH", OLIB: "OOTH", OMAL: "OOTH", OMRC: "OOTH", OPOL: "OOTH", OTHA: "OOTH", OVIE: "OOTH", OYEM: "OOTH", OOEG: "OOTH",
};

/** "White and Asian" for MWAS; the code itself when the DfE's list does not have it. */
export function ethnicityName(code: string): string {
  const upper = code.toUpperCase();
  return ETHNICITY_NAMES[upper] ?? (EXTENDED_MAIN[upper] ? ETHNICITY_NAMES[EXTENDED_MAIN[upper]] : code);
}

/**
 * Whether `code` is one of the DfE's ethnicity codes (a main code or a listed extended one),
 * as written ("ABAN", not "aban"). A governor's filter to a DfE code no pupil has reads as a
 * small group's (withheld); one that is no code at all ("XXXX") is said to be no value of the
 * filter, which tells nothing of the pupils (app/lib/filters.ts governorUnknownFilterWords).
 */
export function isDfeEthnicityCode(code: string): boolean {
  return Object.hasOwn(ETHNICITY_NAMES, code) || Object.hasOwn(EXTENDED_MAIN, code);
}
