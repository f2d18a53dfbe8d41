/** While the tab is hidden and a message arrives, the page title blinks with the unread count. */
import { S, t } from "./core.ts";

const unreadTotal = () => Object.values(S.unread).reduce((a, b) => a + b, 0);

let timer: ReturnType<typeof setInterval> | undefined;
let saved = "";

/** Starts blinking the title (only when the tab is hidden); stops when the tab is shown. */
export function blinkTitle() {
  if (!document.hidden || timer) return;
  saved = document.title;
  let on = false;
  timer = setInterval(() => {
    on = !on;
    document.title = on ? `(${unreadTotal()}) ${t("newMessage")}` : saved;
  }, 1000);
}

document.addEventListener("visibilitychange", () => {
  if (!document.hidden && timer) {
    clearInterval(timer);
    timer = undefined;
    document.title = saved;
  }
});
