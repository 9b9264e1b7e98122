/** Placeholder replaced when the browser tests land: no server yet. */
export async function startAppServer() {
  return { url: "", db: "", stop: async () => {} };
}
