/**
 * Keeps pupils' identities out of what governors read (issue 13, case 7): commentary for the
 * governors' pack is checked against the school's pupils before it is saved, and refused
 * with the match shown.
 *
 * What counts as naming a pupil (decided here, documented in docs/DEFINITIONS.md):
 * - a pupil's UPN, in any case;
 * - forename and surname together, in either order ("Daniel Cooper", "Cooper Daniel",
 *   "Cooper, Daniel"), in any case;
 * - a surname after a title (Mr, Mrs, Ms, Miss, Master, Mx, Dr), in any case: "Mrs cooper";
 * - a surname or a forename on its own, written with a capital letter, unless that name is
 *   also a common word a commentary uses (months, days, terms, "Will", "May", "Young",
 *   "Summer" …; COMMON_WORDS below): "Cooper has improved" is refused, "in May" is not.
 * Always on whole words, so "Cooperation" does not match "Cooper".
 * Typing does not hide a name: accents and apostrophes are folded on both sides before
 * matching ("Zoe O'Connell", "ZOË O’CONNELL" and "Zoë O‘Connell" all name Zoë O’Connell, and
 * a name stored "O'Neil" is found written "O’Neil"), and the match is shown as written.
 */
import type { Connection, Row } from "../db.ts";
import { queryRows } from "../db.ts";

export interface IdentifierMatch {
  /** The text as written in the commentary. */
  text: string;
  /** Why it matched: "a pupil's full name", "a pupil's UPN", "a pupil's surname" … */
  reason: string;
}

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

const TITLES = "(?:mr|mrs|ms|miss|master|mx|dr)\\.?";

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

/** Every place the text names a pupil, by the rules above; empty when it names none. */
export function findPupilIdentifiers(written: string, pupils: PupilIdentity[]): IdentifierMatch[] {
  const matches: IdentifierMatch[] = [];
  const seen = new Set<string>();
  const { folded: text, from, to } = foldWithMap(written);
  const add = (found: RegExpMatchArray | null, reason: string) => {
    if (!found || found.index === undefined) return;
    const start = from[found.index];
    let end = to[found.index + found[0].length - 1];
    // Combining marks after the last letter belong to it ("e" + U+0308 is "ë").
    while (end < written.length && /\p{M}/u.test(written.charAt(end))) end++;
    const shown = written.slice(start, end);
    const key = `${found[0].toLowerCase()}|${reason}`;
    if (seen.has(key)) return;
    seen.add(key);
    matches.push({ text: shown, reason });
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
    add(text.match(new RegExp(wordBoundaried(`${TITLES}\\s+${s}`), "iu")), "a pupil's surname with a title");
    for (const [name, reason] of [[surname, "a pupil's surname"], [forename, "a pupil's forename"]] as const) {
      if (COMMON_WORDS.has(name.toLowerCase()) || name.length < 2) continue;
      // As a proper noun: a capital first letter, the rest in any case ("COOPER", "Cooper").
      const rest = [...name.slice(1)]
        .map((ch) => (/\s/.test(ch) ? "\\s+" : ch.toLowerCase() !== ch.toUpperCase() ? `[${ch.toLowerCase()}${ch.toUpperCase()}]` : escapeRegExp(ch)))
        .join("");
      const found = text.match(new RegExp(wordBoundaried(`${escapeRegExp(name.charAt(0).toUpperCase())}${rest}`), "u"));
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
  const shown = matches.slice(0, 5).map((m) => `“${m.text}” (${m.reason})`).join(", ");
  const more = matches.length > 5 ? ` and ${matches.length - 5} more` : "";
  return `The governors' pack is anonymised: the commentary under ${heading} names a pupil — ${shown}${more}. Describe the group or the step taken instead, then save again.`;
}
