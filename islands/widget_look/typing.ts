/** Tells the peer "typing…" while the user types (their widget shows it in the header). */
import { isMissing } from "../widget/api_error.ts";
import { call, dialogPath, S } from "../widget_extra/core.ts";

let last = 0;

/** Sends "typing" to `peer`, at most once per 3 s; off for good on a server without it. */
export function typing(peer: string) {
  if (!S.feat.typing || Date.now() - last < 3000) return;
  last = Date.now();
  call("POST", `${dialogPath(peer)}/typing`, {}).catch((e) => {
    if (isMissing(e)) S.feat.typing = false;
  });
}
