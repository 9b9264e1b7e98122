/**
 * Every button the app renders wears the app's button style (app.css `.button`, or a class
 * of its own the stylesheet draws): trial 50 found the Trust page's "Show" a bare browser
 * button, small and grey, beside every other page's Apply and Show pack. Read from the
 * source, every `<button` of app/, so a new bare one fails here.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const APP = path.resolve(import.meta.dirname, "../app");

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? sources(file) : file.endsWith(".tsx") ? [file] : [];
  });
}

describe("the app's buttons", () => {
  it("each has a class (the app's .button style), none a bare browser button", () => {
    const css = fs.readFileSync(path.join(APP, "styles/app.css"), "utf8");
    const bare: string[] = [];
    for (const file of sources(APP)) {
      const text = fs.readFileSync(file, "utf8");
      for (const match of text.matchAll(/<button\b([^>]*)>/g)) {
        const classes = /className="([^"]*)"/.exec(match[1])?.[1].split(/\s+/) ?? [];
        // A class the stylesheet draws (".button", ".nav-menu__close" …), not merely a name.
        if (!classes.some((c) => new RegExp(`\\.${c}\\b`).test(css))) bare.push(`${path.relative(APP, file)}: <button${match[1]}>`);
      }
    }
    expect(bare).toEqual([]);
  });
});
