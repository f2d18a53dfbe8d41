/** What `widget-look.js` provides to the core (merged with widget-extra.js's parts). */
import { Back } from "./back.ts";
import { watchBanEnd } from "./ban_end.ts";
import { Emoji } from "./emoji.ts";
import { logDidUpdate, logItems } from "./log.ts";
import { Bell, notifyNew } from "./notify.ts";
import { typing } from "./typing.ts";
import { S } from "../widget_extra/core.ts";

/** The look's components and hooks. */
export const parts = {
  logItems,
  logDidUpdate,
  /**
   * The top bar's bell (notifications; in the list only, a dialog's bar needs its width for the
   * name) and the back button's history entry on the sheet.
   */
  TopParts: () => [!S.peer && Bell(), Back()],
  Emoji,
  notifyNew,
  typing,
  /** Re-arms the ban's end after a `ban` event (islands/widget_extra/events.ts). */
  watchBanEnd,
};

/** The look's parts as the core sees them. */
export type Look = typeof parts;
