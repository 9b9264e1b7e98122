/**
 * What the sign-in page says to someone sent to it because their session ended (trial 53: after
 * an administrator disabled an account or reset its password, its holder's next click landed on a
 * plain "Sign in", and an ordinary sign-out said nothing either). About the reader's own session
 * only (the one their browser's signed cookie named, store.ts sessionEnding): never whether any
 * other account exists, nor that theirs is disabled — signing in to a disabled account is still
 * told only "That e-mail address and password do not match an active account.". Pure.
 */
import type { SessionEnding } from "./store.ts";

/** The notice for `ending`: a sign-out of the reader's own (`signed_out`), or why else it ended. */
export function sessionEndWords(ending: SessionEnding | "signed_out", idleHours: number): string {
  switch (ending) {
    case "signed_out":
      return "You have signed out.";
    case "expired":
      return `You were signed out because Rollcall was not used for ${idleHours} hours. Sign in again to go on.`;
    case "password_changed":
      return "You were signed out because your password was changed. Sign in with the new one.";
    case "administrator":
      return "You were signed out: your session was ended by an administrator. Sign in again, or ask your Rollcall administrator if you cannot.";
  }
}
