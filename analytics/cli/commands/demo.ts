/** rollcall demo [--db FILE] [--today YYYY-MM-DD] [--seed N] */
import { resolveDbPath, withConnection } from "../../db.ts";
import { buildDemo } from "../../demo/index.ts";
import { currentDate } from "../../periods.ts";
import { generatePassword } from "../../users/password.ts";
import { createDemoAccounts } from "../../users/store.ts";
import { DB_OPTION, UsageError, optionalDate, parseOptions } from "../args.ts";
import { cliOut } from "../context.ts";

export const usage = `rollcall demo [--db FILE] [--today YYYY-MM-DD] [--seed N]
  Builds the demo junior school (replacing the database file): the last two full academic
  years and the current one up to --today (default: today), and one demo account per role
  with a generated password, printed once.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, { ...DB_OPTION, today: { type: "string" }, seed: { type: "string" } });
  const today = optionalDate(values.today, "--today") ?? currentDate();
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError(`--seed must be a whole number (got "${values.seed}")`);
  const file = resolveDbPath(values.db);
  const result = await buildDemo(file, { today, seed });
  cliOut(`Demo school written to ${file}: ${result.pupils} pupils, ${result.marks} marks, to ${today} (${result.seconds.toFixed(1)} s)\n`);
  const accounts = await withConnection(file, (c) => createDemoAccounts(c, generatePassword));
  if (accounts.length > 0) {
    cliOut(`\nDemo accounts (shown only now; \`rollcall users reset-password\` sets a new one):\n`);
    for (const a of accounts) cliOut(`  ${a.role.padEnd(16)} ${a.email.padEnd(40)} ${a.password}\n`);
    cliOut("\n");
  }
  return 0;
}
