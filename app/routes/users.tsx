/**
 * Users (admin only): every account with its role and status; add an account, change a
 * role, disable or re-enable, set a new password; the sign-in lockouts in force, each with
 * a button to clear it. The same store as `rollcall users` (and `users lockouts`/`unlock`).
 */
import type { ReactNode } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/components/CsrfInput";
import { RouteError } from "~/components/RouteError";
import { requireRole } from "~/lib/auth.server";
import { withDb } from "~/lib/db.server";
import { ROLES, ROLE_LABELS } from "~/lib/permissions";
import { clientAddress } from "~/lib/audit.server";
import { AccountError, LOCKOUT_RULE, MIN_PASSWORD_LENGTH, clearLockout, createUser, listLockouts, listUsers, resetPassword, setDisabled, setRole, unlockMessage } from "~/lib/users.server";
import { londonDateTime } from "../../analytics/time.ts";
import { lockoutLiftsAt } from "../../analytics/users/lockout-words.ts";
import { ActionAnswer } from "~/components/ActionAnswer";
import { FormError } from "~/components/FormError";

export const meta: MetaFunction = () => [{ title: "Users — Rollcall" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const me = await requireRole(request, "manage_users", { context });
  const [users, lockouts] = await withDb(async (c) => [await listUsers(c), await listLockouts(c)] as const);
  // The reader's own row (no Disable button) by account id, not e-mail: the page is made once
  // per account (scripts/page-cache.js ACCOUNT_PAGES) with a placeholder in place of the
  // reader's e-mail, so the id is the only thing of the reader's own it reads.
  // The instant as London reads it, made here so the page and its hydration agree.
  return { me: me.id, users, minLength: MIN_PASSWORD_LENGTH, lockoutRule: LOCKOUT_RULE, lockouts: lockouts.map((l) => ({ ...l, untilText: londonDateTime(lockoutLiftsAt(l.until)) })) };
}

export function ErrorBoundary() {
  return <RouteError title="Users could not be shown" />;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const me = await requireRole(request, "manage_users", { context });
  // Every change is audited as the signed-in admin, from the client's address.
  const by = { actor: { email: me.email, name: me.name }, role: me.role, ip: clientAddress(context) };
  const form = await request.formData();
  const field = (name: string) => String(form.get(name) ?? "");
  const intent = field("intent");
  const email = field("email");
  try {
    const message = await withDb(async (c) => {
      switch (intent) {
        case "add": {
          // The admin chose the password: its holder is asked to choose their own at sign-in.
          const user = await createUser(c, { email, name: field("name"), role: field("role"), password: field("password"), mustChangePassword: true }, by);
          return `Added ${user.name} (${user.email}) as ${ROLE_LABELS[user.role]}. They will be asked to choose their own password when they first sign in.`;
        }
        case "set-role": {
          if (email === me.email && field("role") !== "admin") throw new AccountError("you cannot take the administrator role from yourself");
          const { user } = await setRole(c, email, field("role"), by);
          return `${user.email} is now ${ROLE_LABELS[user.role]}.`;
        }
        case "disable":
        case "enable": {
          if (email === me.email) throw new AccountError("you cannot disable your own account");
          await setDisabled(c, email, intent === "disable", by);
          return `${email} ${intent === "disable" ? "disabled and signed out" : "enabled"}.`;
        }
        case "unlock": {
          // An account's lock (e-mail and address) or an address's lock (address alone), as listed.
          const target = { email: email || undefined, address: field("address") || undefined };
          const cleared = await clearLockout(c, target, by);
          return unlockMessage(cleared, target);
        }
        case "reset-password": {
          // Someone else's: they are asked to choose their own at sign-in. One's own is one's own.
          const own = email.trim().toLowerCase() === me.email;
          await resetPassword(c, email, field("password"), by, new Date(), !own);
          return `New password set for ${email}; their sessions were ended.${own ? "" : " They will be asked to choose their own when they sign in."}`;
        }
        default:
          throw new AccountError("unknown request");
      }
    });
    return { error: null, message };
  } catch (error) {
    if (error instanceof AccountError) return { error: `Not done: ${error.message}.`, message: null };
    throw error;
  }
}

/** A form of a row of this page's tables: the CSRF token, the row's hidden `fields`, and its controls. */
function RowForm({ fields, children }: { fields: Record<string, string>; children: ReactNode }) {
  return (
    <Form method="post" className="inline-form">
      <CsrfInput />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
    </Form>
  );
}

/** `label`: the select's accessible name where no <label> holds it (one per row of the table). */
function RoleSelect({ name, value, id, label }: { name: string; value?: string; id?: string; label?: string }) {
  return (
    <select name={name} defaultValue={value} id={id} aria-label={label}>
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {ROLE_LABELS[role]}
        </option>
      ))}
    </select>
  );
}

