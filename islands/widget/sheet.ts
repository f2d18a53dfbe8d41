/**
 * When the panel is a full-screen sheet: a narrow screen or a phone held sideways (the CSS in
 * styles.ts uses the same query). No imports: the lazy parts include this module too.
 */
export const SHEET = "(max-width:480px),(max-height:480px)";
