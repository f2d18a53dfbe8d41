/**
 * One dialog: the history (paged backwards when scrolled to the top, day separators, kept in place
 * when older pages arrive, following new messages when at the bottom), the report form and the
 * composer. Images can be dropped anywhere on it. The messages are laid out by widget-look.js
 * (days, groups, the unread line, the "new messages" button: islands/widget_look/log.ts), loaded
 * with the other lazy parts; until it is there, they are listed plainly.
 */
import { Component, createRef } from "preact";
import { t } from "../i18n.ts";
import { html } from "../html.ts";
import { nameOf, S, thread } from "../store.ts";
import { extra } from "../lazy.ts";
import { loadHistory } from "../threads.ts";
import { Composer, sendFiles } from "./Composer.ts";
import { MessageBubble } from "./MessageBubble.ts";

/** Scroll state before an update: height, position, and whether the user was at the bottom. */
export type Snap = [height: number, top: number, atBottom: boolean];

/** The dialog screen with `peer` (keyed by peer, so each dialog gets its own instance). */
export class DialogView extends Component<{ peer: string }> {
  log = createRef<HTMLDivElement>();
  first = "";
  last = "";

  override getSnapshotBeforeUpdate(): Snap {
    const el = this.log.current!;
    return [el.scrollHeight, el.scrollTop, el.scrollHeight - el.scrollTop - el.clientHeight < 60];
  }

  override componentDidMount() {
    this.componentDidUpdate(0, 0);
  }

  override componentDidUpdate(_p: unknown, _s: unknown, snap?: Snap) {
    const el = this.log.current!;
    const msgs = thread(this.props.peer).msgs;
    const first = msgs[0]?.id ?? "";
    const last = msgs.at(-1);
    if (snap && first < this.first) {
      // Older messages came in above: keep what the user was looking at in place.
      el.scrollTop = el.scrollHeight - snap[0] + snap[1];
    } else if (
      !snap || snap[2] || (last && last.id !== this.last && last.from !== this.props.peer)
    ) {
      el.scrollTop = el.scrollHeight;
    }
    extra?.logDidUpdate(this, snap);
    this.first = first;
    this.last = last?.id ?? "";
  }

  onScroll = () => {
    if (this.log.current!.scrollTop < 80) loadHistory(this.props.peer, true);
  };

  onDrop = (e: DragEvent) => {
    e.preventDefault();
    sendFiles(e.dataTransfer?.files);
  };

  override render({ peer }: { peer: string }) {
    const th = thread(peer);
    // Laid out by the lazy parts; until they are there (or if they fail), the plain messages.
    const items = extra?.logItems(this) ??
      th.msgs.map((m) => html`<${MessageBubble} key=${m.id} m=${m} />`);
    return html`<div class="view" onDragOver=${(e: Event) =>
      e.preventDefault()} onDrop=${this.onDrop}>
${th.busy && html`<p class="loading" role="status">${t("loading")}</p>`}
<div class="log" role="log" tabindex="0" aria-label=${
      nameOf(peer)
    } ref=${this.log} onScroll=${this.onScroll} onKeyDown=${(e: KeyboardEvent) =>
      extra?.logKey(e)}>${items}${extra && html`<${extra.Pending} peer=${peer} />`}</div>
${S.report && extra && html`<${extra.ReportForm} />`}
<${Composer} key=${peer} peer=${peer} />
</div>`;
  }
}
