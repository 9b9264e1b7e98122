/**
 * An upload over the limit names the files chosen, largest first, with their sizes, so the
 * school knows which to split (app/lib/upload-kinds.ts; a 60 MB upload's refusal had named only
 * the limit); the server's 413, which reads no file, names the limit alone.
 */
import { describe, expect, it } from "vitest";
import { uploadTooLargeMessage } from "../app/lib/upload-kinds.ts";

const MB = 1024 * 1024;

describe("uploadTooLargeMessage", () => {
  it("names each chosen file with its size, largest first, and their total", () => {
    expect(uploadTooLargeMessage(50, [{ name: "pupils.csv", size: 2.1 * MB }, { name: "marks-2025.csv", size: 58.14 * MB }])).toBe(
      "This upload is larger than the 50 MB limit, so it was refused and nothing was imported or changed. The chosen files come to 60.2 MB: marks-2025.csv 58.1 MB, pupils.csv 2.1 MB. Split the file (for example one academic year per file), or ask whoever runs Rollcall to raise ROLLCALL_MAX_UPLOAD_MB.",
    );
    expect(uploadTooLargeMessage(50, [{ name: "marks.csv", size: 60 * MB }])).toContain("The chosen file, marks.csv 60.0 MB, is too large.");
  });

  it("without files (the server's 413, sent before the body is read) names the limit alone", () => {
    expect(uploadTooLargeMessage(50)).toBe(
      "This upload is larger than the 50 MB limit, so it was refused and nothing was imported or changed. Split the file (for example one academic year per file), or ask whoever runs Rollcall to raise ROLLCALL_MAX_UPLOAD_MB.",
    );
  });
});
