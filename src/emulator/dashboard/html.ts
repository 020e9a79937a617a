/**
 * The dashboard's HTML document: markup and style inline, the bundled script last. System
 * fonts only and no external asset, so it renders offline and in one request.
 *
 * @module
 */

const STYLE = `
:root{color-scheme:light dark;--ok:#1a7f37;--warn:#b58100;--grace:#8250df;--bad:#cf222e;--line:#8884;font:14px/1.4 system-ui,sans-serif}
body{margin:0 auto;max-width:1200px;padding:0 16px 32px}
header{display:flex;flex-wrap:wrap;gap:12px;align-items:center;border-bottom:1px solid var(--line);padding:10px 0;position:sticky;top:0;background:Canvas;z-index:1}
h1{font-size:18px;margin:0 auto 0 0}h2{font-size:15px;margin:18px 0 6px}
button{font:inherit;padding:2px 10px;cursor:pointer}
select,input{font:inherit}
#clock{font-variant-numeric:tabular-nums;font-weight:600}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:0 24px}
@media (max-width:800px){.grid{grid-template-columns:1fr}}
.channel{border:1px solid var(--line);border-radius:6px;padding:8px 10px;margin-bottom:8px}
.channel h3{font-size:14px;margin:0 0 6px}
.gauge{display:grid;grid-template-columns:repeat(30,1fr);gap:2px;margin:4px 0}
.slot{height:18px;border-radius:2px;background:#8882}
.slot.live{background:var(--ok)}.slot.expiring{background:var(--warn)}.slot.superseded{background:var(--grace)}
.legend span::before{content:"";display:inline-block;width:10px;height:10px;margin:0 4px 0 10px;border-radius:2px;background:var(--c)}
.muted{opacity:.7}
.scroll{max-height:320px;overflow:auto;border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:13px}
td,th{padding:3px 6px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{position:sticky;top:0;background:Canvas}
tr.refused td{color:var(--bad)}
code{font:12px ui-monospace,monospace}
ol{margin:0;padding:4px 8px 4px 28px}
li[data-kind=expire],li[data-kind=evict]{color:var(--warn)}li[data-kind=revoke]{color:var(--bad)}
.filters{display:flex;gap:8px;flex-wrap:wrap;margin-bottom:6px}
.faults label{display:inline-block;margin-right:14px}
.message{margin:4px 8px;padding:4px 8px;border-radius:8px;background:#06c75522;max-width:80%}
.message.user{margin-left:auto;background:#8882}
form{display:flex;gap:6px;margin-top:6px}form input[name=text]{flex:1}
#notice{min-height:1.4em;color:var(--bad)}
`;

const BODY = `
<header>
  <h1>line-token emulator</h1>
  <span>virtual clock <span id="clock">…</span></span>
  <button data-advance="60">+1 min</button><button data-advance="3600">+1 h</button><button data-advance="86400">+1 day</button>
</header>
<p id="notice" role="status"></p>
<div class="grid">
  <section><h2>Channels</h2>
    <p class="legend muted">v2.1 slots:<span style="--c:var(--ok)">live</span><span style="--c:var(--warn)">expiring soon</span><span style="--c:var(--grace)">superseded, in grace</span></p>
    <div id="channels"></div>
    <h2>Faults</h2><p class="muted">On: every request to the operation answers HTTP 500.</p><div id="faults" class="faults"></div>
  </section>
  <section><h2>Token timeline</h2>
    <div class="filters"><select id="timeline-channel" aria-label="timeline channel"></select></div>
    <div class="scroll"><ol id="timeline" reversed></ol></div>
  </section>
</div>
<h2>Requests</h2>
<div class="filters">
  <select id="log-channel" aria-label="channel"></select>
  <select id="log-operation" aria-label="operation"></select>
  <select id="log-status" aria-label="status"><option value="">any status</option><option value="ok">ok</option><option value="refused">refused</option></select>
</div>
<div class="scroll"><table><thead><tr><th>time</th><th>channel</th><th>operation</th><th>status</th><th>LINE said</th><th>rule</th></tr></thead><tbody id="requests"></tbody></table></div>
<h2>Chat</h2>
<div class="filters"><select id="chat-channel" aria-label="chat channel"></select></div>
<div class="scroll" id="chat"></div>
<form id="send"><input name="userId" value="Udeadbeefdeadbeefdeadbeefdeadbeef" aria-label="user id" size="36"><input name="text" placeholder="message as this user" aria-label="text"><button>Send</button></form>
`;

/** A script as it can sit inside `<script>`: no "</script" (the bundle has none; this keeps it so). */
export function inlineScript(script: string): string {
  return script.replace(/<\/script/gi, '<\\/script');
}

/** The page, with `safe` (the bundled page code, through {@link inlineScript}) inline. */
export function dashboardHtml(safe: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>line-token emulator</title><style>${STYLE}</style></head><body>${BODY}<script>${safe}</script></body></html>`;
}
