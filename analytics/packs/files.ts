/**
 * One entry point for "this pack, this period, this format", shared by the CLI and the
 * download route so both produce the same file with the same name.
 */
import type { Connection } from "../db.ts";
import { listWords } from "../list-words.ts";
import type { PackKind, PackModel } from "./model.ts";
import { buildSltPack } from "./slt.ts";
import { buildFgbPack } from "./fgb.ts";
import { renderPackHtml } from "./html.ts";
import { packPdf } from "./pdf.ts";
import { packWorkbook } from "./xlsx.ts";

/**
 * The files a pack comes as: the PDF, the workbook, and the HTML document the PDF is printed
 * from (one self-contained page, no script) — what the pack's page shows in its frame, and what
 * `rollcall pack --format html` writes for a browser or an e-mail.
 */
export const PACK_FORMATS = ["pdf", "xlsx", "html"] as const;
export type PackFormat = (typeof PACK_FORMATS)[number];

export const PACK_CONTENT_TYPES: Record<PackFormat, string> = {
  pdf: "application/pdf",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  html: "text/html; charset=utf-8",
};

/** "pdf, xlsx or html": the formats as a message names them. */
export const PACK_FORMAT_WORDS = listWords(PACK_FORMATS, "or");

export function isPackKind(value: string): value is PackKind {
  return value === "slt" || value === "fgb";
}

export function isPackFormat(value: string): value is PackFormat {
  return (PACK_FORMATS as readonly string[]).includes(value);
}

/**
 * e.g. rollcall-slt-pack-2026-03.pdf, rollcall-fgb-pack-autumn-2026.xlsx; `periodKey` is the
 * model's fileKey, so a term not over is rollcall-fgb-pack-autumn-2026-to-autumn-1.pdf.
 */
export function packFileName(kind: PackKind, periodKey: string, format: PackFormat): string {
  return `rollcall-${kind}-pack-${periodKey.replace(/[^a-z0-9-]/gi, "")}.${format}`;
}

/**
 * Builds the model: `period` is a month (YYYY-MM) for the SLT pack, a term key for the FGB pack.
 * `format`: the file the model is for; a PDF's or HTML document's model has no to-date tabs
 * (the workbook's alone, and the costliest figures of a pack), so such a model must not be
 * given to the workbook. Without it, the model has everything (any file).
 */
export async function buildPack(connection: Connection, kind: PackKind, period: string, today: string, format?: PackFormat): Promise<PackModel> {
  const toDateTabs = format === undefined || format === "xlsx";
  return kind === "slt" ? buildSltPack(connection, { month: period, today, toDateTabs }) : buildFgbPack(connection, { term: period, today, toDateTabs });
}

/** The file; a workbook needs a model made with its to-date tabs (buildPack for "xlsx" or for any format). */
export async function renderPackFile(model: PackModel, format: PackFormat): Promise<Buffer> {
  if (format === "html") return Buffer.from(renderPackHtml(model), "utf8");
  return format === "pdf" ? packPdf(model) : packWorkbook(model);
}
