/** The CSS of the extra parts, added to the widget's shadow-root styles when they load. */
export const CSS = `.ticks{margin-left:4px}
@media (max-width:480px),(pointer:coarse){.icon{width:44px;height:44px}.search,textarea{font-size:16px}}
.upl,.acts,.tabs,.btns{display:flex;align-items:center;gap:8px}
.menuwrap{position:relative}
.msg{position:relative}
.acts{position:absolute;top:0;left:100%}
.me .acts{left:auto;right:100%}
.mact{width:28px;height:28px;border-radius:50%;color:#555;opacity:0}
.msg:hover .mact,.msg:focus-within .mact,.mact[aria-expanded=true]{opacity:1}
.menu{position:absolute;right:0;top:100%;z-index:2;border-radius:8px;padding:4px 0;width:max-content;box-shadow:0 2px 16px #0005;background:#fff}
.acts .menu{left:0;z-index:3}
.me .acts .menu{left:auto;right:0}
.menu button{display:block;width:100%;padding:8px 14px}
[aria-checked=true]:before{content:"✓ "}
.tabs{padding:0 8px 8px}
.tabs button{padding:2px 10px;border-radius:14px}
.upl progress{flex:1}
.edit{display:grid;gap:4px;min-width:200px}
.edit textarea{border-radius:8px;max-height:none}
.rform{position:absolute;inset:auto 0 0;background:#fff;padding:12px;display:grid;gap:8px;z-index:3;border-top:1px solid #ddd}
fieldset{display:flex;flex-wrap:wrap;gap:4px 14px}
.btns{justify-content:end}
.primary{background:#26b;color:#fff;padding:6px 14px;border-radius:16px}
.lb{position:fixed;inset:0;background:#000c;display:grid;place-items:center;z-index:5}
.lb img{max-width:95vw;max-height:90vh}
.lb button{position:absolute;top:10px;right:10px;color:#fff}`;
