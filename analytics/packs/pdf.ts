/**
 * A pack as PDF: the pack's own HTML printed by Chromium, with a running header (school and
 * pack) and footer (period and "Page x of y") on every page. The web download and the CLI
 * both call this, so they produce the same document.
 */
import { htmlToPdf, runningFooter } from "../render/pdf.ts";
import type { PackModel } from "./model.ts";
import { renderPackHtml } from "./html.ts";

function runningHeader(model: PackModel): string {
  const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const marking = model.kind === "slt" ? "STAFF ONLY — NAMED PUPILS" : "GOVERNORS — ANONYMISED";
  return `<div style="font-family: Helvetica, Arial, sans-serif; font-size: 8pt; color: #505a5f; width: 100%; padding: 0 14mm; display: flex; justify-content: space-between;">
    <span>${escape(model.schoolName)} — ${escape(model.title)}</span><span style="font-weight: bold">${marking}</span></div>`;
}

export async function packPdf(model: PackModel): Promise<Buffer> {
  return htmlToPdf(renderPackHtml(model), {
    headerTemplate: runningHeader(model),
    footerTemplate: runningFooter(`${model.schoolName} · ${model.title} · ${model.periodLabel}`),
  });
}
