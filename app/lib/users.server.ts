/** The accounts store (analytics/users/store.ts) for routes: server-only, kept out of the browser bundle. */
export {
  AccountError,
  changeOwnPassword,
  findUserById,
  LOCKOUT_RULE,
  LOCKOUT_WINDOW_MS,
  clearLockout,
  listLockouts,
  unlockMessage,
  DEMO_EMAIL_DOMAIN,
  createUser,
  hasEnabledAccount,
  isDemoDatabase,
  listUsers,
  resetPassword,
  setDisabled,
  setRole,
  signIn,
} from "../../analytics/users/store.ts";
export { MIN_PASSWORD_LENGTH } from "../../analytics/users/password.ts";
