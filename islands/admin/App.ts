/** The admin page: sign-in, the 403 screen, and the views behind a tab bar (hash routes). */
import { useEffect, useRef, useState } from "preact/hooks";
import { setSession } from "./api.ts";
import { AuditLog } from "./AuditLog.ts";
import {
  announceSignIn,
  codeFromUrl,
  currentSession,
  listenForHost,
  onOtherTab,
  type Session,
  signIn,
  signInWithCode,
  signOut,
} from "./auth.ts";
import { Complaints } from "./Complaints.ts";
import { DialogView } from "./DialogView.ts";
import { Gallery } from "./Gallery.ts";
import { html } from "./html.ts";
import { type Strings, t } from "./i18n.ts";
import { startLive } from "./live.ts";
import { Moderation } from "./Moderation.ts";
import { Monitor } from "./Monitor.ts";
import { SignIn } from "./SignIn.ts";
import { ShortcutHelp, useShortcuts } from "./keyboard.ts";
import { useStore } from "./store.ts";
import { UserView } from "./UserView.ts";
import { SearchView } from "./SearchView.ts";
import { tm } from "./i18n_mod.ts";
import { isFullAdmin, mayOpen, setRole } from "./role.ts";

type Phase =
  | { kind: "loading" }
  | { kind: "signin"; busy: boolean; error: string; notice?: string }
  | { kind: "ready"; session: Session };

const TABS: [string, keyof Strings | "search"][] = [
  ["monitor", "monitor"],
  ["dialog", "dialog"],
  ["user", "user"],
  ["search", "search"],
  ["complaints", "complaints"],
  ["gallery", "gallery"],
  ["moderation", "moderation"],
  ["audit", "audit"],
];

/** A tab's name ("search" is the moderation strings' word; the shared one means user search). */
function tabLabel(key: keyof Strings | "search"): string {
  return key === "search" ? tm("search") : t(key);
}

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
  // A moderator's page has no views of private dialogs: those addresses open the queue.
  if (!mayOpen(r[0])) return html`<${Complaints} />`;
  switch (r[0]) {
    case "search":
      return html`<${SearchView} />`;
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
  const routed = useRoute();
  const r = mayOpen(routed[0]) ? routed : ["complaints"];
  const tabs = TABS.filter(([id]) => mayOpen(id));
  useEffect(() => startLive(), []);
  const [help, setHelp] = useShortcuts();
  // After a view change focus goes to the new view's heading (not back to <body>), so a screen
  // reader says where it is; not on the first load.
  const first = useRef(true);
  useEffect(() => {
    setHelp(false);
    if (first.current) first.current = false;
    else document.getElementById("pa-view-title")?.focus({ preventScroll: true });
  }, [r.join("/")]);
  const open = s.stats?.complaints.open ?? 0;
  return html`
    <div class="pa-app">
      <header class="pa-top">
        <strong class="pa-brand">Parley</strong>
        <nav class="pa-nav" aria-label=${t("title")}>
            ${tabs.map(([id, label]) =>
              html`
                <a
                  href=${"#/" + id}
                  class=${r[0] === id ? "pa-tab pa-active" : "pa-tab"}
                  aria-current=${r[0] === id ? "page" : undefined}
                  data-tab=${id}
                >${tabLabel(label)}${id === "complaints" && open > 0 &&
                  html`
                    <span class="pa-count" aria-label=${t("openComplaints")}>${open}</span>
                  `}</a>
              `
            )}
          </nav>
        <span class="pa-me">${session.user.name || session.user.user_id}${!isFullAdmin()
          ? ` · ${tm("moderator")}`
          : ""}</span>
        <button class="pa-link" onClick=${onSignOut}>${t("signOut")}</button>
        <button class="pa-link pa-keys" aria-haspopup="dialog" onClick=${() => setHelp(true)}>
          ${t("keysHint")}
        </button>
      </header>
      <main class="pa-main" id="pa-main" tabindex="-1">
        <h1 class="pa-sr" id="pa-view-title" tabindex="-1">
          ${tabLabel(TABS.find(([id]) => id === r[0])?.[1] ?? "monitor")}
        </h1>
        <${View} r=${r} />
      </main>
      ${help && html`<${ShortcutHelp} onClose=${() => setHelp(false)} />`}
    </div>
  `;
}

export function App() {
  const [phase, setPhase] = useState<Phase>({ kind: "loading" });
  const enter = (session: Session) => {
    // A 401 later on means the session ended (expired, signed out elsewhere, rights withdrawn).
    setRole(session.user.role, session.user.user_id);
    setSession(session.csrf, () => {
      setPhase({ kind: "signin", busy: false, error: "", notice: t("sessionEnded") });
    });
    setPhase({ kind: "ready", session });
  };
  const signedIn = (session: Session) => {
    enter(session);
    announceSignIn();
  };
  const failed = (e: unknown) => setPhase({ kind: "signin", busy: false, error: errorText(e) });
  const attempt = async (userId: string, userKey: string) => {
    setPhase({ kind: "signin", busy: true, error: "" });
    await signIn(userId, userKey).then(signedIn, failed);
  };
  useEffect(() => {
    document.title = t("title");
    const code = codeFromUrl();
    if (code) signInWithCode(code).then(signedIn, failed);
    else {
      currentSession().then((s) => {
        if (s && s !== "ended") return enter(s);
        const notice = s === "ended" ? t("sessionEnded") : undefined;
        setPhase({ kind: "signin", busy: false, error: "", notice });
      });
    }
    onOtherTab((what) => {
      if (what === "signed-out") {
        setPhase({ kind: "signin", busy: false, error: "", notice: t("signedOutElsewhere") });
      } else currentSession().then((s) => s && s !== "ended" && enter(s));
    });
    return listenForHost(attempt);
  }, []);
  const leave = async () => {
    await signOut();
    setPhase({ kind: "signin", busy: false, error: "", notice: t("signedOut") });
  };
  if (phase.kind === "ready") {
    return html`<${Shell} session=${phase.session} onSignOut=${leave} />`;
  }
  if (phase.kind === "loading") return html`<main class="pa-center" aria-busy="true"></main>`;
  return html`
    <${SignIn}
      onSubmit=${attempt}
      busy=${phase.busy}
      error=${phase.error}
      notice=${phase.notice ?? ""}
    />
  `;
}

function errorText(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === "sign_in_failed") return t("signInFailed");
  if (code === "rate_limited") return t("signInRateLimited");
  return (e as Error).message;
}
