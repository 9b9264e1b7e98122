/**
 * What the letters of a file's names say of how it was saved, as notes on the import's summary
 * (the preview shows them before anything is imported). A fresh-clone trial (trial 53) saved one
 * pupils file three ways that import without a fault and store wrong names:
 * - in an encoding Rollcall does not read (ISO-8859-2, Mac Roman, Windows-1251): any bytes are
 *   Windows-1252 text, so "Dvořák" in Latin-2 came in as "Dvoøák" with "Every check passed";
 * - by Excel's "CSV (Comma delimited)", which writes "?" for a letter Windows-1252 lacks:
 *   "O'Brien-Łukasz" came in as "O'Brien-?ukasz".
 * No rule tells a wrong encoding from a right one in a few names (a detector guesses from
 * letter frequencies, and a register's names are too few and too varied for it), so the notes
 * show the names' own letters, for the school to compare with its MIS, and what to do.
 */
import { CSV_UTF8 } from "./decode.ts";

/** How to keep every letter: the one encoding that holds them all, as Excel names it. */
const SAVE_AS_UTF8 = `save the file as ${CSV_UTF8} and import it again`;

/** Words shown at most, and the characters of a word kept, in a note. */
const SHOWN = 4;

/** A word of a name holding a character beyond ASCII: runs between spaces. */
const WORD_BEYOND_ASCII = /\S*[^\x00-\x7f]\S*/g;

/**
 * The note for a pupils file read as Windows-1252 (not UTF-8, no byte-order mark: analytics/
 * import/decode.ts) whose names hold characters beyond ASCII: up to four of the distinct words
 * holding them, as read. `names`: the file's forenames and surnames (only names: a calendar's
 * "Polling day – school closed" or a notes column's "£5" say nothing of the names: review 53).
 * Undefined for names all ASCII, which read the same in every encoding a school's system writes.
 */
export function windows1252Note(names: readonly string[]): string | undefined {
  const words = new Set<string>();
  let more = 0;
  for (const name of names) {
    for (const match of name.matchAll(WORD_BEYOND_ASCII)) {
      if (words.has(match[0])) continue;
      if (words.size < SHOWN) words.add(match[0]);
      else more++;
    }
  }
  if (words.size === 0) return undefined;
  const shown = [...words].map((w) => `"${w}"`).join(", ");
  return (
    `Read as Windows-1252 (not UTF-8): its names' letters beyond A–Z read ${shown}${more > 0 ? ` and ${more} more ${more === 1 ? "word" : "words"}` : ""}. ` +
    `If any is not as your MIS shows it, the file is in another encoding: ${SAVE_AS_UTF8}`
  );
}

/** The words that begin lostLetterNote's note, for isLostLetterNote. */
const LOST_LETTER_WORDS = ` "?" where a letter belongs (`;

/** Whether a summary's note is lostLetterNote's: a file with one needs no windows1252Note beside it (the same advice, said once). */
export function isLostLetterNote(note: string): boolean {
  return /^\d+ names? holds? /.test(note) && note.includes(LOST_LETTER_WORDS);
}

/**
 * A name holding "?" beside a letter, or two together: how Excel's "CSV (Comma delimited)"
 * writes a letter Windows-1252 lacks ("O'Brien-?ukasz"; a name in Cyrillic or Chinese is all
 * "?": "??????? Ivanova", review 53).
 */
const QUESTION_FOR_LETTER = /\p{L}\?|\?\p{L}|\?\?/u;

/**
 * The note for the pupils whose forename or surname holds "?" beside a letter (`names`: each
 * with its line), up to four of them shown with their line. Undefined when none does. A "?" is
 * never part of a name: it is a letter lost when the file was saved.
 */
export function lostLetterNote(names: readonly { line: number; name: string }[]): string | undefined {
  const lost = names.filter((n) => QUESTION_FOR_LETTER.test(n.name));
  if (lost.length === 0) return undefined;
  const shown = lost.slice(0, SHOWN).map((n) => `line ${n.line} "${n.name}"`).join(", ");
  const rest = lost.length > SHOWN ? ` and ${lost.length - SHOWN} more` : "";
  return (
    `${lost.length === 1 ? "1 name holds" : `${lost.length} names hold`}${LOST_LETTER_WORDS}${shown}${rest}): ` +
    `Excel's "CSV (Comma delimited)" writes "?" for a letter it cannot hold (Ł, ř, ś …); to keep them, ${SAVE_AS_UTF8}`
  );
}
