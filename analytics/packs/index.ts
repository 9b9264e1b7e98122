/**
 * Report packs: the monthly SLT pack and the termly FGB pack, as a model (built from the
 * measures) rendered to HTML, PDF and XLSX. Routes reach this through app/lib/analytics.server.ts.
 */
export type * from "./model.ts";
export { buildSltPack, sltPeriods } from "./slt.ts";
export { buildFgbPack, fgbPeriods, previousTermKey } from "./fgb.ts";
export { renderPackHtml, packDocumentTitle } from "./html.ts";
export { packPdf } from "./pdf.ts";
export { packWorkbook } from "./xlsx.ts";
export { COMMENTARY_HEADINGS, COMMENTARY_LABELS, COMMENTARY_TABLES, MAX_COMMENTARY_LENGTH, getCommentary, isCommentaryHeading, saveCommentary, type CommentaryHeading } from "./commentary.ts";
export { PACK_CONTENT_TYPES, PACK_FORMAT_WORDS, PACK_FORMATS, buildPack, isPackFormat, isPackKind, packFileName, renderPackFile, type PackFormat } from "./files.ts";
export { packPeriodOptions, type PackPeriodOption, type PackPeriodOptions } from "./periods.ts";
export { codeFamilyOf } from "./sections.ts";
