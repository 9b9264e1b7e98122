/**
 * Keeps pupils' identities out of what governors read (issue 13, case 7): commentary for the
 * governors' pack is checked against the school's pupils before it is saved, and refused
 * with the match shown.
 *
 * What counts as naming a pupil (decided here, documented in docs/DEFINITIONS.md):
 * - a pupil's UPN, in any case;
 * - forename and surname together, in either order ("Daniel Cooper", "Cooper Daniel",
 *   "Cooper, Daniel"), in any case — after a title too ("Mrs Grace May" is refused where
 *   Grace May is a pupil);
 * - a surname after "Master", a boy's title, in any case: "Master cooper";
 * - "the" + a surname + family, families, household, siblings, twins, children, brothers,
 *   sisters or parents ("the Price family"), the surname written with a capital letter —
 *   even where the surname is an everyday word, since "the Price family" uses it as a name
 *   ("a young family" is not refused);
 * - a surname or a forename on its own, written with a capital letter, unless that name is
 *   also a common word a commentary uses (months, days, terms, "Will", "May", "Young",
 *   "Price", "Summer" …; COMMON_WORDS below): "Cooper has improved" is refused, "in May" and
 *   "Price" alone are not.
 * - a pupil's family (a fresh-clone trial had "Mrs Nowak came in about her daughter in 5A"
 *   saved and printed for governors, which names Ieva Nowak in 5A): an adult's title — Mr,
 *   Mrs, Ms, Miss, Mx, Dr, in any case, with or without a full stop — followed by a pupil's
 *   surname ("Mrs Nowak"), or a pupil's surname next to a word for family — mother, father,
 *   mum, dad, parent, carer, daughter, son, sibling, brother, sister, or their plurals —
 *   before it or after it ("Nowak's mum", "dad Nowak"). Case-insensitive, whole words; the
 *   title makes any surname a name, everyday words too ("Mrs Price"), but an everyday-word
 *   surname beside a family word counts only with a capital letter ("the price parents pay"
 *   is not refused). The check cannot tell a member of staff who shares a pupil's surname from
 *   that pupil's parent, so both are refused, and the refusal says to write the member of
 *   staff's role instead ("the attendance lead").
 * Only the one word after a title is taken as that title's name: in "Mrs Jane Cooper" a
 * pupil's surname Cooper is refused as a surname (and "Mrs Jane" is no pupil's surname).
 * Every refusal ends with STAFF_NAMING_RULE (analytics/packs/headings.ts), the rule in a sentence.
 * Always on whole words, so "Cooperation" does not match "Cooper".
 * Typing does not hide a name: accents and apostrophes are folded on both sides before
 * matching ("Zoe O'Connell", "ZOË O’CONNELL" and "Zoë O‘Connell" all name Zoë O’Connell, and
 * a name stored "O'Neil" is found written "O’Neil"), and the match is shown as written.
 */
import type { Connection, Row } from "../db.ts";
import { queryRows } from "../db.ts";
import { STAFF_NAMING_RULE } from "./headings.ts";

export interface IdentifierMatch {
  /** The text as written in the commentary. */
  text: string;
  /** Why it matched: "a pupil's full name", "a pupil's UPN", "a pupil's surname" … */
  reason: string;
  /** Set when the match names a pupil's family (a title or a family word with a pupil's surname). */
  family?: true;
}

/** Why a title or family word with a pupil's surname is refused, as the refusal shows it. */
export const FAMILY_REASON = "a pupil's surname; if this is a member of staff, write their role instead";

