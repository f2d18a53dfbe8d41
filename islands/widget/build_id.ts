/**
 * The build id shared by `widget.js` and the scripts it loads on demand. The server replaces the
 * placeholder with a hash of the whole group (services/assets/bundle.ts), so a lazy script cached from
 * another build is refused instead of running against internals it does not match. No imports:
 * the lazy scripts include this module too.
 */
export const BUILD = "__PARLEY_BUILD__";
