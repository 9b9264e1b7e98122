// Loaded into the app server's process by the load benchmark only (scripts/bench-load.ts starts
// the server with `--import` of this file; nothing else loads it): it measures inside the
// server what the clients cannot see from outside, per phase of the benchmark:
//   - each request's time in the server, from Node handing it to the app ('request') to the
//     last byte handed to the socket ('finish'), for the requests that carry the benchmark's
//     id header (x-bench-request), so the clients can put each of their times beside it;
//   - the event loop's delay (perf_hooks monitorEventLoopDelay): how long a timer was held
//     back, by work on the one thread or by the process waiting for a core (on a loaded
//     machine), i.e. how long any request that arrived meanwhile waited before the server could
//     even read it.
// On SIGUSR2 it writes what it measured since the last one to `${ROLLCALL_BENCH_PROBE}.N.json`
// (N counting from 0; written under another name and renamed, so a reader never sees half a
// file) and starts again. Costs per request: one header read and one listener.
import fs from "node:fs";
import http from "node:http";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";

const out = process.env.ROLLCALL_BENCH_PROBE;
if (out) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let requests = [];
  let dumps = 0;
  const now = () => performance.timeOrigin + performance.now();
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, req, res) {
    if (event === "request") {
      const id = req.headers["x-bench-request"];
      if (typeof id === "string") {
        const began = now();
        res.once("finish", () => requests.push({ id, began, finished: now() }));
      }
    }
    return emit.apply(this, arguments);
  };
  process.on("SIGUSR2", () => {
    const ms = (ns) => ns / 1e6;
    const file = `${out}.${dumps++}.json`;
    const figures = {
      loopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
      requests,
    };
    fs.writeFileSync(`${file}.part`, JSON.stringify(figures));
    fs.renameSync(`${file}.part`, file);
    requests = [];
    delay.reset();
  });
}