/** Words that are names too but that a commentary uses as words: never matched on their own. */
const COMMON_WORDS = new Set(
  [
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "autumn", "spring", "summer", "winter", "term", "year", "class", "school", "head", "reception",
    "will", "hope", "grace", "faith", "joy", "rose", "lily", "daisy", "ivy", "holly", "hazel", "amber", "ruby", "pearl", "dawn", "eve",
    "young", "long", "short", "green", "white", "brown", "black", "gray", "grey", "little", "small", "large", "best", "good", "well",
    "hill", "wood", "woods", "field", "fields", "lane", "rivers", "marsh", "brook", "bush", "moss", "stone", "ford", "bridge",
    "king", "bishop", "knight", "lord", "dean", "parsons", "cook", "baker", "butler", "carter", "mason", "porter", "turner", "walker",
    "chance", "love", "free", "read", "reading", "early", "late", "price", "cross", "north", "south", "east", "west", "home",
    "sunny", "noble", "rich", "sharp", "strong", "swift", "wise", "frank", "bill", "mark", "pat", "sue", "jack", "art", "ray",
  ].map((word) => word.toLowerCase()),
);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/**
 * Whole words: letters, apostrophes and hyphens belong to a name ("O'Neil", "Smith-Jones"),
 * except a possessive ending ("Daniel's", "Daniel’s"), which still names Daniel.
 */
const wordBoundaried = (pattern: string) => `(?<![\\p{L}'’-])${pattern}(?=['’]s(?![\\p{L}])|(?![\\p{L}'’-]))`;
const flexibleSpaces = (name: string) => escapeRegExp(name.trim()).replace(/\s+/g, "\\s+");

export interface PupilIdentity {
  upn: string;
  forename: string;
  surname: string;
}

/** Apostrophe-like marks people type for an apostrophe: ’ ‘ ʼ ` ´ ′. */
const APOSTROPHES = /[\u2019\u2018\u02BC\u0060\u00B4\u2032]/gu;

/**
 * One character folded for matching: accents removed ("ë" → "e", "ß" kept), every apostrophe-like
 * mark made "'". A combining mark on its own folds to nothing.
 */
function foldChar(ch: string): string {
  return ch.normalize("NFD").replace(/\p{M}/gu, "").replace(APOSTROPHES, "'");
}

/**
 * The text folded, with where each folded character came from, so a match in the folded text
 * is shown as it was written.
 */
function foldWithMap(text: string): { folded: string; from: number[]; to: number[] } {
  let folded = "";
  const from: number[] = [];
  const to: number[] = [];
  let index = 0;
  for (const ch of text) {
    const f = foldChar(ch);
    for (const unit of f.split("")) {
      folded += unit;
      from.push(index);
      to.push(index + ch.length);
    }
    index += ch.length;
  }
  return { folded, from, to };
}

const foldName = (name: string) => [...name].map(foldChar).join("");

/** Text as a pattern matching it in any case, for patterns built without the "i" flag. */
function caseBlind(text: string): string {
  return [...text]
    .map((ch) => (/\s/.test(ch) ? "\\s+" : ch.toLowerCase() !== ch.toUpperCase() ? `[${ch.toLowerCase()}${ch.toUpperCase()}]` : escapeRegExp(ch)))
    .join("");
}

/** A name as a proper noun: a capital first letter, the rest in any case ("COOPER", "Cooper"). */
const properNoun = (name: string) => `${escapeRegExp(name.charAt(0).toUpperCase())}${caseBlind(name.slice(1))}`;

/** A boy's title: a surname after it names a pupil. Matched in any case. */
const CHILD_TITLE = "master\\.?";
/**
 * Adults' titles, as a case-blind pattern (the bare-name rule, built without the "i" flag,
 * is case-sensitive on its first letter): Mr, Mrs, Ms, Miss, Mx, Dr, each with an optional ".".
 */
const ADULT_TITLE = `(?:${["mr", "mrs", "ms", "miss", "mx", "dr"].map(caseBlind).join("|")})\\.?`;
/** Words after "the" + surname that make the surname a family's name ("the Price family"). */
const FAMILY_WORDS =
  `(?:${["family", "families", "household", "siblings", "twins", "children", "brothers", "sisters", "parents"].map(caseBlind).join("|")})`;

/** Words for a pupil's relatives: a pupil's surname beside one names the pupil's family. Singular and plural. */
const RELATIVE_WORDS = `(?:${["mother", "father", "mum", "dad", "parent", "carer", "daughter", "son", "sibling", "brother", "sister"]
  .flatMap((word) => [`${word}s`, word])
  .map(caseBlind)
  .join("|")})`;

