/** One user's profile with their ban state, and the ban / unban action. */
import { useEffect, useState } from "preact/hooks";
import { call } from "./api.ts";
import { when } from "./format.ts";
import { html } from "./html.ts";
import { t } from "./i18n.ts";
import { type Profile, useStore } from "./store.ts";
import { tm } from "./i18n_mod.ts";
import { actorName } from "./Moderation.ts";
import { banEnd, useDuration } from "./BanControl.ts";
import { banRecheckMs } from "../widget/ban_delay.ts";

interface UserInfo {
  user: Profile & { error: string };
  is_admin: boolean;
  role: "admin" | "moderator" | null;
  ban: { by: string; at: string; reason: string; until: string | null } | null;
  last_active: string | null;
  /** The server's time of the answer. */
  now: string;
}

export function UserCard({ uid }: { uid: string }) {
  const s = useStore();
  const [info, setInfo] = useState<UserInfo | null>(null);
  const [reason, setReason] = useState("");
  const duration = useDuration();
  const [error, setError] = useState("");
  const load = () =>
    call<UserInfo>("GET", `/api/v1/admin/users/${encodeURIComponent(uid)}`)
      .then((r) => {
        setInfo(r);
        s.addNames({ [uid]: r.user });
      })
      .catch((e) => setError((e as Error).message));
  useEffect(() => {
    setInfo(null);
    setError("");
    load();
  }, [uid, s.bansVersion]);
  // A ban for a time: read the user again when it ends (measured on the server's clock), so
  // the card shows it ended without waiting for the hourly clean-up's `ban` event. If the
  // server still says banned, its new answer sets the next timer.
  const until = info?.ban?.until;
  useEffect(() => {
    if (!until || !info) return;
    const timer = setTimeout(load, banRecheckMs(until, info.now));
    return () => clearTimeout(timer);
  }, [info]);
  const act = async (ban: boolean) => {
    const who = `${s.name(uid)} (#${uid})`;
    if (ban && !confirm(t("confirmBan", { id: `${who}, ${duration.text()}` }))) return;
    if (!ban && !confirm(t("confirmUnban", { name: who }))) return;
    try {
      await call(ban ? "PUT" : "DELETE", `/api/v1/admin/bans/${encodeURIComponent(uid)}`, {
        json: ban ? { reason, ...duration.body() } : undefined,
      });
      setReason("");
      load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  if (error) return html`<p class="pa-error" role="alert">${t("error")}: ${error}</p>`;
  if (!info) return html`<p class="pa-muted">${t("loading")}</p>`;
  const u = info.user;
  return html`<div class="pa-card">
    <div class="pa-card-head">
      ${u.avatar_url && html`<img class="pa-avatar" src=${u.avatar_url} alt="" />`}
      <div>
        <h2>${u.name || u.login || u.user_id}</h2>
        <p class="pa-muted">ID ${u.user_id} · ${u.login}</p>
        <p class="pa-muted">${t("lastActive")}: ${
    info.last_active ? when(info.last_active) : t("never")
  }</p>
        ${u.error && html`<p class="pa-warn-text">${u.error}</p>`}
      </div>
    </div>
    ${
    info.role
      ? html`<span class="pa-badge">${info.role === "admin" ? t("admin") : tm("moderator")}</span>`
      : info.ban
      ? html`
        <div class="pa-ban">
          <span class="pa-badge pa-warn">${t("banned")} ${banEnd(info.ban.until)}</span>
          <span class="pa-muted">${when(info.ban.at)} · ${actorName(s, info.ban.by)} · ${info.ban
            .reason}</span>
          <button onClick=${() => act(false)}>${t("unban")}</button>
        </div>
      `
      : html`
        <div class="pa-ban">
          ${duration.field}
          <input
            aria-label=${t("banReason")}
            placeholder=${t("banReason")}
            value=${reason}
            maxLength="500"
            onInput=${(e: Event) => setReason((e.target as HTMLInputElement).value)}
          />
          <button class="pa-danger" onClick=${() => act(true)}>${t("ban")}</button>
        </div>
      `
  }
  </div>`;
}
