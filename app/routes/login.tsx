/**
 * Sign in: e-mail and password (issue 9). Success starts a session and returns to the page
 * first asked for (`redirectTo`); one sent here by a sign-out or an ended session is told which,
 * once (auth.server.ts endedSessionNotice); five failures for one account from one address, or thirty
 * from one address for any accounts, within 15 minutes are answered 429 with the London time the lock lifts
 * (analytics/users/store.ts lockoutWait, lockout-words.ts; an administrator clears one on the Users page or with
 * `rollcall users unlock`, which the page does not name: a governor cannot run it), the last try before a lock warned. The POST must come from this site's own page
 * (a present, matching Origin: checked by scripts/server.js and again here). An account whose
 * password an administrator set is sent to /account to change it first, every sign-in until it does.
 */
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { DEMO_EMAIL_DOMAIN, LOCKOUT_WINDOW_MS, hasEnabledAccount, isDemoDatabase, signIn } from "~/lib/users.server";
import { checkOrigin, endedSessionNotice, getUser, safeRedirect, startUserSession } from "~/lib/auth.server";
import { withDb } from "~/lib/db.server";
import { lastTryWords, lockoutLiftsWords } from "../../analytics/users/lockout-words.ts";
import { NOT_SIGNED_IN, auditRequest } from "~/lib/audit.server";

/** The lockout's Retry-After must reach the browser: Remix sends a route's action headers only through this. */
export const headers: HeadersFunction = ({ actionHeaders, loaderHeaders }) => (actionHeaders.has("Retry-After") ? actionHeaders : loaderHeaders);

export const meta: MetaFunction = () => [{ title: "Sign in — Rollcall" }];

/** The page's data: where to return after signing in, the demo's and no accounts' notices, and why a session ended (or null). */
type LoginData = { redirectTo: string; demo: boolean; demoDomain: string; accounts: boolean; ended: string | null };

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  if (await getUser(request)) throw redirect(redirectTo);
  const [demo, accounts] = await withDb(async (c) => [await isDemoDatabase(c), await hasEnabledAccount(c)] as const);
  // Sent here by a sign-out or a session that ended: said once (the cookie cleared).
  const ended = await endedSessionNotice(request);
  return data<LoginData>({ redirectTo, demo, demoDomain: DEMO_EMAIL_DOMAIN, accounts, ended: ended?.words ?? null }, ended ? { headers: { "Set-Cookie": ended.setCookie } } : undefined);
}

export async function action({ request, context }: ActionFunctionArgs) {
  checkOrigin(request, { required: true });
  const form = await request.formData();
  const email = String(form.get("email") ?? "");
  const password = String(form.get("password") ?? "");
  const redirectTo = safeRedirect(form.get("redirectTo"));
  if (!email || !password) return data({ error: "Enter your e-mail address and password.", email }, { status: 400 });
  const address = context?.clientAddress ?? "unknown";
  const result = await withDb((c) => signIn(c, { email, password, address }));
  if (result.outcome !== "signed_in") {
    // Every refused sign-in is recorded with the address it came from (issue 9, item 5).
    const detail = result.outcome === "locked" ? `locked out for ${result.retryAfterSeconds} s` : "wrong e-mail or password";
    // Nobody is signed in: the e-mail tried is what was acted on, not who acted.
    await auditRequest(request, context, { actor: NOT_SIGNED_IN, role: "none", action: "sign_in_failed", target: email.slice(0, 200), detail });
  }
  if (result.outcome === "locked") {
    const wait = lockoutLiftsWords(result.until);
    const error =
      result.scope === "account"
        ? `Too many failed attempts for this account from this address. ${wait}`
        : `Too many failed sign-ins from this address, for several accounts. ${wait}`;
    return data(
      { error, email },
      { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
    );
  }
  if (result.outcome === "refused") {
    // On the last try before a lock, said before it falls (trial 53), for any e-mail alike.
    const warning = lastTryWords(result.left, LOCKOUT_WINDOW_MS / 60_000);
    return data({ error: `That e-mail address and password do not match an active account.${warning ? ` ${warning}` : ""}`, email }, { status: 401 });
  }
  await auditRequest(request, context, { actor: { email: result.user.email, name: result.user.name }, role: result.user.role, action: "sign_in" });
  // A password an administrator chose (the Users page, `users reset-password`): first to the
  // Account page to choose one of their own, then on to where they were going.
  if (result.user.mustChangePassword) return startUserSession(request, result.user.id, `/account?${new URLSearchParams({ redirectTo })}`);
  return startUserSession(request, result.user.id, redirectTo);
}

export default function Login() {
  const { redirectTo, demo, demoDomain, accounts, ended } = useLoaderData<LoginData>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  // After a refused sign-in the password typed is cleared and the field focused for the next
  // try (trial 53b: the wrong password stayed in the field, the focus on the page).
  const password = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!result?.error || !password.current) return;
    password.current.value = "";
    password.current.focus();
  }, [result]);
  return (
    <div className="login">
      <h1>Sign in</h1>
      {ended && !result?.error ? (
        <p className="notice" role="status" data-testid="session-ended">
          {ended}
        </p>
      ) : null}
      {demo ? (
        <div className="notice" data-testid="demo-notice">
          <p>
            <strong>This is the demo school</strong>: invented pupils, no real data. There is one account per role
            (governor, SLT, attendance lead, head, admin) at <code>…@{demoDomain}</code>; their passwords were printed in
            the console when the demo database was made (by <code>npm start</code> or <code>rollcall demo</code>). Lost them? Run{" "}
            <code>npx rollcall users reset-password --email head@{demoDomain}</code> in Rollcall's folder, with{" "}
            <code>ROLLCALL_DB</code> set as for <code>npm start</code> if it was (it works while the server runs).
          </p>
        </div>
      ) : null}
      {!accounts ? (
        <div className="notice" data-testid="no-accounts-notice">
          <p>
            <strong>No one can sign in yet</strong>: this school has no accounts. Whoever runs Rollcall adds the first
            administrator on the server (it works while the server runs), who then adds everyone else on the Users page. Run it in
            Rollcall's folder with <code>ROLLCALL_DB</code> set to the database the dashboard serves (the path{" "}
            <code>npm start</code> printed; without it the command makes a new, empty database of its own):
          </p>
          <p>
            <code>ROLLCALL_DB=/path/to/school.duckdb ROLLCALL_PASSWORD='a long passphrase' npx rollcall users add --email you@school.sch.uk --name "Your Name" --role admin</code>
          </p>
        </div>
      ) : null}
      {result?.error ? (
        <p className="sign-in-error" role="alert">
          {result.error}
        </p>
      ) : null}
      <Form method="post" className="login-form">
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <label>
          E-mail address
          <input type="email" name="email" autoComplete="username" required defaultValue={result?.email ?? ""} />
        </label>
        <label>
          Password
          <input ref={password} type="password" name="password" autoComplete="current-password" required />
        </label>
        <button type="submit" className="button" disabled={navigation.state !== "idle"}>
          Sign in
        </button>
      </Form>
    </div>
  );
}
