/**
 * The widget's icon set: SVG path data on a 24 × 24 grid, drawn as 2 px rounded strokes in the
 * text colour (`.ic` in styles.ts). Plain strings without imports, so every bundle may include
 * this module and takes only the icons it uses.
 */
export const CHAT = "M5 4h14a2 2 0 012 2v9a2 2 0 01-2 2h-7l-5 4v-4H5a2 2 0 01-2-2V6a2 2 0 012-2z";
export const SEND = "M21 3L10 14M21 3l-7 18-4-7-7-4z";
export const BACK = "M15 5l-7 7 7 7";
export const CLOSE = "M6 6l12 12M18 6L6 18";
export const SOUND = "M4 9h3l5-4v14l-5-4H4zM16 9a4 4 0 010 6";
export const MUTED = "M4 9h3l5-4v14l-5-4H4zM16 9l5 6m0-6l-5 6";
export const MENU = "M12 5v0m0 7v0m0 7v0";
export const ATTACH = "M20 11l-8 8a5 5 0 01-7-7l8-8a3 3 0 014 4l-8 8a1 1 0 01-1-1l7-7";
export const EMOJI = "M12 21a9 9 0 100-18 9 9 0 000 18zM8 14c2 3 6 3 8 0M9 9v0m6 0v0";
export const BELL = "M6 16v-5a6 6 0 0112 0v5l2 2H4zm4 4h4";
export const BELL_OFF = "M6 16v-5a6 6 0 0112 0v5l2 2H4zm4 4h4M3 3l18 18";
export const DOWN = "M6 9l6 6 6-6";
export const SEARCH = "M11 18a7 7 0 100-14 7 7 0 000 14zm9 2l-4-4";
