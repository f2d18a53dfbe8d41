/** What `widget-extra.js` provides to the core (rendered or called by it once loaded). */
import { Lightbox } from "./Lightbox.ts";
import { MessageActions } from "./MessageActions.ts";
import { PeerMenu, toggleMark } from "./PeerMenu.ts";
import { ReportForm } from "./ReportForm.ts";
import { searchContacts, Tabs } from "./Tabs.ts";
import { sendImage } from "./upload.ts";
import { UploadBar } from "./UploadBar.ts";

/** The extra components and actions. */
export const parts = {
  Lightbox,
  MessageActions,
  PeerMenu,
  ReportForm,
  Tabs,
  UploadBar,
  searchContacts,
  sendImage,
  toggleMark,
};

/** The extra parts as the core sees them. */
export type Extra = typeof parts;
