/**
 * One complete, print-ready HTML document for a pack: inline CSS and inline SVG charts, no
 * scripts and no external files, so the same text is shown on screen (in an iframe) and
 * printed to PDF by Chromium. A4, a cover page with contents, each section on a new page (but
 * after a section that spills a few lines onto a page of its own: analytics/packs/pdf.ts).
 */
import { londonDateTime } from "../time.ts";
import type { Block, Cell, CommentaryEntry, Figure, PackModel, PackSection, PackTable, Tone } from "./model.ts";
import { cellText, periodLine, ukDate } from "./format.ts";
import { escapeXml as escape, renderChartSvg } from "./svg.ts";
import { roleLabel } from "../users/roles.ts";

const STYLES = `
  :root { color: #0b0c0c; font-family: "Helvetica Neue", Helvetica, Arial, sans-serif; font-size: 15px; line-height: 1.4; }
  body { margin: 0; padding: 24px 28px; background: #fff; }
  h1 { font-size: 30px; margin: 6px 0 10px; line-height: 1.15; }
  h2 { font-size: 23px; margin: 0 0 8px; padding-bottom: 6px; border-bottom: 3px solid #1d70b8; }
  h3 { font-size: 17px; margin: 18px 0 6px; }
  p { margin: 6px 0; }
  .cover { border-left: 10px solid #1d70b8; padding: 8px 0 8px 20px; }
  .cover .school { font-size: 20px; font-weight: 700; margin: 0; }
  .cover .period { font-size: 19px; color: #505a5f; margin: 0 0 14px; }
  .audience { display: inline-block; padding: 8px 12px; font-weight: 700; background: #f3f2f1; border-left: 5px solid #f47738; margin: 8px 0; }
  .audience--fgb { border-left-color: #00703c; }
  .notes { color: #505a5f; padding-left: 20px; }
  .contents { margin-top: 18px; }
  .contents ol { padding-left: 22px; columns: 2; column-gap: 32px; }
  .contents li { margin: 0 0 4px; break-inside: avoid; }
  .contents a { color: #1d70b8; }
  .generated { color: #505a5f; font-size: 13px; margin-top: 18px; }
  .pack-section { margin-top: 36px; }
  .intro { color: #383f43; max-width: 60em; }
  .figures { display: grid; grid-template-columns: repeat(2, 1fr); gap: 10px; margin: 12px 0; }
  .figure { border: 1px solid #b1b4b6; border-top: 5px solid #1d70b8; padding: 10px 12px; break-inside: avoid; }
  .figure__label { font-weight: 700; margin: 0; }
  .figure__value { font-size: 30px; font-weight: 700; margin: 2px 0; }
  .figure__detail { margin: 1px 0; color: #505a5f; font-size: 13px; }
  table { border-collapse: collapse; width: 100%; margin: 6px 0 14px; font-variant-numeric: tabular-nums; font-size: 13px; }
  caption { text-align: left; font-weight: 700; font-size: 15px; padding: 4px 0 6px; }
  th, td { border-bottom: 1px solid #b1b4b6; padding: 5px 8px 5px 0; text-align: left; vertical-align: top; }
  thead th { font-weight: 700; border-bottom: 2px solid #0b0c0c; vertical-align: bottom; }
  tbody th { font-weight: 600; min-width: 9em; }
  td.num, th.num { text-align: right; }
  td.num, td.nowrap { white-space: nowrap; }
  table.short { break-inside: avoid; }
  /* A table's note is printed whole and with its table's last rows (trial 34: two lines of the SLT headline's note ran onto the next page, above another section; trial 35: a note alone atop a page). */
  .table-note { break-inside: avoid; break-before: avoid; }
  /* A chart and the short table of its figures below it are kept on one page (trial 34: the governors' classes chart ended a page, its table alone on the next). */
  .chart-with-table { break-inside: avoid; }
  td.suppressed { color: #505a5f; font-style: italic; text-align: right; }
  td.suppressed--span { text-align: center; background: #f3f2f1; }
  thead { display: table-header-group; }
  tr, tbody.keep { break-inside: avoid; }
  .table-note, .empty { color: #505a5f; font-size: 13px; }
  .tag { display: inline-block; padding: 1px 6px; font-size: 11.5px; font-weight: 700; text-transform: uppercase; letter-spacing: 0.3px; white-space: nowrap; }
  .tag--good { background: #cce2d8; color: #005a30; }
  .tag--bad { background: #f6d7d2; color: #2a0b06; }
  .tag--warn { background: #fcd6c3; color: #6e3619; }
  .tag--neutral { background: #eeefef; color: #383f43; }
  figure.chart { margin: 10px 0 14px; break-inside: avoid; }
  figure.chart figcaption { font-weight: 700; font-size: 15px; margin-bottom: 4px; }
  svg.pack-chart { display: block; max-width: 720px; height: auto; }
  .sentences { padding-left: 20px; }
  .sentences li { margin: 4px 0; }
  .commentary { border-left: 5px solid #1d70b8; background: #f3f2f1; padding: 10px 14px; margin: 8px 0; white-space: pre-wrap; }
  .commentary__by { color: #505a5f; font-size: 13px; margin-top: 6px; white-space: normal; }
  .commentary--none { color: #505a5f; font-style: italic; }
  /*
   * On a narrow screen (a phone: the pack's iframe on /packs/fgb at 390 px is 364 px wide), a
   * table wider than the screen scrolls inside its own box, its caption wraps at the screen's
   * width and stays in view as the table scrolls, and the headline cards and contents stack
   * (trial 50: the FGB pack laid out 721 px wide, five tables off the edge, their captions cut).
   * Screen media only: the PDF is printed in print media (analytics/render/pdf.ts), whatever its
   * viewport, so the printed pack is unchanged.
   */
  @media screen and (max-width: 760px) {
    body { padding: 16px 12px; }
    table { display: block; overflow-x: auto; max-width: 100%; }
    caption { max-width: calc(100vw - 24px); position: sticky; left: 0; }
    /* Each row's label stays in view beside the figures scrolled to it. */
    tbody th, thead th:first-child { position: sticky; left: 0; background: #fff; }
    /* A column of words keeps a readable width and the table scrolls (trial 50b: the SLT pack's
       Stage recorded and Status squeezed to a letter a line, rows 120-340 px tall). */
    td.words { min-width: 11em; }
    .figures { grid-template-columns: 1fr; }
    .contents ol { columns: 1; }
    /* A chart keeps a width its words can be read at (at 390 px its 680-unit drawing scaled to
       54 %, its 11 px labels to 6 px: trial 50) and scrolls sideways, its caption staying in view. */
    figure.chart { overflow-x: auto; }
    figure.chart figcaption { position: sticky; left: 0; max-width: calc(100vw - 24px); }
    svg.pack-chart { min-width: 600px; }
  }
  /* A phone (640 px or less). A table with a column of sentences: a card per row, each cell
     after its column's heading (renderTable's "cards"), the row's first cell its title. */
  @media screen and (max-width: 640px) {
    table.cards { display: block; overflow: visible; }
    table.cards caption { display: block; position: static; max-width: none; }
    table.cards thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    table.cards tbody, table.cards tr, table.cards td, table.cards tbody th { display: block; position: static; min-width: 0; }
    table.cards tr { border-bottom: 1px solid #b1b4b6; padding: 6px 0; }
    table.cards td, table.cards tbody th { border: 0; padding: 1px 0; text-align: left; white-space: normal; }
    table.cards td::before { content: attr(data-label) ": "; font-weight: 700; }
    /* Where the chart cannot fit (its 600 px and the page's margins), its caption says it scrolls:
       a governor read the weekly chart's last point on screen as the latest week (trial 51). */
    figure.chart figcaption::after { content: " — scroll sideways for the whole chart"; font-weight: 400; color: #505a5f; }
  }
  @page { size: A4; }
  @media print {
    body { padding: 0; font-size: 12.5px; }
    .pack-section { margin-top: 0; break-before: page; }
    .pack-section--run-on { margin-top: 28px; break-before: auto; }
    h2, h3, caption, figcaption { break-after: avoid; }
    caption { break-inside: avoid; }
    /* A table's caption and column headings go with its first row: a first row too tall for the
       page's foot had left them alone there, the rows on the next page (trial 50b, the SLT pack's
       "85% to under 90% (4 of 17) — next step: …" at the foot of page 13). Chromium keeps them
       together only by the row's break-before (a caption's break-after alone does not). */
    thead { break-after: avoid; }
    thead + tbody > tr:first-child { break-before: avoid; }
    .figures { grid-template-columns: repeat(2, 1fr); margin: 8px 0; }
    /* Headline cards a little tighter on paper, so the headline's table and its note fit under them on the page (trial 34). */
    .figure { padding: 7px 10px; }
    .figure__value { font-size: 26px; margin: 0; }
    svg.pack-chart { max-width: 100%; }
    table.wide, table.long, table.tight { font-size: 10.5px; }
    table.long th, table.long td, table.tight th, table.tight td { padding-top: 2px; padding-bottom: 2px; }
    table.wide th, table.wide td { padding-right: 5px; }
    table.wide + .table-note { font-size: 11px; }
    .contents a { color: #0b0c0c; text-decoration: none; }
  }
`;

