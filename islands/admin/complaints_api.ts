/** Shapes of the admin complaints API as the page reads them, and the reason labels. */
import { type Strings, t } from "./i18n.ts";
import type { Msg } from "./store.ts";

/** A complaint reason in the admin's language (unknown reasons as sent). */
export function reasonLabel(reason: string): string {
  const key = `reason_${reason}` as keyof Strings;
  return ["spam", "abuse", "scam", "other"].includes(reason) ? t(key) : reason;
}

export interface Complaint {
  id: string;
  reporter: string;
  user_id: string;
  message_id: string | null;
  reason: string;
  text: string;
  status: "open" | "resolved" | "dismissed";
  created_at: string;
  updated_at: string;
  handled_by: string | null;
  assignee: { user_id: string; by: string; at: string } | null;
  note: string;
  message: Msg | null;
}

export interface ComplaintDetail {
  complaint: Complaint;
  message: Msg | null;
  message_deleted: boolean;
  context: Msg[];
}
