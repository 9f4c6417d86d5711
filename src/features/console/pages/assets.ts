/**
 * The console's stylesheet and its one small script, served from `/ops/assets/` (no CDN, no build
 * step; the Content-Security-Policy allows this origin only).
 *
 * Colours meet WCAG AA contrast on their backgrounds (text 4.5:1 and more); focus is always
 * visible (a thick outline); states are words and not only colours.
 *
 * @module
 */

export const CONSOLE_CSS = `
:root { --ink: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --bg: #f6f6f4; --card: #ffffff; --accent: #0b4f9c;
  --ok: #1d6b2f; --ok-bg: #e3f3e6; --warn: #7a4b00; --warn-bg: #fff1d6; --bad: #a1121f; --bad-bg: #fde7e9; --focus: #ffbf47; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--accent); }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; box-shadow: 0 0 0 5px var(--ink); }
.skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5rem 1rem; }
.skip:focus { left: .5rem; z-index: 10; }
.skip-label { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
header.bar { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .6rem 1.25rem; background: #13294b; color: #fff; }
header.bar .brand { font-weight: 700; font-size: 1.1rem; }
header.bar nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; margin: 0; padding: 0; }
header.bar a { color: #fff; text-decoration: none; padding: .25rem .1rem; border-bottom: 3px solid transparent; }
header.bar a[aria-current="page"] { border-bottom-color: var(--focus); font-weight: 600; }
header.bar a:hover { border-bottom-color: #fff; }
header.bar .who { margin-left: auto; display: flex; align-items: center; gap: .75rem; font-size: .95rem; }
header.bar button { background: transparent; color: #fff; border: 1px solid #fff; }
main { padding: 1rem 1.25rem 3rem; max-width: 88rem; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 0 0 .6rem; }
.meta { color: var(--muted); font-size: .95rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: 1rem; }
main section + section { margin-top: 1.5rem; }
.grid > section + section { margin-top: 0; }
section.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 1rem; }
section.wide { grid-column: 1 / -1; }
h3 { font-size: 1rem; margin: 1rem 0 .5rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; font-weight: 600; }
table { border-collapse: collapse; width: 100%; background: var(--card); }
caption { text-align: left; font-weight: 600; padding: .4rem 0; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eceae6; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: .05rem .55rem; border-radius: 999px; font-weight: 700; font-size: .9rem; border: 1px solid currentColor; }
.ok { color: var(--ok); background: var(--ok-bg); }
.warn { color: var(--warn); background: var(--warn-bg); }
.bad { color: var(--bad); background: var(--bad-bg); }
.none { color: var(--muted); background: #eeeeee; }
button, .button { font: inherit; font-weight: 600; padding: .45rem .9rem; border-radius: 4px; border: 2px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
.button.secondary, button.secondary { background: var(--card); color: var(--accent); }
button.danger, .button.danger { background: var(--bad); border-color: var(--bad); }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; }
.notice { padding: .75rem 1rem; border-radius: 6px; border: 2px solid; margin: 0 0 1rem; font-weight: 600; }
.notice.ok { border-color: var(--ok); } .notice.bad { border-color: var(--bad); } .notice.warn { border-color: var(--warn); }
form.login { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 1.25rem; max-width: 40rem; }
label { display: block; font-weight: 600; margin-bottom: .35rem; }
.hint { color: var(--muted); margin: .2rem 0 .6rem; font-weight: 400; }
textarea { width: 100%; font: 14px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; padding: .5rem; border: 2px solid var(--muted); border-radius: 4px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .92em; overflow-wrap: anywhere; }
.refresh { display: flex; align-items: center; gap: .5rem; margin: 0 0 1rem; color: var(--muted); }
.refresh label { display: inline; font-weight: 400; margin: 0; }
td.nowrap, td.nowrap code { white-space: nowrap; overflow-wrap: normal; }
.empty { color: var(--muted); font-style: italic; }
`;

/**
 * Auto-refresh without reloading the page: every N seconds (the page's `data-refresh`), the same
 * URL is fetched and the live part swapped in, unless the operator turned it off or is working
 * inside that part (focus there). A session that ended shows the login page (a full reload).
 */
export const CONSOLE_JS = `
(function () {
  var main = document.getElementById('main');
  var every = main && Number(main.getAttribute('data-refresh'));
  var toggle = document.getElementById('auto-refresh');
  if (!every || !toggle) return;
  var stamp = document.getElementById('updated-at');
  setInterval(function () {
    var live = document.getElementById('live');
    if (!toggle.checked || !live || live.contains(document.activeElement)) return;
    fetch(location.href, { credentials: 'same-origin', headers: { 'x-console-refresh': '1' } }).then(function (response) {
      if (response.redirected || !response.ok) { location.reload(); return null; }
      return response.text();
    }).then(function (text) {
      if (text === null || text === undefined) return;
      var next = new DOMParser().parseFromString(text, 'text/html');
      var fresh = next.getElementById('live');
      var freshStamp = next.getElementById('updated-at');
      if (fresh) live.replaceWith(document.adoptNode(fresh));
      if (stamp && freshStamp) stamp.textContent = freshStamp.textContent;
    }).catch(function () {});
  }, every * 1000);
})();
`;