function toneClass(tone: Tone): string {
  return `tag tag--${tone}`;
}

function renderCell(cell: Cell, numeric: boolean, header = false, nowrap = false, words = false): string {
  const tag = header ? "th" : "td";
  if (cell.kind === "suppressed") return `<${tag} class="suppressed">${escape(cell.text)}</${tag}>`;
  if (cell.kind === "tag") return `<${tag}><span class="${toneClass(cell.tone)}">${escape(cell.text)}</span></${tag}>`;
  const cls = numeric ? ' class="num"' : nowrap ? ' class="nowrap"' : words ? ' class="words"' : "";
  return `<${tag}${cls}>${escape(cellText(cell))}</${tag}>`;
}

/** A row's cells; a run of identical suppressed cells is one cell across them, said once. */
function renderRow(row: Cell[], table: PackTable, wordy: readonly boolean[]): string {
  const parts: string[] = [];
  for (let i = 0; i < row.length; i++) {
    const cell = row[i];
    if (i === 0) {
      parts.push(renderCell(cell, false, true).replace("<th", '<th scope="row"'));
      continue;
    }
    if (cell.kind === "suppressed") {
      let span = 1;
      while (i + span < row.length && row[i + span].kind === "suppressed" && (row[i + span] as { text: string }).text === cell.text) span++;
      if (span > 1) {
        const spanned = `${table.columns[i]?.label ?? ""} to ${table.columns[i + span - 1]?.label ?? ""}`;
        parts.push(labelled(`<td class="suppressed suppressed--span" colspan="${span}">${escape(cell.text)}</td>`, spanned));
        i += span - 1;
        continue;
      }
    }
    parts.push(labelled(renderCell(cell, Boolean(table.columns[i]?.numeric), false, Boolean(table.columns[i]?.nowrap), wordy[i]), table.columns[i]?.label));
  }
  return parts.join("");
}

