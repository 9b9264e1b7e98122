// Scratch (not committed): time of recording one view, old path (queue → DuckDB commit) vs journal.
import { closeAllInstances, withConnection } from "./analytics/db.ts";
import { auditQueue, auditWriter, recordDurably, type AuditInput } from "./analytics/audit.ts";
const db = "/tmp/a26-probe/probe.duckdb";
const view = (n: number): AuditInput => ({ actor: { email: `r${n}@school.test`, name: `Reader ${n}` }, role: "head", action: "pupil_view", target: `A${String(n).padStart(12, "0")}`, detail: "x", ip: "127.0.0.1" });
await withConnection(db, async () => {});
const queue = auditQueue(auditWriter(db));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];
const res: Record<string, number[]> = { commit: [], journal: [] };
for (let round = 0; round < 6; round++) {
  for (const how of ["commit", "journal"] as const) {
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      if (how === "commit") await queue.record(view(i));
      else await recordDurably(db, view(i));
      res[how].push(performance.now() - t);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
for (const how of ["commit", "journal"]) console.log(how, "median", median(res[how]).toFixed(3), "p95", p95(res[how]).toFixed(3), "ms, n", res[how].length);
await closeAllInstances();
