/**
 * The CSS of `widget-look.js`, added to the widget's shadow-root styles when it loads: list rows
 * on a grid (avatar, name and preview, time over badge), bubbles with a tail on the last of each
 * group, spacing on a 4 px grid, the unread line, the "new messages" button, the invitation,
 * the emoji grid as a popover above the composer.
 */
export const CSS = `.row{gap:12px}
.top{gap:4px}
.top .av,.top .av img{width:32px;height:32px}
.top h2{font-size:15px}
.more .ic,.mact .ic{stroke-width:3}
.mact{display:grid;place-items:center}
.side{gap:4px;align-self:start;padding-top:2px}
.badge{min-width:20px;line-height:20px;border-radius:10px;text-align:center}
.day{padding:4px 0}
.msg{padding:6px 12px;border-radius:16px 16px 16px 4px}
.me{border-radius:16px 16px 4px}
.sys{border-radius:12px}
.cont{margin-top:-4px}
.msg:has(+.cont){border-radius:16px}
.new{display:flex;gap:8px;color:#15a;font-size:12px}
.new:after,.new:before{content:"";flex:1;border-top:1px solid;margin-top:8px}
.hello{margin:auto;max-width:240px;font-size:14px}
.hello:before{content:"👋";display:block;font-size:40px;margin-bottom:8px}
h2 a{text-decoration:none}
h2 a:hover{text-decoration:underline}
.down{position:sticky;bottom:0;align-self:end;display:flex;align-items:center;gap:4px;padding:8px 12px;border-radius:20px;background:#fff;color:#15a;box-shadow:0 1px 8px #0004}
:host(.dark) .new,:host(.dark) .down{color:#8fb8f5}
:host(.dark) .down{background:#2c2e33}
.emojis{position:absolute;bottom:100%;left:-44px;z-index:3;margin-bottom:8px;display:grid;grid-template-columns:repeat(8,36px);gap:2px;padding:8px;border-radius:12px;background:#fff;box-shadow:0 2px 16px #0005}
.emojis button{width:36px;height:36px;border-radius:8px;font-size:20px;display:grid;place-items:center}
:host(.dark) .emojis{background:#2c2e33}`;
