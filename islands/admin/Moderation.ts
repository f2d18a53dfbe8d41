/** Moderation tools: ban a user by id, the banned list with unban, delete a message by id. */
import { useState } from "preact/hooks";
import { call } from "./api.ts";
import { link, when } from "./format.ts";
import { html } from "./html.ts";
import { t } from "./i18n.ts";
import { Pager, usePaged } from "./paged.ts";
import { type Profile, useStore } from "./store.ts";

interface Ban {
  user_id: string;
  by: string;
  at: string;
  reason: string;
}

export function Moderation() {
  const s = useStore();
  const [uid, setUid] = useState("");
  const [reason, setReason] = useState("");
  const [msgId, setMsgId] = useState("");
  const [notice, setNotice] = useState("");
  const bans = usePaged(async (cursor) => {
    const r = await call<
      { bans: Ban[]; next_cursor: string | null; users: Record<string, Profile> }
    >(
      "GET",
      "/api/v1/admin/bans",
      { params: { cursor, limit: "50" } },
    );
    s.addNames(r.users);
    return { items: r.bans, next: r.next_cursor };
  }, [s.bansVersion]);
  const run = async (job: () => Promise<unknown>) => {
    setNotice("");
    try {
      await job();
      setNotice(t("done"));
    } catch (e) {
      setNotice(`${t("error")}: ${(e as Error).message}`);
    }
  };
  const ban = (e: Event) => {
    e.preventDefault();
    const id = uid.trim();
    if (!id || !confirm(t("confirmBan", { id }))) return;
    run(async () => {
      await call("PUT", `/api/v1/admin/bans/${encodeURIComponent(id)}`, { json: { reason } });
      setUid("");
      setReason("");
    });
  };
  const unban = (id: string) =>
    run(() => call("DELETE", `/api/v1/admin/bans/${encodeURIComponent(id)}`));
  const del = (e: Event) => {
    e.preventDefault();
    const id = msgId.trim();
    if (!id || !confirm(t("confirmDelete"))) return;
    run(async () => {
      await call("DELETE", `/api/v1/admin/messages/${encodeURIComponent(id)}`);
      s.markDeleted(id);
      setMsgId("");
    });
  };
  const input = (label: string, value: string, set: (v: string) => void, required = true) =>
    html`
      <label class="pa-field">
        <span>${label}</span>
        <input
          required=${required}
          value=${value}
          onInput=${(e: Event) => set((e.target as HTMLInputElement).value)}
        />
      </label>
    `;
  return html`<section class="pa-view">
    ${notice && html`<p class="pa-notice" role="status">${notice}</p>`}
    <h2>${t("ban")}</h2>
    <form class="pa-form" onSubmit=${ban}>
      ${input(t("userId"), uid, setUid)} ${input(t("banReason"), reason, setReason, false)}
      <button class="pa-danger" type="submit">${t("ban")}</button>
    </form>
    <h2>${t("deleteById")}</h2>
    <form class="pa-form" onSubmit=${del}>
      ${input(t("messageId"), msgId, setMsgId)}
      <button class="pa-danger" type="submit">${t("delete")}</button>
    </form>
    <h2>${t("bannedUsers")}</h2>
    <ul class="pa-users">
      ${
    bans.items.map((b) =>
      html`
        <li key=${b.user_id}>
          <a href=${link("user", b.user_id)}><b>${s.name(b.user_id)}</b></a>
          <span class="pa-muted">${when(b.at)} · ${b.by}${b.reason ? " · " + b.reason : ""}</span>
          <button onClick=${() => unban(b.user_id)}>${t("unban")}</button>
        </li>
      `
    )
  }
    </ul>
    <${Pager} list=${bans} empty=${t("noBans")} />
  </section>`;
}