/** A row's cell with its column's heading as `data-label`, which the phone's card layout prints before it (table.cards). */
function labelled(cellHtml: string, label: string | undefined): string {
  return label === undefined ? cellHtml : cellHtml.replace(/^<td/, `<td data-label="${escape(label)}"`);
}

/**
 * Rows a table may have to be kept whole on one page (`table.short`, if it is short in print too:
 * pdf.ts KEEP_WHOLE_SHARE); a longer one prints as a long list (`table.long`, smaller and tighter).
 */
const SHORT_TABLE_ROWS = 16;
/** A column with a text cell longer than this (characters) is one of sentences (renderTable's `wordy`). */
const WORDY_CELL_CHARS = 24;
/** Rows kept together at each end of a table that breaks across pages (tbody.keep): no row is left alone on a page. */
const KEPT_ROWS = 2;

export function renderTable(table: PackTable): string {
  if (table.rows.length === 0) {
    return `<h3>${escape(table.caption)}</h3><p class="empty">${escape(table.empty ?? "Nothing to show.")}</p>`;
  }
  const head = table.columns.map((c) => `<th scope="col"${c.numeric ? ' class="num"' : ""}>${escape(c.label)}</th>`).join("");
  // Columns of sentences (a stage recorded, a next step): on a phone they keep a readable width
  // and the table scrolls (the screen styles' td.words), where they had shrunk to a word a line.
  const wordy = table.columns.map((_, i) => table.rows.some((row) => row[i] !== undefined && row[i].kind === "text" && cellText(row[i]).length > WORDY_CELL_CHARS));
  const rows = table.rows.map((row) => `<tr>${renderRow(row, table, wordy)}</tr>`);
  // A table that breaks across pages (a long one, or a short one whose rows wrap so that it is
  // taller than a page) never leaves one row alone: its first and last KEPT_ROWS rows are each a
  // section of their own that is not broken (tbody.keep), so a page ends or starts with at least
  // two of its rows (trial 26: the 13th row of a 13-row list of the SLT pack alone atop a page).
  const body =
    rows.length > 2 * KEPT_ROWS
      ? `<tbody class="keep">${rows.slice(0, KEPT_ROWS).join("\n")}</tbody><tbody>${rows.slice(KEPT_ROWS, -KEPT_ROWS).join("\n")}</tbody><tbody class="keep">${rows.slice(-KEPT_ROWS).join("\n")}</tbody>`
      : `<tbody class="keep">${rows.join("\n")}</tbody>`;
  const note = table.note ? `<p class="table-note">${escape(table.note)}</p>` : "";
  // Short tables stay whole on one page rather than leave a caption stranded at the foot.
  // Wide tables (the headline's ten columns) print smaller, so their headings wrap onto two or
  // three lines, not eight, and the table and its note stay on one page.
  // Lists longer than a short table (a school's classes, the pupils on a ladder step, the
  // interventions) print smaller and tighter: at 4,500 pupils a month's SLT pack ran to 222
  // pages at 13 rows a page; the demo's 28-pupil step printed as large as a one-row table.
  // A table with a column of sentences is a card per row on a phone (the screen styles'
  // table.cards), each cell under its column's heading: scrolled sideways, its sentences were
  // cut at the screen's edge mid-word, each row read by scrolling back and forth (trial 52, the
  // SLT pack's interventions). Print is unchanged (screen media only).
  // A column whose cells are sentences (td.words, as renderCell classes them): not the first,
  // each row's heading (th) and the card's title, nor a column of figures or of one-line cells.
  // A long row heading ("I — Illness (not medical or dental appointment)") or a figure's note
  // ("Not available", no national figure loaded) made the headline's, the groups' and the codes' tables of
  // figures cards, where they scroll with their headings kept in view (review 52b).
  const sentences = (i: number) => i > 0 && wordy[i] && !table.columns[i]?.numeric && !table.columns[i]?.nowrap;
  const cards = table.columns.some((_, i) => sentences(i)) ? "cards" : "";
  const classes = [table.rows.length <= SHORT_TABLE_ROWS ? "short" : "long", table.columns.length >= 9 ? "wide" : "", cards].filter(Boolean).join(" ");
  const short = classes ? ` class="${classes}"` : "";
  return `<table${short}><caption>${escape(table.caption)}</caption><thead><tr>${head}</tr></thead>${body}</table>${note}`;
}

