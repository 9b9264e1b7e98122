// Whether the dashboard's port can be listened on, and the one sentence said when it cannot
// (scripts/start.js before it builds or creates anything; scripts/server.js when it listens).
import net from "node:net";

/** The sentence for a listen error's code (EADDRINUSE, EACCES) on `port`, or null for any other error. */
export function portRefusedSentence(code, port) {
  if (code === "EADDRINUSE") return `Rollcall did not start: port ${port} is already in use (another Rollcall or another program is on it). Stop it, or start on another port: PORT=3001 npm start`;
  if (code === "EACCES") return `Rollcall did not start: port ${port} may not be used by this account. Start on another port: PORT=3001 npm start`;
  return null;
}

/**
 * Listens on `port` at `host` and closes at once: resolves null when it could, else the
 * sentence (portRefusedSentence); other errors reject. A check, not a reservation: the server
 * still says the sentence if another program takes the port in between.
 */
export function checkPort(port, host) {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (error) => {
      const sentence = portRefusedSentence(error.code, port);
      if (sentence) resolve(sentence);
      else reject(error);
    });
    probe.listen(Number(port), host, () => probe.close(() => resolve(null)));
  });
}
