/**
 * What a new message does when the user is not looking at it: a short beep synthesised with
 * WebAudio (no audio file to load; nothing while muted) and a blinking page title while the tab
 * is hidden. Of several tabs of the site only one beeps: the one holding the "parley-sound" Web
 * Lock (held until the tab closes; then the next tab in line gets it).
 */
import { S } from "./core.ts";
import { blinkTitle } from "./title_blink.ts";

let last = 0;
let leader = !navigator.locks;
navigator.locks?.request("parley-sound", () => new Promise(() => leader = true));

/** Beeps (unless muted, or another tab beeps; at most once per 300 ms) and blinks the title. */
export function alertNew(audio: () => AudioContext) {
  blinkTitle();
  if (S.muted || !leader || Date.now() - last < 300) return;
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