function renderFigure(figure: Figure): string {
  const status = figure.status ? ` <span class="${toneClass(figure.status.tone)}">${escape(figure.status.text)}</span>` : "";
  const value = figure.value.kind === "suppressed" ? `<span class="figure__value" style="font-size:18px">${escape(figure.value.text)}</span>` : escape(cellText(figure.value));
  return `<div class="figure"><p class="figure__label">${escape(figure.label)}</p><p class="figure__value">${value}${status}</p>${figure.details
    .map((d) => `<p class="figure__detail">${escape(d)}</p>`)
    .join("")}</div>`;
}

const londonTime = londonDateTime;

function renderCommentary(heading: string, entry: CommentaryEntry | null): string {
  if (!entry) return `<h3>${escape(heading)}</h3><p class="commentary--none">No commentary has been written for this heading yet.</p>`;
  return `<h3>${escape(heading)}</h3><div class="commentary">${escape(entry.body)}<p class="commentary__by">${escape(entry.author)}, ${escape(roleLabel(entry.role))} — ${escape(londonTime(entry.updatedAt))}</p></div>`;
}

function renderBlock(block: Block, id: string): string {
  switch (block.kind) {
    case "figures":
      return `<div class="figures">${block.items.map(renderFigure).join("")}</div>`;
    case "table":
      return renderTable(block.table);
    case "chart":
      return `<figure class="chart"><figcaption>${escape(block.chart.title)}</figcaption>${renderChartSvg(block.chart, id)}</figure>`;
    case "paragraphs":
      return `${block.heading ? `<h3>${escape(block.heading)}</h3>` : ""}${
        block.items.length === 0 ? `<p class="empty">Nothing in the figures to report under this heading.</p>` : `<ul class="sentences">${block.items.map((s) => `<li>${escape(s)}</li>`).join("")}</ul>`
      }`;
    case "commentary":
      return renderCommentary(block.heading, block.entry);
  }
}

