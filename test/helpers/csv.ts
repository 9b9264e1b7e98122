/**
 * The app's CSV downloads read back in tests: quoted fields, doubled quotes, CRLF lines and
 * the byte-order mark the downloads start with. One parser for every browser test.
 */

/** The rows of a CSV text, each an array of fields (the BOM dropped). */
export function parseCsv(text: string): string[][] {
  const body = text.replace(/^\uFEFF/, "");
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n") {
      row.push(field.replace(/\r$/, ""));
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

/** The data rows of a CSV text as objects keyed by the header's labels. */
export function parseCsvObjects(text: string): Array<Record<string, string>> {
  const [header, ...data] = parseCsv(text);
  return data.map((values) => Object.fromEntries(header.map((key, index) => [key, values[index]])));
}
