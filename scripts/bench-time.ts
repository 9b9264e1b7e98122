/** Milliseconds since `start` (a `process.hrtime.bigint()` reading): every bench script's timer. */
export const msSince = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;
