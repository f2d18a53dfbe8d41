/** Entry of `/admin.js`: mounts the admin page into #parley-admin (see routes/admin/page.ts). */
import { render } from "preact";
import { App } from "./App.ts";
import { html } from "./html.ts";
import { CSS } from "./styles.ts";
import { MOD_CSS } from "./styles_mod.ts";

const style = document.createElement("style");
style.textContent = CSS + MOD_CSS;
document.head.append(style);

const root = document.getElementById("parley-admin") ?? document.body;
root.textContent = "";
render(html`<${App} />`, root);
