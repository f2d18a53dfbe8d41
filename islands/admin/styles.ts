/** The admin page's styles (class prefix pa-); phone first, wider layouts from 720 px. */
export const CSS = `
:root{--pa-bg:#f4f6fa;--pa-card:#fff;--pa-text:#1d2433;--pa-muted:#667085;--pa-line:#dde2ea;
--pa-accent:#2f5bd3;--pa-danger:#c62828;--pa-warn:#a15c00;--pa-hl:#fff6d6}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:var(--pa-text);background:var(--pa-bg)}
a{color:var(--pa-accent)}
button{font:inherit;padding:.45rem .8rem;border:1px solid var(--pa-line);border-radius:8px;
background:#fff;color:var(--pa-text);cursor:pointer;min-height:2.25rem}
button:hover{border-color:var(--pa-accent)}
button:disabled{opacity:.6;cursor:default}
button.pa-danger{color:var(--pa-danger)}
button.pa-link{border:0;background:none;color:var(--pa-accent);padding:.25rem}
input,textarea{font:inherit;padding:.45rem .6rem;border:1px solid var(--pa-line);border-radius:8px;
background:#fff;color:var(--pa-text);min-width:0;max-width:100%}
:focus-visible{outline:2px solid var(--pa-accent);outline-offset:2px}
.pa-top{position:sticky;top:0;z-index:2;display:flex;align-items:center;gap:.5rem;flex-wrap:wrap;
padding:.4rem .75rem;background:#18213a;color:#fff}
.pa-top .pa-link{color:#c8d4ff}
.pa-brand{font-size:1.05rem}
.pa-nav{display:flex;flex-wrap:wrap;gap:.25rem;order:3;width:100%}
.pa-me{margin-left:auto;font-size:.85rem;opacity:.85}
.pa-tab{white-space:nowrap;padding:.35rem .55rem;border-radius:8px;color:inherit;text-decoration:none;
border:1px solid transparent;background:none}
.pa-top .pa-tab{color:#dfe6ff}
.pa-top .pa-tab.pa-active{background:#2f3d66;color:#fff}
.pa-tabs .pa-tab.pa-active{border-color:var(--pa-accent);color:var(--pa-accent)}
.pa-count{display:inline-block;min-width:1.4em;padding:0 .35em;border-radius:1em;background:#c62828;
color:#fff;font-size:.8em;text-align:center}
.pa-main{padding:.75rem;max-width:70rem;margin:0 auto}
.pa-main:focus{outline:none}
.pa-view h2{font-size:1.05rem;margin:1rem 0 .5rem}
.pa-muted{color:var(--pa-muted);font-size:.88rem}
.pa-error{color:var(--pa-danger)}
.pa-warn-text{color:var(--pa-warn)}
.pa-notice{padding:.5rem .75rem;background:#e8f0ff;border-radius:8px}
.pa-center{min-height:100vh;display:flex;align-items:center;justify-content:center;padding:1rem}
.pa-card{background:var(--pa-card);border:1px solid var(--pa-line);border-radius:12px;padding:1rem;
margin-bottom:.75rem}
.pa-signin,.pa-denied{width:100%;max-width:24rem;display:flex;flex-direction:column;gap:.75rem}
.pa-signin h1,.pa-denied h1{font-size:1.2rem;margin:0}
.pa-field{display:flex;flex-direction:column;gap:.2rem;font-size:.85rem;color:var(--pa-muted)}
.pa-field input,.pa-field textarea{color:var(--pa-text);font-size:15px}
.pa-form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin-bottom:.5rem}
.pa-form>*{flex:1 1 9rem}
.pa-form>button{flex:0 0 auto}
.pa-grow{flex:1 1 12rem}
.pa-check{display:flex;align-items:center;gap:.35rem;flex:0 0 auto}
.pa-toolbar{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0}
.pa-filter{flex:1 1 10rem}
.pa-dot::before{content:"";display:inline-block;width:.6rem;height:.6rem;border-radius:50%;
background:#999;margin-right:.35rem}
.pa-dot.pa-on::before{background:#22a33a}
.pa-stats{display:flex;flex-wrap:wrap;gap:.5rem;align-items:stretch}
.pa-stats-title{width:100%;font-size:.85rem;color:var(--pa-muted)}
.pa-stat{flex:1 1 4.5rem;background:#fff;border:1px solid var(--pa-line);border-radius:10px;
padding:.4rem .6rem;display:flex;flex-direction:column;text-decoration:none;color:inherit}
.pa-stat b{font-size:1.25rem}
.pa-stat span{font-size:.8rem;color:var(--pa-muted)}
.pa-list{display:flex;flex-direction:column;gap:.5rem}
.pa-live{gap:0;background:#fff;border:1px solid var(--pa-line);border-radius:10px;overflow-y:auto;
height:calc(100vh - 12rem);min-height:18rem;contain:strict}
.pa-live .pa-msg{border:0;border-bottom:1px solid var(--pa-line);border-radius:0;
content-visibility:auto;contain-intrinsic-size:auto 44px}
.pa-msg{background:#fff;border:1px solid var(--pa-line);border-radius:10px;padding:.3rem .6rem;
overflow-wrap:anywhere;font-size:.9rem;line-height:1.35}
.pa-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.pa-id{color:var(--pa-muted);font-size:.8em}
.pa-msg-acts{margin-left:auto;display:flex;gap:.6rem;align-items:center}
button.pa-small{min-height:0;padding:.05rem .45rem;font-size:.8rem}
.pa-clamp{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}
.pa-msg.pa-hl{background:var(--pa-hl);border-color:#e0b400}
.pa-msg.pa-gone .pa-text{text-decoration:line-through;color:var(--pa-muted)}
.pa-msg-head{display:flex;flex-wrap:wrap;gap:.1rem .6rem;align-items:baseline;font-size:.82rem}
.pa-msg-head time{color:var(--pa-muted)}
.pa-text{white-space:pre-wrap;margin:.1rem 0}
.pa-orig{white-space:pre-wrap;margin:.3rem 0;padding:.3rem .5rem;background:#fff3e0;border-radius:6px;
font-size:.9rem}
.pa-badge{display:inline-block;padding:0 .45em;border-radius:6px;background:#eef1f6;font-size:.78rem;
color:var(--pa-text)}
.pa-badge.pa-warn{background:#fff0d9;color:var(--pa-warn)}
.pa-thumb{display:block;max-width:100%;max-height:160px;border-radius:8px;margin:.3rem 0;
background:#eef1f6}
.pa-live .pa-thumb{max-height:64px}
.pa-thumb-big{width:100%;height:150px;object-fit:cover;max-height:none;margin:0}
.pa-thumb-missing{display:flex;align-items:center;justify-content:center;min-height:4rem;padding:.5rem;
color:var(--pa-muted);font-size:.85rem;text-align:center}
.pa-gallery{list-style:none;padding:0;margin:0;display:grid;gap:.6rem;
grid-template-columns:repeat(auto-fill,minmax(140px,1fr))}
.pa-tile a{display:block;background:#fff;border:1px solid var(--pa-line);border-radius:10px;
overflow:hidden;color:inherit;text-decoration:none}
.pa-tile .pa-thumb-missing{height:150px}
.pa-tile-caption{display:block;padding:.35rem .5rem;font-size:.82rem;overflow-wrap:anywhere}
.pa-users,.pa-complaints{list-style:none;padding:0;margin:0;display:flex;flex-direction:column;gap:.4rem}
.pa-users li{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;background:#fff;padding:.5rem .7rem;
border:1px solid var(--pa-line);border-radius:10px;overflow-wrap:anywhere}
.pa-users li button{margin-left:auto}
.pa-complaint a{display:flex;flex-wrap:wrap;gap:.25rem .6rem;align-items:baseline;background:#fff;
padding:.55rem .7rem;border:1px solid var(--pa-line);border-radius:10px;color:inherit;text-decoration:none}
.pa-complaint.pa-open a{border-left:4px solid #e5484d}
.pa-excerpt{width:100%;color:var(--pa-muted);font-size:.9rem;overflow-wrap:anywhere}
.pa-tabs{display:flex;gap:.25rem;flex-wrap:wrap;margin-bottom:.5rem}
.pa-facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem .8rem;background:#fff;
padding:.75rem;border-radius:10px;border:1px solid var(--pa-line);overflow-wrap:anywhere}
.pa-facts dt{color:var(--pa-muted)}
.pa-facts dd{margin:0}
.pa-decide{display:grid;gap:.6rem;margin-top:.75rem}
.pa-decide-row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
.pa-decide-row .pa-assign{flex:1 1 20rem}
.pa-decide-row [data-key="d"]{margin-right:1rem}
.pa-card-head{display:flex;gap:.75rem;align-items:flex-start}
.pa-card-head h2{margin:0}
.pa-card-head p{margin:.15rem 0}
.pa-avatar{width:56px;height:56px;border-radius:50%;object-fit:cover}
.pa-ban{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-top:.6rem}
.pa-ban input{flex:1 1 12rem}
.pa-more{display:block;margin:.75rem auto}
.pa-back{display:inline-block;margin-bottom:.5rem}
.pa-table{width:100%;border-collapse:collapse;background:#fff;border-radius:10px;overflow:hidden}
.pa-table th,.pa-table td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid var(--pa-line);
font-size:.88rem;overflow-wrap:anywhere}
.pa-user-layout{display:grid;gap:.75rem;grid-template-columns:minmax(0,1fr)}
.pa-panel{background:#fff;border:1px solid var(--pa-line);border-radius:12px;padding:.75rem;
font-size:.9rem;align-self:start}
.pa-panel h3{font-size:.95rem;margin:.6rem 0 .3rem}
.pa-panel h3:first-child{margin-top:0}
.pa-peers,.pa-notes{list-style:none;padding:0;margin:0;display:flex;flex-direction:column;gap:.3rem}
.pa-notes li{border-left:3px solid var(--pa-line);padding-left:.5rem}
.pa-notes .pa-text{margin:0}
.pa-note-form{display:flex;flex-direction:column;gap:.4rem;margin-top:.5rem}
@media (min-width:1000px){.pa-user-layout{grid-template-columns:minmax(0,1fr) 18rem}
.pa-panel{position:sticky;top:4rem}}
.pa-thumb-button{display:block;padding:0;border:0;background:none;min-height:0;border-radius:8px}
.pa-full{background:#fff;border-radius:12px;padding:.6rem;max-width:96vw;max-height:94vh;display:flex;
flex-direction:column;gap:.5rem}
.pa-full-bar{display:flex;gap:.75rem;align-items:center;flex-wrap:wrap}
.pa-full-bar button{margin-left:auto}
.pa-full-img{max-width:calc(96vw - 1.2rem);max-height:calc(94vh - 4.5rem);object-fit:contain;
display:block;margin:0 auto}
.pa-overlay{position:fixed;inset:0;z-index:5;background:rgba(16,22,40,.45);display:flex;
align-items:center;justify-content:center;padding:1rem}
.pa-help{background:#fff;border-radius:12px;padding:1rem 1.25rem;max-width:26rem;width:100%}
.pa-help h2{margin:0 0 .6rem;font-size:1.1rem}
.pa-help button{margin-top:.75rem}
kbd{font:600 .85rem ui-monospace,monospace;border:1px solid var(--pa-line);border-bottom-width:2px;
border-radius:5px;padding:0 .35rem;background:#f7f8fb}
.pa-msg:focus-visible,.pa-msg:focus{outline:2px solid var(--pa-accent);outline-offset:-2px}
.pa-chat{display:flex;flex-direction:column;gap:.35rem;background:#eef1f6;border-radius:12px;
padding:.6rem}
.pa-msg.pa-bubble{max-width:min(36rem,85%);border-radius:14px;align-self:flex-start;
border-bottom-left-radius:4px}
.pa-msg.pa-bubble.pa-side-b{align-self:flex-end;background:#e3ebff;border-color:#c9d6f7;
border-radius:14px;border-bottom-right-radius:4px}
.pa-msg.pa-bubble.pa-hl{background:var(--pa-hl)}
.pa-side-b .pa-msg-head time,.pa-side-b .pa-muted,.pa-side-b .pa-id{color:#46506a}
.pa-view-switch{display:flex;gap:.25rem;align-items:center;margin:.25rem 0 .5rem}
@media (max-width:719px){
.pa-table thead{display:none}
.pa-table tr{display:block;border-bottom:1px solid var(--pa-line);padding:.3rem 0}
.pa-table td{display:flex;gap:.5rem;border:0;padding:.15rem .6rem}
.pa-table td::before{content:attr(data-label);color:var(--pa-muted);min-width:5.5rem}
}
@media (min-width:720px){
.pa-live .pa-msg{display:flex;flex-wrap:wrap;align-items:baseline;column-gap:.6rem;padding:.15rem .6rem;
contain-intrinsic-size:auto 28px}
.pa-live .pa-msg-head{display:contents}
.pa-live .pa-msg-head time{order:1;flex:0 0 auto}
.pa-live .pa-who{order:2;flex:0 1 auto;font-size:.82rem}
.pa-live .pa-msg-head .pa-badge{order:3}
.pa-live .pa-text{order:4;flex:1 1 16rem;min-width:0;margin:0}
.pa-live .pa-msg-head>.pa-muted{order:5;font-size:.78rem}
.pa-live .pa-msg-acts{order:6;margin-left:0;font-size:.82rem}
.pa-live .pa-msg>button.pa-link{order:4}
.pa-live .pa-orig{order:8;flex-basis:100%}
.pa-live .pa-thumb-button{order:3;flex:1 1 16rem;display:flex;align-self:center}
.pa-live .pa-msg:has(.pa-text) .pa-thumb-button{flex:0 0 auto}
.pa-live .pa-thumb{max-height:36px;margin:0;border-radius:4px}
.pa-nav{order:0;width:auto;flex:1}
.pa-me{margin-left:0}
.pa-main{padding:1rem 1.25rem}
}
`;
