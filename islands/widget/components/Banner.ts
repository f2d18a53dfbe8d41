/** The strip under the panel's top bar: connection state and short notices. */
import { t } from "../i18n.ts";
import { html } from "../html.ts";
import { S } from "../store.ts";

/** "Reconnecting…", "unavailable", or the current notice. */
export function Banner() {
  const n = S.conn === "online" || S.conn === "connecting" ? S.notice : {
    text: t(
      S.conn !== "failed"
        ? "reconnecting"
        : S.failCode === "not_a_chat_user"
        ? "noRight"
        : "reload",
    ),
    error: S.conn === "failed",
  };
  return n &&
    html`<p class=${"banner " + S.conn + (n.error ? " err" : "")} role=${
      n.error ? "alert" : "status"
    }>${n.text}</p>`;
}