/**
 * A section's blocks as HTML, a chart followed by a short table (its figures) wrapped together
 * (`.chart-with-table`, kept on one page while the two take at most pdf.ts KEEP_PAIR_SHARE of it).
 */
function renderBlocks(section: PackSection): string {
  const out: string[] = [];
  section.blocks.forEach((block, i) => {
    const html = renderBlock(block, `${section.id}-${i}`);
    const previous = section.blocks[i - 1];
    if (block.kind === "table" && previous?.kind === "chart" && block.table.rows.length > 0 && block.table.rows.length <= SHORT_TABLE_ROWS) {
      out[out.length - 1] = `<div class="chart-with-table">${out[out.length - 1]}${html}</div>`;
    } else out.push(html);
  });
  return out.join("\n");
}

function renderSection(section: PackSection): string {
  const intro = section.intro ? `<p class="intro">${escape(section.intro)}</p>` : "";
  const blocks = renderBlocks(section);
  return `<section class="pack-section${section.runOn ? " pack-section--run-on" : ""}" id="${escape(section.id)}" aria-labelledby="${escape(section.id)}-heading"><h2 id="${escape(section.id)}-heading">${escape(section.title)}</h2>${intro}${blocks}</section>`;
}

export function packDocumentTitle(model: PackModel): string {
  return `${model.schoolName}: ${model.title}, ${model.periodLabel}`;
}

export function renderPackHtml(model: PackModel): string {
  const contents = model.sections.map((s) => `<li><a href="#${escape(s.id)}">${escape(s.title)}</a></li>`).join("");
  const notes = model.notes.length > 0 ? `<ul class="notes">${model.notes.map((n) => `<li>${escape(n)}</li>`).join("")}</ul>` : "";
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(packDocumentTitle(model))}</title>
<style>${STYLES}</style>
</head>
<body>
<header class="cover">
<p class="school">${escape(model.schoolName)}</p>
<h1>${escape(model.title)}</h1>
<p class="period">${escape(periodLine(model.periodLabel, model.period))}</p>
<p class="audience audience--${model.kind}">${escape(model.audience)}</p>
${notes}
<nav class="contents" aria-label="Contents"><h2 style="border:0;font-size:19px">Contents</h2><ol>${contents}</ol></nav>
<p class="generated">Produced by Rollcall on ${escape(londonTime(model.generatedAt))} from the school's register. Year to date: ${escape(ukDate(model.yearToDate.from))} to ${escape(ukDate(model.yearToDate.to))}. Attendance is the share of possible sessions attended (present or an approved educational activity), as the DfE defines it. How each figure is calculated (codes, measures, population, withheld figures): the Definitions page in Rollcall (/definitions, “How is this calculated” on every page).</p>
</header>
${model.sections.map(renderSection).join("\n")}
</body>
</html>`;
}
