/**
 * Your account (every signed-in role; linked from your name in the header): change your own
 * password — the current one, the new one twice. The action checks the session and its CSRF
 * token on the server (requireUser) and changes the password of the session's own account,
 * never one named by the form (analytics/users/store.ts changeOwnPassword): at least MIN_PASSWORD_LENGTH (12)
 * characters; a wrong current password counts towards the sign-in lockout (5 failures for the
 * account from one address in 15 minutes) and is on the audit trail as a failed sign-in; a
 * change ends the account's sessions, this one too, gives this browser a new session (so an id
 * known before the change is worth nothing after it), and is audited as "password changed
 * by the user". A user whose password an administrator set is sent here at sign-in (login.tsx)
 * with `redirectTo`, where they were going, and is sent on there once it is changed (to the
 * Overview when there is none; never off this site).
 */
import { lastTryWords, lockoutLiftsWords } from "../../analytics/users/lockout-words.ts";
import type { PageNameHandle } from "~/lib/page-name";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ActionAnswer } from "~/components/ActionAnswer";
import { CsrfInput } from "~/components/CsrfInput";
import { RouteError } from "~/components/RouteError";
import { requireUser, safeRedirect, sessionCookie } from "~/lib/auth.server";
import { withDb } from "~/lib/db.server";
import { auditRequest, clientAddress } from "~/lib/audit.server";
import { ROLE_LABELS } from "~/lib/permissions";
import { AccountError, MIN_PASSWORD_LENGTH, LOCKOUT_WINDOW_MS, changeOwnPassword, findUserById } from "~/lib/users.server";
import { FormError } from "~/components/FormError";

/** The lockout's Retry-After and a changed password's new session cookie must reach the browser: Remix sends a route's action headers only through this. */
export const headers: HeadersFunction = ({ actionHeaders, loaderHeaders }) =>
  actionHeaders.has("Retry-After") || actionHeaders.has("Set-Cookie") ? actionHeaders : loaderHeaders;

export const meta: MetaFunction = () => [{ title: "Your account — Rollcall" }];

/** The page's name in the phone's menu (app/lib/page-name.ts). */
export const handle: PageNameHandle = { pageName: "Your account" };

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireUser(request, { ownPasswordFirst: true });
  const account = await withDb((c) => findUserById(c, me.id));
  return {
    name: me.name,
    email: me.email,
    role: me.role,
    mustChange: account?.mustChangePassword ?? false,
    // The shortest password accepted, for the form's hint and check (the server checks it again).
    minLength: MIN_PASSWORD_LENGTH,
  };
}

export function ErrorBoundary() {
  return <RouteError title="Your account could not be shown" />;
}

/** What a change answers: an error, or the message that it was changed. */
type Outcome = { error: string | null; message: string | null };

export async function action({ request, context }: ActionFunctionArgs) {
  const me = await requireUser(request, { ownPasswordFirst: true });
  const form = await request.formData();
  const field = (name: string) => String(form.get(name) ?? "");
  const current = field("current");
  const password = field("password");
  if (!current || !password) return data<Outcome>({ error: "Enter your current password and the new one twice.", message: null }, { status: 400 });
  if (password !== field("again")) return data<Outcome>({ error: "The new password and its repeat differ: type the new one twice, the same.", message: null }, { status: 400 });
  if (password === current) return data<Outcome>({ error: "The new password is the one you have now: choose another.", message: null }, { status: 400 });
  // The address the lockout counts by, as the sign-in page takes it.
  const address = clientAddress(context) ?? "unknown";
  try {
    const result = await withDb((c) => changeOwnPassword(c, { sessionId: me.sessionId, current, password, address }));
    if (result.outcome === "changed") {
      const cookie = await sessionCookie(request, result.session.sessionId);
      // A password someone else set, changed at sign-in (login.tsx sent the user here with
      // `redirectTo`): the user continues where they were going, on the new session — a path on
      // this site only (safeRedirect), else the Overview. A change of one's own choosing stays here.
      const going = new URL(request.url).searchParams.get("redirectTo");
      if (me.mustChangePassword || going !== null) return redirect(safeRedirect(going), { headers: { "Set-Cookie": cookie } });
      const others = result.sessionsEnded === 0 ? "" : ` You were signed out everywhere else (${result.sessionsEnded} other session${result.sessionsEnded === 1 ? "" : "s"}).`;
      // This browser continues on the new session the change started (the old id is ended).
      return data<Outcome>(
        { error: null, message: `Your password was changed.${others} You stay signed in here.` },
        { headers: { "Set-Cookie": cookie } },
      );
    }
    // A wrong current password is a failed sign-in (it counts towards the lockout): on the trail as one.
    const detail = result.outcome === "locked" ? `changing the password: locked out for ${result.retryAfterSeconds} s` : "changing the password: wrong current password";
    await auditRequest(request, context, { actor: { email: me.email, name: me.name }, role: me.role, action: "sign_in_failed", target: me.email, detail });
    if (result.outcome === "locked") {
      return data<Outcome>(
        {
          error: `Too many wrong passwords for this account from this address. ${lockoutLiftsWords(result.until)} Your password was not changed.`,
          message: null,
        },
        { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
      );
    }
    const lastTry = lastTryWords(result.left, LOCKOUT_WINDOW_MS / 60_000);
    return data<Outcome>(
      { error: `That is not your current password, so it was not changed. Wrong passwords count towards the sign-in lockout.${lastTry ? ` ${lastTry}` : ""}`, message: null },
      { status: 401 },
    );
  } catch (error) {
    if (error instanceof AccountError) return data<Outcome>({ error: `Not changed: ${error.message}.`, message: null }, { status: 400 });
    throw error;
  }
}

export default function Account() {
  const { name, email, role, mustChange, minLength } = useLoaderData<typeof loader>();
  const result = useActionData<Outcome>();
  const navigation = useNavigation();
  const changed = Boolean(result?.message);
  return (
    <>
      <h1>Your account</h1>
      <p className="lede">
        {name} ({email}), {ROLE_LABELS[role]}.
      </p>
      {mustChange && !changed ? (
        <div className="notice" role="status" data-testid="must-change">
          <p>
            <strong>Choose your own password.</strong> Your password was set by an administrator, so they know it. Change it
            here: you will be brought back to this page each time you sign in until you do.
          </p>
        </div>
      ) : null}
      {result?.message ? (
        // In view and focused, as every form's answer is (ActionAnswer).
        <ActionAnswer answer={result} role="status" className="notice" testId="password-changed">
          <p>{result.message}</p>
        </ActionAnswer>
      ) : null}
      <FormError error={result?.error} answer={result} />
      <h2>Change your password</h2>
      <p className="hint">
        At least {minLength} characters; a few unrelated words are easy to remember and hard to guess. Changing it signs you
        out everywhere else.
      </p>
      {/* A fresh form after a change, so the fields are empty. */}
      <Form method="post" className="login-form" data-testid="change-password" key={changed ? "changed" : "form"}>
        <CsrfInput />
        {/* For password managers: whose password this is. */}
        <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
        <label>
          Current password
          <input type="password" name="current" autoComplete="current-password" required />
        </label>
        <label>
          New password
          <input type="password" name="password" autoComplete="new-password" minLength={minLength} required />
        </label>
        <label>
          New password again
          <input type="password" name="again" autoComplete="new-password" minLength={minLength} required />
        </label>
        <button type="submit" className="button" disabled={navigation.state !== "idle"}>
          Change password
        </button>
      </Form>
    </>
  );
}
