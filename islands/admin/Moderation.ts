/**
 * Moderation tools: ban a user found by name, login or id, and the banned list with unban (asked
 * to confirm). Messages are deleted from their rows in every view (no "delete by id" needing ids
 * the page never shows).
 */
import { useEffect, useState } from "preact/hooks";
import { call } from "./api.ts";
import { link, when } from "./format.ts";
import { html } from "./html.ts";
import { t } from "./i18n.ts";
import { Pager, usePaged } from "./paged.ts";
import { type Profile, useStore } from "./store.ts";
import { resolveUser, UserPicker } from "./UserPicker.ts";
import { banEnd, useDuration } from "./BanControl.ts";

interface Ban {
  user_id: string;
  by: string;
  at: string;
  reason: string;
  until: string | null;
}

/** Who acted: an admin's name, or the site itself through the manage API. */
export function actorName(s: { name: (id: string) => string }, by: string): string {
  return by === "manage_api" ? t("bySite") : s.name(by);
}

export function Moderation() {
  const s = useStore();
  const [uid, setUid] = useState("");
  const [reason, setReason] = useState("");
  const duration = useDuration();
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
  // A ban for a time leaves the list when it ends (the server no longer applies it), without a
  // reload: one timer for the soonest end.
  const [now, setNow] = useState(Date.now());
  const shown = bans.items.filter((b) => b.until === null || Date.parse(b.until) > now);
  useEffect(() => {
    const next = Math.min(...shown.map((b) => b.until ? Date.parse(b.until) : Infinity));
    if (next === Infinity) return;
    const id = setTimeout(() => setNow(Date.now()), Math.min(next - Date.now() + 50, 2 ** 31 - 1));
    return () => clearTimeout(id);
  }, [bans.items, now]);
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
    run(async () => {
      const id = await resolveUser(uid);
      const who = `${s.name(id)} (#${id}, ${duration.text()})`;
      if (!confirm(t("confirmBan", { id: who }))) return;
      await call("PUT", `/api/v1/admin/bans/${encodeURIComponent(id)}`, {
        json: { reason, ...duration.body() },
      });
      setUid("");
      setReason("");
    });
  };
  const unban = (id: string) => {
    if (!confirm(t("confirmUnban", { name: `${s.name(id)} (#${id})` }))) return;
    run(() => call("DELETE", `/api/v1/admin/bans/${encodeURIComponent(id)}`));
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
      <${UserPicker} label=${t("user")} name="ban_user" value=${uid} onInput=${setUid} />
      ${duration.field}
      ${input(t("banReason"), reason, setReason, false)}
      <button class="pa-danger" type="submit">${t("ban")}</button>
    </form>
    <h2>${t("bannedUsers")}</h2>
    <ul class="pa-users">
      ${
    shown.map((b) =>
      html`
        <li key=${b.user_id}>
          <a href=${link("user", b.user_id)}><b>${s.name(b.user_id)}</b> <span class="pa-id">#${b
            .user_id}</span></a>
          <span class="pa-badge pa-warn">${banEnd(b.until)}</span>
          <span class="pa-muted">${when(b.at)} · ${actorName(s, b.by)}${b.reason
            ? " · " + b.reason
            : ""}</span>
          <button onClick=${() => unban(b.user_id)}>${t("unban")}</button>
        </li>
      `
    )
  }
    </ul>
    <${Pager} list=${bans} empty=${t("noBans")} />
  </section>`;
}