/** Every place the text names a pupil, by the rules above; empty when it names none. */
export function findPupilIdentifiers(written: string, pupils: PupilIdentity[]): IdentifierMatch[] {
  const matches: IdentifierMatch[] = [];
  const seen = new Set<string>();
  const { folded: text, from, to } = foldWithMap(written);
  const add = (found: RegExpMatchArray | null, reason: string, family = false) => {
    if (!found || found.index === undefined) return;
    const start = from[found.index];
    let end = to[found.index + found[0].length - 1];
    // Combining marks after the last letter belong to it ("e" + U+0308 is "ë").
    while (end < written.length && /\p{M}/u.test(written.charAt(end))) end++;
    const shown = written.slice(start, end);
    const key = `${found[0].toLowerCase()}|${reason}`;
    if (seen.has(key)) return;
    seen.add(key);
    matches.push(family ? { text: shown, reason, family: true } : { text: shown, reason });
  };
  for (const pupil of pupils) {
    const upn = pupil.upn.trim();
    if (upn) add(text.match(new RegExp(wordBoundaried(escapeRegExp(upn)), "iu")), "a pupil's UPN");
    const forename = foldName(pupil.forename.trim());
    const surname = foldName(pupil.surname.trim());
    if (!forename || !surname) continue;
    const f = flexibleSpaces(forename);
    const s = flexibleSpaces(surname);
    add(text.match(new RegExp(wordBoundaried(`(?:${f}\\s+${s}|${s},?\\s+${f})`), "iu")), "a pupil's full name");
    add(text.match(new RegExp(wordBoundaried(`${CHILD_TITLE}\\s+${s}`), "iu")), "a pupil's surname after “Master”");
    add(
      text.match(new RegExp(wordBoundaried(`${caseBlind("the")}\\s+${properNoun(surname)}\\s+${FAMILY_WORDS}`), "u")),
      "a pupil's family by surname",
    );
    if (surname.length >= 2) {
      // A title makes the surname a name, everyday word or not ("Mrs Price").
      add(text.match(new RegExp(wordBoundaried(`${ADULT_TITLE}\\s+${caseBlind(surname)}`), "u")), FAMILY_REASON, true);
      // Beside a family word: any case, but an everyday word only as a proper noun ("a young family", "the price parents pay").
      const name = COMMON_WORDS.has(surname.toLowerCase()) ? properNoun(surname) : caseBlind(surname);
      add(text.match(new RegExp(wordBoundaried(`${name}(?:['’]s)?\\s+${RELATIVE_WORDS}`), "u")), FAMILY_REASON, true);
      add(text.match(new RegExp(wordBoundaried(`${RELATIVE_WORDS},?\\s+${name}`), "u")), FAMILY_REASON, true);
    }
    for (const [name, reason] of [[surname, "a pupil's surname"], [forename, "a pupil's forename"]] as const) {
      if (COMMON_WORDS.has(name.toLowerCase()) || name.length < 2) continue;
      // Not the one word straight after an adult's title: that is refused above as the pupil's family.
      const found = text.match(new RegExp(`(?<!(?<![\\p{L}'’-])${ADULT_TITLE}\\s+)${wordBoundaried(properNoun(name))}`, "u"));
      add(found, reason);
    }
  }
  return matches;
}

/** The school's pupils (everyone ever on roll), for the check. */
export async function schoolPupilIdentities(connection: Connection): Promise<PupilIdentity[]> {
  return queryRows<Row & PupilIdentity>(connection, "SELECT upn, forename, surname FROM pupils");
}

/** The message a refused commentary gets: what matched and why, and what to do. */
export function identifierRefusal(heading: string, matches: IdentifierMatch[]): string {
  const shown = matches
    .slice(0, 5)
    .map((m) => (m.family ? `names a pupil's family: “${m.text}” — ${m.reason}` : `“${m.text}” (${m.reason})`))
    .join(", ");
  const more = matches.length > 5 ? ` and ${matches.length - 5} more` : "";
  // "names a pupil's family: …" says itself; anything else is introduced as naming a pupil.
  const lead = matches.every((m) => m.family) ? "" : "names a pupil — ";
  return `The governors' pack is anonymised: the commentary under ${heading} ${lead}${shown}${more}. Describe the group or the step taken instead, then save again. ${STAFF_NAMING_RULE}`;
}
