/**
 * The user side panel: the host site's profile page, the people they talk with, complaints that
 * name them, and moderators' notes about them (added and deleted here, each in the audit log).
 */
import { useEffect, useState } from "preact/hooks";
import { call } from "./api.ts";
import { link, when } from "./format.ts";
import { html } from "./html.ts";
import { t } from "./i18n.ts";
import { actorName } from "./Moderation.ts";
import { type Profile, useStore } from "./store.ts";

interface Panel {
  profile_url: string | null;
  /** Null for a moderator (whom a user talks with is for admins). */
  peers: { user_id: string; last_at: string }[] | null;
  complaints: { against: number; open: number; filed: number; complete: boolean };
  notes: { id: string; by: string; at: string; text: string }[];
  users: Record<string, Profile>;
}

function Notes({ uid, panel, reload }: { uid: string; panel: Panel; reload: () => void }) {
  const s = useStore();
  const [text, setText] = useState("");
  const [error, setError] = useState("");
  const add = async (e: Event) => {
    e.preventDefault();
    setError("");
    try {
      await call("POST", `/api/v1/admin/users/${encodeURIComponent(uid)}/notes`, {
        json: { text },
      });
      setText("");
      reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const remove = async (id: string) => {
    if (!confirm(t("confirmDeleteNote"))) return;
    try {
      await call("DELETE", `/api/v1/admin/users/${encodeURIComponent(uid)}/notes/${id}`);
      reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return html`
    <h3>${t("notes")}</h3>
    ${panel.notes.length === 0 && html`<p class="pa-muted">${t("noNotes")}</p>`}
    <ul class="pa-notes">
      ${panel.notes.map((n) =>
        html`
          <li key=${n.id}>
            <p class="pa-text">${n.text}</p>
            <span class="pa-muted">${actorName(s, n.by)} · ${when(n.at)}</span>
            <button class="pa-link pa-small" onClick=${() => remove(n.id)}>${t("delete")}</button>
          </li>
        `
      )}
    </ul>
    <form class="pa-note-form" onSubmit=${add}>
      <label class="pa-field">
        <span>${t("addNote")}</span>
        <textarea
          rows="2"
          maxLength="2000"
          value=${text}
          onInput=${(e: Event) => setText((e.target as HTMLTextAreaElement).value)}
        ></textarea>
      </label>
      <button type="submit" disabled=${!text.trim()}>${t("saveNote")}</button>
      ${error && html`<p class="pa-error" role="alert">${error}</p>`}
    </form>
  `;
}

export function UserPanel({ uid }: { uid: string }) {
  const s = useStore();
  const [panel, setPanel] = useState<Panel | null>(null);
  const load = () =>
    call<Panel>("GET", `/api/v1/admin/users/${encodeURIComponent(uid)}/panel`)
      .then((p) => {
        s.addNames(p.users);
        setPanel(p);
      })
      .catch(() => setPanel(null));
  useEffect(() => {
    setPanel(null);
    load();
  }, [uid, s.complaintsVersion]);
  if (!panel) return html`<aside class="pa-panel" aria-label=${t("userPanel")}></aside>`;
  const c = panel.complaints;
  return html`<aside class="pa-panel" aria-label=${t("userPanel")}>
    ${
    panel.profile_url &&
    html`<p><a href=${panel.profile_url} target="_blank" rel="noopener noreferrer">${
      t("profileOnSite")
    }</a></p>`
  }
    <h3>${t("complaints")}</h3>
    <p class="pa-panel-counts">
      ${t("complaintsAgainst", { n: c.against, open: c.open })}<br />
      ${t("complaintsFiled", { n: c.filed })}${c.complete ? "" : " (" + t("newestOnly") + ")"}
    </p>
    ${panel.peers && html`<h3>${t("peers")}</h3>`}
    ${panel.peers?.length === 0 && html`<p class="pa-muted">${t("noPeers")}</p>`}
    <ul class="pa-peers">
      ${
    (panel.peers ?? []).map((p) =>
      html`
        <li key=${p.user_id}>
          <a href=${link("dialog", uid, p.user_id)}>${s.name(p.user_id)}</a>
          <span class="pa-id"> #${p.user_id}</span>
          <span class="pa-muted"> · ${when(p.last_at)}</span>
        </li>
      `
    )
  }
    </ul>
    <${Notes} uid=${uid} panel=${panel} reload=${load} />
  </aside>`;
}
