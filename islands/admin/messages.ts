/** Loads one page of admin messages and remembers the names that came with it. */
import { call } from "./api.ts";
import { localToIso } from "./format.ts";
import type { Page } from "./paged.ts";
import { type Msg, type Profile, store } from "./store.ts";

export async function loadMessages(
  params: {
    user?: string;
    peer?: string;
    from?: string;
    to?: string;
    /** Epoch ms, exclusive, sent as is (a message's own time; finer than the minute fields). */
    before?: string;
    attachments?: boolean;
    limit?: number;
  },
  cursor?: string,
): Promise<Page<Msg>> {
  const r = await call<
    { messages: Msg[]; next_cursor: string | null; users: Record<string, Profile> }
  >(
    "GET",
    "/api/v1/admin/messages",
    {
      params: {
        user: params.user,
        peer: params.peer,
        from: localToIso(params.from ?? ""),
        to: params.before || localToIso(params.to ?? ""),
        attachments: params.attachments ? "1" : undefined,
        limit: String(params.limit ?? 50),
        cursor,
      },
    },
  );
  store.addNames(r.users);
  return { items: r.messages, next: r.next_cursor };
}
