/**
 * scripts/page-cache.js: every reader's gzip
 * copy of a role's page (gzipCopy) decompresses to the page's bytes (personalise), whatever
 * the template's size and wherever the reader's strings fall in it — here where two of them
 * are side by side, or one ends the page (a chunk of no bytes between or after).
 */
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { SYNC_DEFLATE_BYTES, deflateTemplate, gzipCopy, personalise, templateOf } from "../scripts/page-cache.js";

const placeholders = { name: "rcphname00000000000000000000000000000", email: "rcphemail0000000000000000000000000000", csrfToken: "rcphcsrf00000000000000000000000000000" };
const reader = { name: "Ann Head", email: "ann@school.example", csrfToken: "T0ken-of-the-session" };

describe("a reader's gzip copy of a role's page", () => {
  for (const [what, text] of [
    ["the name and e-mail side by side", `<p>${"x".repeat(100)}${placeholders.name}${placeholders.email}</p>`],
    ["the page ending with the token", `<input value="${placeholders.csrfToken}`],
    ["a large page ending with the token", `<p>${"y".repeat(SYNC_DEFLATE_BYTES * 2)}</p><input value="${placeholders.csrfToken}`],
  ] as const) {
    it(`decompresses to the reader's page: ${what}`, async () => {
      const template = templateOf(text, placeholders, "");
      await deflateTemplate(template);
      expect(gunzipSync(gzipCopy(template, reader, "n0nce")).equals(personalise(template, reader, "n0nce"))).toBe(true);
    });
  }
});
