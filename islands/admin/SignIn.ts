/** The sign-in form (when there is no session and the host did not pass credentials). */
import { useState } from "preact/hooks";
import { html } from "./html.ts";
import { t } from "./i18n.ts";

export function SignIn(
  { onSubmit, busy, error, notice }: {
    onSubmit: (userId: string, userKey: string) => void;
    busy: boolean;
    error: string;
    /** Why the admin is here again (session ended, signed out in another tab). */
    notice: string;
  },
) {
  const [userId, setUserId] = useState("");
  const [userKey, setUserKey] = useState("");
  return html`
    <main class="pa-center">
      <form class="pa-card pa-signin" onSubmit=${(e: Event) => {
        e.preventDefault();
        onSubmit(userId.trim(), userKey.trim());
      }}>
          <h1>${t("signInTitle")}</h1>
          ${notice && html`<p class="pa-notice" role="status">${notice}</p>`}
          <p class="pa-muted">${t("signInHint")}</p>
          <label class="pa-field">
            <span>${t("userId")}</span>
            <input
              name="user_id"
              required
              autocomplete="username"
              value=${userId}
              onInput=${(e: Event) => setUserId((e.target as HTMLInputElement).value)}
            />
          </label>
          <label class="pa-field">
            <span>${t("userKey")}</span>
            <input
              name="user_key"
              type="password"
              required
              autocomplete="current-password"
              value=${userKey}
              onInput=${(e: Event) => setUserKey((e.target as HTMLInputElement).value)}
            />
          </label>
          ${error && html`<p class="pa-error" role="alert">${error}</p>`}
          <button type="submit" disabled=${busy}>${busy ? t("signingIn") : t("signIn")}</button>
        </form>
    </main>
  `;
}
