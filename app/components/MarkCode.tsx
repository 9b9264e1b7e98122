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

/**
 * An amended mark's two table cells, as it was and as it is (or would be): `words` the marks
 * as the amendment reads them (analytics/amended-mark.ts), `codes` the codes alone.
 */
export function AmendedMarkCells({ words, codes }: { words: { before: string; after: string }; codes: { before: string; after: string } }) {
  return (
    <>
      <td>
        <MarkCode code={codes.before} words={words.before} />
      </td>
      <td>
        <MarkCode code={codes.after} words={words.after} />
      </td>
    </>
  );
}
