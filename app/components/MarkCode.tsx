/**
 * A register code as an amended mark shows it — in the import preview and on an import's
 * record (/imports/N) alike: in a monospaced face with a slashed zero, and with its meaning
 * beside it, so the letter O (unauthorised absence) is never read as a digit 0 (no code) — in
 * a list of amended marks that difference is the whole point.
 */
import { describeCode } from "../../analytics/codes.ts";

/** The words after a code: "— Illness (not medical or dental appointments)", "— not a register code". */
export function markCodeHint(code: string, meaning: string | undefined): string {
  if (!meaning) return "— not a register code";
  // The code is printed just before, a dash between them so the two read as a code and its
  // gloss ("O the letter, not zero: Unauthorised…" read as broken English, review 49). Which
  // character it is is said only where it could be read as another: "O — the letter O, not
  // zero: absent in other or unknown circumstances" (not "O letter O", trial 16a).
  return code === "O" ? `— the letter O, not zero: ${meaning.charAt(0).toLowerCase()}${meaning.slice(1)}` : `— ${meaning}`;
}

/** `words`: the mark as the amendment reads it ("L (6 min late)"); the meaning is the code's. */
export function MarkCode({ code, words }: { code: string; words: string }) {
  const meaning = describeCode(code)?.meaning;
  return (
    <>
      <code className="mark-code" data-testid="mark-code">{words}</code>
      <span className="hint"> {markCodeHint(code, meaning)}</span>
    </>
  );
}
