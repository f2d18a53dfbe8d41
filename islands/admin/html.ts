/** htm bound to Preact's h: tagged templates instead of JSX (no build step beyond deno bundle). */
import htmModule from "htm";
import { h } from "preact";

type Htm = typeof import("htm").default;
// htm ships CommonJS typings; the bundler hands over the ESM default. Accept either shape.
const htm = ((htmModule as unknown as { default?: Htm }).default ?? htmModule) as Htm;

export const html = htm.bind(h);
