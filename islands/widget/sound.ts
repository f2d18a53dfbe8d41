/**
 * The new-message sound: a short beep synthesised with WebAudio (no audio file to load). `beep()`
 * is the only place anything is played, and it does nothing while muted; the mute choice is kept
 * in localStorage so it survives reloads.
 */
import { S, update } from "./store.ts";

const KEY = "parley:muted";
let ctx: AudioContext | undefined;
let last = 0;

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

function audio(): AudioContext {
  ctx ??= new AudioContext();
  if (ctx.state === "suspended") ctx.resume();
  return ctx;
}

/** Plays the new-message beep unless muted (at most one per 300 ms, e.g. after a replay). */
export function beep() {
  if (S.muted || Date.now() - last < 300) return;
  last = Date.now();
  try {
    const a = audio();
    const t0 = a.currentTime;
    const osc = a.createOscillator();
    const gain = a.createGain();
    osc.frequency.setValueAtTime(880, t0);
    osc.frequency.setValueAtTime(660, t0 + 0.09);
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(0.2, t0 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.25);
    osc.connect(gain).connect(a.destination);
    osc.start(t0);
    osc.stop(t0 + 0.26);
  } catch {
    // no audio output available
  }
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
