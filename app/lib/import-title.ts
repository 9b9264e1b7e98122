/**
 * An import as the pages name it: what it imported and from which file ("Pupils: ctf.xml"), the
 * same on the import history's list, an import's own page and the Import page's confirmation.
 * A CTF makes two imports of one file, its pupils and its marks: named by file alone, the two
 * read "Import 8: ctf.xml" and "Import 9: ctf.xml" (trial 52). Client-safe.
 */
const KIND_WORDS: Record<string, string> = { calendar: "Calendar", pupils: "Pupils", marks: "Marks" };

/** `kind`: the import's kind as recorded ("calendar", "pupils", "marks"); `file`: its file's name. */
export function importTitle(kind: string, file: string): string {
  return `${KIND_WORDS[kind] ?? kind}: ${file}`;
}
