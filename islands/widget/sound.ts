/**
 * The new-message sound's switch and its audio output. The mute choice is kept in localStorage so
 * it survives reloads; the AudioContext is made on the first user gesture (browsers keep audio
 * suspended until one). The beep itself is synthesised by the extra parts
 * (islands/widget_extra/alert.ts), which get `audio` from here.
 */
import { S, update } from "./store.ts";

const KEY = "parley:muted";
let ctx: AudioContext | undefined;

/** The mute choice remembered from an earlier visit. */
export function loadMuted(): boolean {
  try {
    return localStorage.getItem(KEY) === "1";
  } catch {
    return false;
  }
}

/** Mutes or unmutes and remembers it. */
export function setMuted(muted: boolean) {
  S.muted = muted;
  try {
    localStorage.setItem(KEY, muted ? "1" : "0");
  } catch {
    // storage blocked (private mode): the choice lasts for this page only
  }
  update();
}

/** The page's AudioContext (made, or resumed, now). */
export function audio(): AudioContext {
  ctx ??= new AudioContext();
  if (ctx.state === "suspended") ctx.resume();
  return ctx;
}

/** Browsers keep audio suspended until a user gesture: resume it on the first one. */
export function unlockAudioOnGesture() {
  const unlock = () => {
    try {
      audio();
    } catch {
      // no audio output available
    }
    removeEventListener("pointerdown", unlock, true);
    removeEventListener("keydown", unlock, true);
  };
  addEventListener("pointerdown", unlock, true);
  addEventListener("keydown", unlock, true);
}
