/**
 * The signed-in staff member's role: a moderator handles complaints, deletes and bans, and does
 * not browse private dialogs, so the page hides those views (the server refuses them anyway).
 */
export type StaffRole = "admin" | "moderator";

let current: StaffRole = "admin";
let uid = "";

/** Remembers who signed in (from the session answer). */
export function setRole(role: StaffRole | undefined, userId: string) {
  current = role === "moderator" ? "moderator" : "admin";
  uid = userId;
}

/** The signed-in staff member's user id (claiming a complaint names them). */
export function myId(): string {
  return uid;
}

export function isFullAdmin(): boolean {
  return current === "admin";
}

/** The views that browse private messages: admins only. */
export const ADMIN_ONLY_VIEWS = new Set([
  "monitor",
  "dialog",
  "user",
  "search",
  "gallery",
  "audit",
]);

/** Whether the current role may open the view `id`. */
export function mayOpen(id: string): boolean {
  return isFullAdmin() || !ADMIN_ONLY_VIEWS.has(id);
}
