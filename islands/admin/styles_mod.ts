/** Styles of the moderation workflow's controls (class prefix pa-, like styles.ts). */
export const MOD_CSS = `
.pa-complaint{display:flex;gap:.5rem;align-items:center}
.pa-complaint a{flex:1 1 auto;min-width:0}
.pa-pick{width:1.15rem;height:1.15rem;flex:0 0 auto}
select{font:inherit;padding:.45rem .6rem;border:1px solid var(--pa-line);border-radius:8px;
background:#fff;color:var(--pa-text);min-height:2.25rem}
.pa-field select{color:var(--pa-text);font-size:15px}
.pa-duration{flex:0 1 9rem}
.pa-hours{flex:0 1 6rem}
.pa-export{display:inline-flex;gap:.75rem;margin-left:auto;font-size:.88rem}
.pa-toolbar input{flex:1 1 10rem}
mark.pa-found{background:#ffe58a;color:inherit;border-radius:3px}
mark.pa-filtered{background:#ffd6d6;color:inherit;border-radius:3px;text-decoration:underline dotted}
.pa-results .pa-msg{margin:0}
.pa-assign{display:flex;gap:.5rem;align-items:flex-end;flex:1 1 16rem}
.pa-assign>.pa-field{flex:1 1 auto}
`;
