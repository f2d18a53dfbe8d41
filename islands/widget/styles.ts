/**
 * The widget's CSS, placed inside its shadow root: page styles cannot reach it and it cannot
 * reach the page. `:host{all:initial}` also stops the page's inherited fonts and colours.
 * At 480 px wide or less the panel becomes a full-screen sheet.
 */
export const CSS = `:host{all:initial}
*{box-sizing:border-box;margin:0;padding:0;font:inherit;color:inherit;background:none;border:0;min-width:0}
:where(button:hover){background-color:#0001}
button:hover{filter:brightness(.92)}
.root{all:initial;font:14px/1.4 system-ui,sans-serif;color:#222}
button,label{cursor:pointer;text-align:inherit}
:focus-visible,label:focus-within{outline:2px solid #37c;outline-offset:-2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
.launcher,.panel{position:fixed;right:20px;bottom:20px;box-shadow:0 2px 16px #0005;background:#fff}
.launcher{width:56px;height:56px;border-radius:50%;background:#26b;color:#fff;display:grid;place-items:center}
.launcher .ic{width:28px;height:28px}
.launcher.reconnecting,.launcher.failed{opacity:.7}
.badge{padding:0 6px;border-radius:9px;background:#c22;color:#fff;font-size:12px}
.launcher .badge{position:absolute;top:0;right:0}
.panel{width:370px;height:min(600px,100vh - 40px);border-radius:12px;display:flex;flex-direction:column;overflow:hidden}
@media (max-width:480px),(max-height:480px){.panel{inset:var(--vt,0) 0 auto;width:auto;height:var(--vh,100%);border-radius:0}}
.top,.row,.inrow{display:flex;align-items:center;gap:8px}
.top{padding:8px;border-bottom:1px solid #ddd}
h2{font-weight:600;font-size:16px}
h2,.name,.prev{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.name,.prev{display:block}
.grow{flex:1}
.icon{width:36px;height:36px;border-radius:50%;color:#555;flex:none;display:grid;place-items:center}
.ic{width:20px;height:20px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
.banner{padding:6px 12px;background:#ffc}
.err,.warn{color:#c33}
.list,.view{flex:1;display:flex;flex-direction:column;min-height:0;position:relative}
.search,textarea{border:1px solid #ccc;border-radius:18px;padding:7px 12px}
.search{margin:8px}
[aria-pressed=true]{background:#26b;color:#fff}
.rows,.log{flex:1;overflow:hidden auto;list-style:none;overscroll-behavior:contain}
.row{width:100%;padding:8px 12px}
.name{font-weight:600}
.prev,.status,.side,.meta,.empty,.day{color:#555;font-size:13px}
.side{display:grid;justify-items:end}
.av{position:relative;width:40px;height:40px;border-radius:50%;background:#bde;display:grid;place-items:center;flex:none}
.av img{width:40px;height:40px;border-radius:50%;object-fit:cover}
.dot{position:absolute;right:0;bottom:0;width:11px;height:11px;border-radius:50%;background:#3a6;border:2px solid #fff}
.empty{padding:24px;text-align:center}
.log{padding:8px 12px;display:flex;flex-direction:column;gap:6px;background:#f6f7f9}
.day{align-self:center}
.day:first-letter{text-transform:uppercase}
.msg{max-width:80%;padding:6px 10px;border-radius:12px;background:#fff;align-self:start;overflow-wrap:anywhere}
.me{align-self:end;background:#cde}
.sys{align-self:center;background:#ffd;text-align:center}
.text,.tr{white-space:pre-wrap}
.tr{font-style:italic}
.meta{text-align:right;font-size:11px}
.read,.link,.send{color:#15a}
.thumb img{display:block;max-width:100%;height:auto;border-radius:8px}
.link{font-size:12px;text-decoration:underline}
.composer,.note{border-top:1px solid #ddd;padding:8px;text-align:center}
.inrow{align-items:end}
textarea{flex:1;resize:none;max-height:120px}`;
