#!/usr/bin/env node
// The browser tests and the PDF packs need Debian's Chromium, pdftotext (poppler-utils)
// and a font. `npx playwright install` cannot download browsers here, so install the
// Debian packages when they are missing (as root), or say exactly what to run.
//
// `--for-start` (scripts/start.js, `npm start`): only what the dashboard's PDFs need (Chromium
// and the font; pdftotext is the tests'), and when they cannot be installed (not root) a
// warning, not a stop: every page, workbook and CSV works without them (a fresh-clone trial
// on a machine without Chromium learnt it only from "Unexpected Server Error" on each PDF).
import { execSync } from "node:child_process";
import fs from "node:fs";

const forStart = process.argv.includes("--for-start");
// The packs print with Chromium's headless shell (analytics/render/pdf.ts printerPath), or with
// the full browser when only that is installed: the dashboard needs one of them. The browser
// tests use the full browser, and the packs' tests print with the shell.
const printer = fs.existsSync("/usr/bin/chromium") && !fs.existsSync("/usr/bin/chromium-headless-shell") ? "/usr/bin/chromium" : "/usr/bin/chromium-headless-shell";
const needed = [
  ...(forStart ? [[printer, "chromium-headless-shell"]] : [["/usr/bin/chromium", "chromium"], ["/usr/bin/chromium-headless-shell", "chromium-headless-shell"]]),
  ...(forStart ? [] : [["/usr/bin/pdftotext", "poppler-utils"]]),
  ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "fonts-dejavu-core"],
];
// A Chromium of the school's own choosing (ROLLCALL_CHROMIUM, analytics/render/pdf.ts) needs no package.
const chromiumElsewhere = forStart && process.env.ROLLCALL_CHROMIUM && fs.existsSync(process.env.ROLLCALL_CHROMIUM);
const missing = needed.filter(([file, pkg]) => !fs.existsSync(file) && !(pkg.startsWith("chromium") && chromiumElsewhere)).map(([, pkg]) => pkg);
if (missing.length === 0) {
  // Said, so that a reader following the README knows the step did its work.
  if (!forStart) console.log(`Chromium, its headless shell, pdftotext and the DejaVu font are installed (${needed.map(([file]) => file).join(", ")}).`);
  process.exit(0);
}

const command = `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(" ")}`;
if (typeof process.getuid === "function" && process.getuid() === 0) {
  console.log(`Installing ${missing.join(", ")} from Debian's packages${forStart ? " (the PDF packs and reports are printed with Chromium; once only)" : ""}…`);
  execSync(command, { stdio: "inherit", shell: "/bin/bash" });
} else if (forStart) {
  console.warn(`PDFs will not print until Debian's ${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} installed (pages, workbooks and CSV files work without). Run as root: ${command}`);
} else {
  console.error(`The tests need Debian packages that are not installed: ${missing.join(", ")}.\nRun as root: ${command}`);
  process.exit(1);
}
