/** What `widget-chat.js` provides to the core (merged with widget-extra.js's parts). */
import { send, takeCaption } from "./caption.ts";
import { onDeleted } from "./deleted.ts";
import { Pending } from "./Pending.ts";
import { Quote, ReplyBar } from "./reply.ts";
import { Search } from "./Search.ts";

/** The chat parts. */
export const chatParts = { send, takeCaption, onDeleted, Pending, Quote, ReplyBar, Search };

/** The chat parts as the core sees them. */
export type Chat = typeof chatParts;
