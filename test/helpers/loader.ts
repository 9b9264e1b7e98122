/**
 * Calls a page's own loader (app/routes/*) as a signed-in reader, in this process: the real
 * path a request takes — session, role check, URL read on the server, figures — without a
 * browser. The database is ROLLCALL_DB's (set here), the day ROLLCALL_TODAY's (the caller's).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;

/** The loader's data for `url` ("/trends?period=…") read with the session `cookie` (test/helpers/auth.ts). */
export async function loaderData<T>(loader: Loader, db: string, cookie: string, url: string): Promise<T> {
  process.env.ROLLCALL_DB = db;
  const request = new Request(`http://localhost${url}`, { headers: { cookie } });
  const result = await loader({ request, params: {}, context: {} });
  if (result instanceof Response) throw new Error(`${url}: the loader answered ${result.status} ${await result.text()}`);
  return result as T;
}
