/** The CSS of widget-chat.js, added to the widget's shadow-root styles when it loads (light, dark). */
export const CSS = `.text a{color:#15a;text-decoration:underline}
.quote{display:grid;width:100%;border-left:3px solid #26b;padding:2px 8px;margin-bottom:4px;border-radius:4px;background:#0000000d;font-size:13px}
.quote span,.hit span{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;color:#444}
.replybar{display:flex;align-items:center;gap:8px;margin-bottom:6px;text-align:left}
.replybar .quote{margin:0}
.failed{outline:1px solid #c33}
.failed .err{color:#a11}
.top{position:relative}
.finder{position:absolute;inset:100% 0 auto;z-index:2;background:#fff;border-bottom:1px solid #ddd;padding:0 8px 8px;max-height:60vh;display:flex;flex-direction:column;box-shadow:0 4px 8px #0002}
.finder .search{margin:8px 0}
.hits{list-style:none;overflow:auto}
.hit{display:grid;width:100%;padding:6px 4px;border-radius:6px}
.hit time{color:#555;font-size:12px}
.msg:focus{outline:2px solid #37c}
:host(.dark) .text a{color:#8fb8f5}
:host(.dark) .quote span,:host(.dark) .hit span,:host(.dark) .hit time{color:#c8ccd2}
:host(.dark) .finder{background:#1f2023;border-color:#3a3c41}
:host(.dark) .failed .err{color:#ff9a90}`;
