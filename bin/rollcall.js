#!/usr/bin/env node
// The rollcall command. Rollcall's analytics are TypeScript run directly through tsx, so the
// CLI and the web app execute the very same source files.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../analytics/cli/index.ts");
process.exitCode = await main(process.argv.slice(2));
