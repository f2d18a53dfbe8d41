/** What `widget-extra.js` provides to the core (rendered or called by it once loaded). */
import { alertNew } from "./alert.ts";
import { Lightbox, openImage } from "./Lightbox.ts";
import { EditBox } from "./edit.ts";
import { onEvent } from "./events.ts";
import { logKey, MessageActions, openMenu } from "./MessageActions.ts";
import { panelKey } from "./keys.ts";
import { PeerMenu, toggleMark } from "./PeerMenu.ts";
import { ReportForm } from "./ReportForm.ts";
import { Sheet } from "./Sheet.ts";
import { searchContacts, Tabs } from "./Tabs.ts";
import { Attach, sendFiles } from "./upload.ts";
import { UploadBar } from "./UploadBar.ts";

/** The extra components and actions. */
export const parts = {
  alertNew,
  Attach,
  Lightbox,
  EditBox,
  onEvent,
  openImage,
  MessageActions,
  logKey,
  openMenu,
  panelKey,
  PeerMenu,
  ReportForm,
  Sheet,
  Tabs,
  UploadBar,
  searchContacts,
  sendFiles,
  toggleMark,
};

/** The extra parts as the core sees them. */
export type Extra = typeof parts;
