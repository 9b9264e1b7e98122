/**
 * Linear algebra for the suppression tests that try to recover a withheld cell: a published
 * figure is a vector over the hidden per-pupil (or per-cell) counts, and a hidden count can be
 * worked out exactly when its vector is a combination of the published ones.
 */
/**
 * Whether `target` is a linear combination of `rows` (vectors over the same variables):
 * elimination in floating point on small integers, exact enough here.
 */
export function inSpan(rows: number[][], target: number[]): boolean {
  const basis: number[][] = [];
  const pivots: number[] = [];
  const reduce = (v: number[]) => {
    const r = [...v];
    basis.forEach((b, i) => {
      const f = r[pivots[i]];
      if (Math.abs(f) > 1e-9) for (let j = 0; j < r.length; j++) r[j] -= f * b[j];
    });
    return r;
  };
  for (const row of rows) {
    const r = reduce(row);
    const p = r.findIndex((x) => Math.abs(x) > 1e-9);
    if (p < 0) continue;
    const scaled = r.map((x) => x / r[p]);
    basis.forEach((b, i) => {
      const f = b[p];
      if (Math.abs(f) > 1e-9) for (let j = 0; j < b.length; j++) basis[i][j] -= f * scaled[j];
    });
    basis.push(scaled);
    pivots.push(p);
  }
  return reduce(target).every((x) => Math.abs(x) < 1e-9);
}
