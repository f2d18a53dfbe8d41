/** The admin page: sign-in, the 403 screen, and the views behind a tab bar (hash routes). */
import { useEffect, useState } from "preact/hooks";
import { setToken } from "./api.ts";
import { AuditLog } from "./AuditLog.ts";
import {
  credentialsFromUrl,
  forget,
  listenForHost,
  savedSession,
  type Session,
  signIn,
} from "./auth.ts";
import { Complaints } from "./Complaints.ts";
import { DialogView } from "./DialogView.ts";
import { Gallery } from "./Gallery.ts";
import { html } from "./html.ts";
import { type Strings, t } from "./i18n.ts";
import { startLive } from "./live.ts";
import { Moderation } from "./Moderation.ts";
import { Monitor } from "./Monitor.ts";
import { NotAdmin, SignIn } from "./SignIn.ts";
import { useStore } from "./store.ts";
import { UserView } from "./UserView.ts";

type Phase =
  | { kind: "signin"; busy: boolean; error: string }
  | { kind: "denied"; userId: string }
  | { kind: "ready"; session: Session };

const TABS: [string, keyof Strings][] = [
  ["monitor", "monitor"],
  ["dialog", "dialog"],
  ["user", "user"],
  ["complaints", "complaints"],
  ["gallery", "gallery"],
  ["moderation", "moderation"],
  ["audit", "audit"],
];

function route(): string[] {
  const parts = location.hash.replace(/^#\/?/, "").split("/").map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return "";
    }
  });
  return parts[0] ? parts : ["monitor"];
}

function useRoute(): string[] {
  const [r, setR] = useState(route);
  useEffect(() => {
    const on = () => setR(route());
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return r;
}

function View({ r }: { r: string[] }) {
  switch (r[0]) {
    case "dialog":
      return html`<${DialogView} a=${r[1]} b=${r[2]} focus=${r[3]} />`;
    case "user":
      return html`<${UserView} uid=${r[1]} />`;
    case "complaints":
      return html`<${Complaints} id=${r[1]} />`;
    case "gallery":
      return html`<${Gallery} />`;
    case "moderation":
      return html`<${Moderation} />`;
    case "audit":
      return html`<${AuditLog} />`;
    default:
      return html`<${Monitor} />`;
  }
}

function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const s = useStore();
  const r = useRoute();
  useEffect(() => startLive(), []);
  const open = s.stats?.complaints.open ?? 0;
  return html`
    <div class="pa-app">
      <header class="pa-top">
        <strong class="pa-brand">Parley</strong>
        <nav class="pa-nav" aria-label=${t("title")}>
            ${TABS.map(([id, label]) =>
              html`
                <a
                  href=${"#/" + id}
                  class=${r[0] === id ? "pa-tab pa-active" : "pa-tab"}
                  aria-current=${r[0] === id ? "page" : undefined}
                  data-tab=${id}
                >${t(label)}${id === "complaints" && open > 0 &&
                  html`
                    <span class="pa-count" aria-label=${t("openComplaints")}>${open}</span>
                  `}</a>
              `
            )}
          </nav>
        <span class="pa-me">${session.user.name || session.user.user_id}</span>
        <button class="pa-link" onClick=${onSignOut}>${t("signOut")}</button>
      </header>
      <main class="pa-main">
        <${View} r=${r} />
      </main>
    </div>
  `;
}

export function App() {
  const [phase, setPhase] = useState<Phase>({ kind: "signin", busy: false, error: "" });
  const enter = (session: Session) => {
    setToken(session.token, () => {
      forget();
      setPhase({ kind: "signin", busy: false, error: "" });
    });
    setPhase({ kind: "ready", session });
  };
  const attempt = async (userId: string, userKey: string) => {
    setPhase({ kind: "signin", busy: true, error: "" });
    try {
      const session = await signIn(userId, userKey);
      if (session.user.is_admin) enter(session);
      else setPhase({ kind: "denied", userId: session.user.user_id });
    } catch (e) {
      setPhase({ kind: "signin", busy: false, error: (e as Error).message });
    }
  };
  useEffect(() => {
    document.title = t("title");
    const fromUrl = credentialsFromUrl();
    const saved = savedSession();
    if (fromUrl) attempt(fromUrl.userId, fromUrl.userKey);
    else if (saved) enter(saved);
    return listenForHost(attempt);
  }, []);
  const signOut = () => {
    forget();
    location.reload();
  };
  if (phase.kind === "ready") {
    return html`<${Shell} session=${phase.session} onSignOut=${signOut} />`;
  }
  if (phase.kind === "denied") {
    return html`<${NotAdmin} userId=${phase.userId} onSignOut=${signOut} />`;
  }
  return html`<${SignIn} onSubmit=${attempt} busy=${phase.busy} error=${phase.error} />`;
}