export default function Users() {
  const { users, me, lockouts, lockoutRule, minLength } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Users</h1>
      <p className="lede">
        Governors see figures without pupils; SLT see pupils; the attendance lead and head also import, amend and change
        settings; administrators also manage users.
      </p>
      {result?.message ? (
        <ActionAnswer answer={result} className="notice" role="status">
          <p>{result.message}</p>
        </ActionAnswer>
      ) : null}
      <FormError error={result?.error} answer={result} />
      <table className="data data--stacked" data-testid="users">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">E-mail</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.email}>
              <td data-label="Name">{user.name}</td>
              <td data-label="E-mail">{user.email}</td>
              <td data-label="Role">{ROLE_LABELS[user.role]}</td>
              <td data-label="Status">{user.disabled ? "Disabled" : user.mustChangePassword ? "Active; to choose own password" : "Active"}</td>
              <td data-label="Change">
                <RowForm fields={{ email: user.email }}>
                  <RoleSelect name="role" value={user.role} label={`Role for ${user.name} (${user.email})`} />
                  <button type="submit" name="intent" value="set-role" className="button button--secondary">
                    Set role
                  </button>
                  {user.id === me ? null : (
                    <button type="submit" name="intent" value={user.disabled ? "enable" : "disable"} className="button button--secondary">
                      {user.disabled ? "Enable" : "Disable"}
                    </button>
                  )}
                </RowForm>
                <RowForm fields={{ email: user.email }}>
                  <input type="password" name="password" placeholder={`New password (${minLength}+ characters)`} size={30} aria-label={`New password for ${user.email}`} minLength={minLength} />
                  <button type="submit" name="intent" value="reset-password" className="button button--secondary">
                    Set password
                  </button>
                </RowForm>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Sign-in lockouts</h2>
      <p className="hint">{lockoutRule}; each lock lifts by itself, or clear it here once you know who it was.</p>
      {lockouts.length === 0 ? (
        <p data-testid="no-lockouts">No sign-in is locked out.</p>
      ) : (
        <table className="data data--stacked" data-testid="lockouts">
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">From address</th>
              <th scope="col">Failed sign-ins</th>
              <th scope="col">Lifts by itself at</th>
              <th scope="col">Clear</th>
            </tr>
          </thead>
          <tbody>
            {lockouts.map((lock) => (
              <tr key={`${lock.email ?? ""} ${lock.address}`}>
                <td data-label="Account">{lock.email ?? "Every account (too many failures from this address)"}</td>
                <td data-label="From address">{lock.address}</td>
                <td data-label="Failed sign-ins">{lock.failures}</td>
                <td data-label="Lifts by itself at">{lock.untilText}</td>
                <td data-label="Clear">
                  <RowForm fields={{ email: lock.email ?? "", address: lock.address }}>
                    <button type="submit" name="intent" value="unlock" className="button button--secondary" aria-label={`Unlock ${lock.email ?? "every account"} from ${lock.address}`}>
                      Unlock
                    </button>
                  </RowForm>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Add a user</h2>
      <Form method="post" className="login-form" data-testid="add-user">
        <CsrfInput />
        <label>
          Name
          <input name="name" required />
        </label>
        <label>
          E-mail address
          <input type="email" name="email" required />
        </label>
        <label>
          Role
          <RoleSelect name="role" value="governor" />
        </label>
        <label>
          Password (at least {minLength} characters; they are asked to choose their own, on their Account page, when they sign in)
          <input type="password" name="password" minLength={minLength} required autoComplete="new-password" />
        </label>
        <button type="submit" name="intent" value="add" className="button">
          Add user
        </button>
      </Form>
    </>
  );
}
