#!/usr/bin/env node
// The browser tests and the PDF packs need Debian's Chromium, pdftotext (poppler-utils)
// and a font. `npx playwright install` cannot download browsers here, so install the
// Debian packages when they are missing (as root), or say exactly what to run.
import { execSync } from "node:child_process";
import fs from "node:fs";

const needed = [
  ["/usr/bin/chromium", "chromium"],
  ["/usr/bin/pdftotext", "poppler-utils"],
  ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "fonts-dejavu-core"],
];
const missing = needed.filter(([file]) => !fs.existsSync(file)).map(([, pkg]) => pkg);
if (missing.length === 0) {
  // Said, so that a reader following the README knows the step did its work.
  console.log(`Chromium, pdftotext and the DejaVu font are installed (${needed.map(([file]) => file).join(", ")}).`);
  process.exit(0);
}

const command = `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(" ")}`;
if (typeof process.getuid === "function" && process.getuid() === 0) {
  console.log(`Installing ${missing.join(", ")} from Debian's packages…`);
  execSync(command, { stdio: "inherit", shell: "/bin/bash" });
} else {
  console.error(`The tests need Debian packages that are not installed: ${missing.join(", ")}.\nRun as root: ${command}`);
  process.exit(1);
}
