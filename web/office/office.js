// The office dashboard page: shows what the office service answers (words,
// counts, masked rows, errors — zh first, then en) and sends intents
// (sign-in, a watch-list row, a search, "show full number", an export). It
// decides, counts, checks and words nothing itself. Numbers and search terms
// go in POST bodies, never in a URL; a row is named by the service's opaque ref.
const $ = (sel) => document.querySelector(sel);
let words = {};
let communities = []; // [{code, name}] from the session reply

/** zh, then en in a quieter span. */
function bilingual(el, w) {
  el.textContent = w?.zh ?? '';
  // Words the same in both (an address, a key name, a masked number) are shown once.
  if (w?.en && w.en !== w.zh) { const en = document.createElement('span'); en.className = 'en'; en.lang = 'en'; en.textContent = w.en; el.append(en); }
  return el;
}
const el = (tag, w, cls) => { const e = document.createElement(tag); if (cls) e.className = cls; return w === undefined ? e : typeof w === 'object' ? bilingual(e, w) : (e.textContent = String(w), e); };

const post = (body) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

/**
 * One service call. A 401 anywhere but the sign-in itself (an expired
 * session, a cookie the service does not know) leads back to the sign-in
 * screen with the service's words; it says `quiet` when no cookie came at all.
 */
async function call(path, body) {
  const res = await fetch(`api/${path}`, { credentials: 'same-origin', ...(body === undefined ? {} : post(body)) });
  let json = null;
  try { json = await res.json(); } catch { /* shown as the status below */ }
  json ??= { ok: false, error: { code: 'http.error', zh: `服务器答复 ${res.status}`, en: `The server answered ${res.status}` } };
  if (res.status === 401 && path !== 'sign-in') signInScreen(json.quiet ? null : json.error);
  return { status: res.status, json };
}

function showError(target, error) {
  const p = $(target);
  p.hidden = !error;
  if (error) { bilingual(p, error); p.dataset.code = error.code; } else delete p.dataset.code;
}

function show(section) {
  for (const id of ['sign-in', 'overview', 'watch', 'persons', 'accounts', 'audit']) $(`#${id}`).hidden = id !== section;
  for (const a of document.querySelectorAll('nav a')) a.toggleAttribute('aria-current', a.getAttribute('href') === `#${section}`);
  if (section) $(`#nav a[href="#${section}"]`)?.setAttribute('aria-current', 'page');
}

function signedIn(account) {
  const yes = Boolean(account);
  $('#nav').hidden = !yes;
  $('#who').hidden = !yes;
  $('#nav-audit').hidden = !account?.may?.audit;
  $('#nav-persons').hidden = !account?.may?.persons;
  $('#nav-accounts').hidden = !account?.may?.accounts;
  $('#roster').hidden = !account?.may?.import;
  $('#export').hidden = !account?.may?.export;
  if (yes) { $('#who-name').textContent = account.name; bilingual($('#who-role'), account.role_words); }
}

function signInScreen(error) {
  signedIn(null);
  show('sign-in');
  showError('#page-error', null);
  showError('#sign-in-error', error);
  $('#user').focus();
}

function tile(label, n, alert) {
  const t = el('div', undefined, `tile${alert && n > 0 ? ' alert' : ''}`);
  t.append(el('div', n, 'n'), el('div', words[label]));
  t.dataset.count = label;
  return t;
}

/**
 * Entries a day as a uPlot chart (bars: all gates; a line for each gate), and
 * the same numbers as a table for screen readers (the chart is a picture to
 * them). A community with no entries gets the service's words instead.
 * Returns the figure and a function that draws the chart once it is in the page.
 */
function dayChart(c, days) {
  const figure = el('figure', undefined, 'chart');
  figure.append(el('figcaption', words.entries_by_day));
  if (c.entries_empty) { figure.append(el('p', c.entries_empty, 'empty')); return { figure, draw: () => {} }; }
  const table = el('table', undefined, 'days sr-only');
  table.append(el('caption', words.chart_numbers));
  const head = table.createTHead().insertRow();
  head.append(el('th', words.day), el('th', words.all_gates, 'n'), ...c.gates.map((g) => el('th', g.name, 'n')));
  const body = table.createTBody();
  days.forEach((day, i) => {
    const row = body.insertRow(); row.dataset.day = day;
    const all = el('td', c.entries_by_day[i], 'n'); all.dataset.series = 'all';
    row.append(el('th', day), all, ...c.gates.map((g) => { const td = el('td', g.entries_by_day[i], 'n'); td.dataset.gate = g.name; return td; }));
  });
  const plot = el('div', undefined, 'plot');
  plot.setAttribute('aria-hidden', 'true');
  figure.append(plot, table);
  const draw = () => {
    const colours = ['#e65100', '#2e7d32', '#6a1b9a', '#00838f', '#ad1457', '#5d4037'];
    const label = (w) => `${w.zh} ${w.en}`;
    const chart = new uPlot({
      width: plot.clientWidth, height: 220,
      scales: { x: { time: false, range: [-0.5, days.length - 0.5] }, y: { range: (u, min, max) => [0, Math.max(1, max) * 1.15] } },
      axes: [
        { space: 34, incrs: [1, 2, 7], values: (u, splits) => splits.map((i) => days[i] ?? ''), font: '12px system-ui, sans-serif' },
        { size: 44, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000], font: '12px system-ui, sans-serif' },
      ],
      cursor: { show: false },
      legend: { live: false },
      // Each day's number for all gates above its bar: read without hovering.
      hooks: { draw: [(u) => {
        const ctx = u.ctx;
        ctx.save();
        ctx.font = `${Math.round(12 * devicePixelRatio)}px system-ui, sans-serif`;
        ctx.fillStyle = '#1b1f24';
        ctx.textAlign = 'center';
        u.data[1].forEach((n, i) => {
          if (n) ctx.fillText(String(n), u.valToPos(i, 'x', true), u.valToPos(n, 'y', true) - 4 * devicePixelRatio);
        });
        ctx.restore();
      }] },
      series: [
        { label: words.day.zh, value: (u, i) => days[i] ?? '' },
        { label: label(words.all_gates), fill: 'rgba(21, 101, 192, .75)', stroke: '#1565c0', width: 0,
          paths: uPlot.paths.bars({ size: [0.6, 36] }), points: { show: false } },
        ...c.gates.map((g, i) => ({ label: g.name, stroke: colours[i % colours.length], width: 2, points: { size: 6 } })),
      ],
    }, [days.map((_, i) => i), c.entries_by_day, ...c.gates.map((g) => g.entries_by_day)], plot);
    new ResizeObserver(() => chart.setSize({ width: plot.clientWidth, height: 220 })).observe(plot);
  };
  return { figure, draw };
}

/** Persons under home observation (staff and admins: the service sends the list only to them), masked by the service. */
function observationList(list) {
  const box = el('section', undefined, 'observation');
  box.append(el('h3', words.observation_list), el('p', words.observation_note, 'note'));
  if (list.empty) { box.append(el('p', list.empty, 'note empty')); return box; }
  const table = el('table', undefined, 'observed');
  table.createTHead().insertRow().append(el('th', words.name), el('th', words.doc_number), el('th', words.phone),
    el('th', words.observation_since), el('th', words.building), el('th', words.last_move));
  const body = table.createTBody();
  for (const p of list.persons) {
    const row = body.insertRow();
    row.append(el('td', p.name), el('td', p.number_masked, 'number'), el('td', p.phone_masked, 'number'),
      el('td', p.since), el('td', p.building), el('td', p.last_move));
  }
  box.append(table);
  if (list.more) box.append(el('p', list.more, 'note'));
  return box;
}

function community(c, days) {
  const box = el('article', undefined, 'community');
  box.dataset.community = c.code;
  box.append(el('h2', `${c.name} · ${c.code}`), el('p', c.retention, 'retention'));
  const tiles = el('div', undefined, 'tiles');
  tiles.append(tile('entries_today', c.entries_today), tile('inside_now', c.inside_now), tile('persons', c.persons),
    tile('fever_today', c.fever_today, true), tile('under_observation', c.under_observation, true),
    tile('returned_recently', c.returned_recently, true));
  box.append(tiles);
  const grid = el('div', undefined, 'grid');
  const left = el('div');
  const chart = dayChart(c, days);
  left.append(chart.figure);
  const right = el('div');
  const types = el('table', undefined, 'types');
  types.createTHead().insertRow().append(el('th', words.type), el('th', words.registered, 'n'), el('th', words.inside_now, 'n'));
  const tb = types.createTBody();
  for (const t of c.persons_by_type) {
    const row = tb.insertRow(); row.dataset.type = t.key;
    row.append(el('td', t), el('td', t.persons, 'n'), el('td', t.inside, 'n'));
  }
  const gates = el('table', undefined, 'gates');
  gates.createTHead().insertRow().append(el('th', words.gate), el('th', words.entries_today, 'n'), el('th', words.last_upload), el('th', words.status));
  const gb = gates.createTBody();
  for (const g of c.gates) {
    const row = gb.insertRow(); row.dataset.gate = g.name; if (g.behind) row.className = 'behind';
    row.append(el('td', g.name), el('td', g.entries_today, 'n'), el('td', g.last_upload_words), el('td', g.status));
  }
  right.append(el('h3', words.gates), c.gates_empty ? el('p', c.gates_empty, 'note gates-empty') : gates, el('h3', words.persons_by_type), types);
  grid.append(left, right);
  box.append(grid);
  if (c.observation) box.append(observationList(c.observation));
  return { box, draw: chart.draw };
}

async function overview() {
  const { status, json } = await call('overview');
  if (status === 401) return;
  if (!json.ok) return showError('#page-error', json.error);
  signedIn(json.account);
  bilingual($('#overview-note'), json.note);
  $('#updated').textContent = json.updated_words;
  const list = $('#communities');
  const shown = json.communities.map((c) => community(c, json.days));
  list.replaceChildren(...shown.map((s) => s.box));
  if (!json.communities.length) list.append(el('p', words.no_communities));
  showError('#page-error', null);
  show('overview');
  for (const s of shown) s.draw(); // uPlot measures its box: once the section is shown
}

/** The session (account, communities) or null after showing the sign-in screen. */
async function session() {
  const s = await call('session');
  if (s.status === 401) return null;
  if (!s.json.ok) { showError('#page-error', s.json.error); return null; }
  signedIn(s.json.account);
  communities = s.json.communities;
  for (const select of document.querySelectorAll('.community-select')) {
    const was = select.value;
    select.replaceChildren(...communities.map((c) => { const o = el('option', `${c.name} · ${c.code}`); o.value = c.code; return o; }));
    if (was) select.value = was;
  }
  return s.json.account;
}

function watchList(c, canEdit) {
  const box = el('article', undefined, 'community');
  box.dataset.community = c.code;
  box.append(el('h3', `${c.name} · ${c.code}`));
  if (!c.entries.length) { box.append(el('p', words.watch_empty, 'note')); return box; }
  const table = el('table', undefined, 'watch');
  const head = table.createTHead().insertRow();
  head.append(el('th', words.doc_number), el('th', words.reason), el('th', words.added_at));
  if (canEdit) head.append(el('th', ''));
  const body = table.createTBody();
  for (const e of c.entries) {
    const row = body.insertRow();
    row.append(el('td', e.number_masked, 'number'), el('td', e.reason), el('td', e.added_words));
    if (canEdit) {
      const b = el('button', words.remove, 'quiet remove');
      b.type = 'button';
      b.addEventListener('click', async () => {
        b.disabled = true;
        const { json } = await call('watch-list/remove', { community: c.code, ref: e.ref });
        if (!json.ok) { b.disabled = false; return showError('#watch-error-list', json.error); }
        await watchScreen();
      });
      const cell = el('td'); cell.append(b); row.append(cell);
    }
  }
  box.append(table);
  return box;
}

async function watchScreen() {
  if (!(await session())) return;
  const { json } = await call('watch-list');
  if (!json.ok) { show(null); return showError('#page-error', json.error); }
  $('#watch-add').hidden = !json.can_edit;
  $('#watch-read-only').hidden = json.can_edit;
  const err = el('p', undefined, 'error'); err.id = 'watch-error-list'; err.setAttribute('role', 'alert'); err.hidden = true;
  $('#watch-lists').replaceChildren(err, ...json.communities.map((c) => watchList(c, json.can_edit)));
  showError('#page-error', null);
  show('watch');
}

function resultRow(p) {
  const row = document.createElement('tr');
  const number = el('td', p.number_masked, 'number');
  const show = el('button', words.show_number, 'quiet unmask');
  show.type = 'button';
  show.addEventListener('click', async () => {
    show.disabled = true;
    const { json } = await call('persons/unmask', { community: $('#search-community').value, ref: p.ref });
    if (!json.ok) { show.disabled = false; return showError('#search-error', json.error); }
    number.textContent = json.doc_number;
    number.classList.add('unmasked');
    show.remove();
  });
  const action = el('td'); action.append(show);
  row.append(el('td', p.name), number, el('td', p.phone_masked, 'number'), el('td', p.type), el('td', p.updated_words),
    el('td', p.watched ?? '', 'watched'), action);
  return row;
}

async function personsScreen() {
  if (!(await session())) return;
  showError('#page-error', null);
  show('persons');
  $('#search-query').focus();
}

async function search() {
  $('#search-submit').disabled = true;
  const { json } = await call('persons/search', { community: $('#search-community').value, query: $('#search-query').value });
  $('#search-submit').disabled = false;
  showError('#search-error', json.ok ? null : json.error);
  const list = json.ok ? json.persons : [];
  $('#search-results tbody').replaceChildren(...list.map(resultRow));
  $('#search-results').hidden = !list.length;
  $('#search-none').hidden = !json.ok || list.length > 0;
  $('#search-more').hidden = !json.more;
  if (json.more) bilingual($('#search-more'), json.more);
}

async function exportCsv(what) {
  showError('#export-error', null);
  const res = await fetch('api/export', { credentials: 'same-origin', ...post({ community: $('#search-community').value, what }) });
  if (!res.ok) {
    let json = null;
    try { json = await res.json(); } catch { /* below */ }
    return showError('#export-error', json?.error ?? { code: 'http.error', zh: `服务器答复 ${res.status}`, en: `The server answered ${res.status}` });
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? `${what}.csv`;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url; a.download = name;
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The chosen file's bytes, base64 (they may be GBK: the service works out which). */
function fileBase64(file) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

async function importRoster() {
  const file = $('#roster-file').files[0];
  $('#roster-submit').disabled = true;
  const { json } = await call('roster/import', { community: $('#search-community').value, data: file ? await fileBase64(file) : '' });
  $('#roster-submit').disabled = false;
  showError('#roster-error', json.ok ? null : json.error);
  $('#roster-done').hidden = !json.ok;
  if (json.ok) bilingual($('#roster-done'), json.words);
  const problems = json.problems ?? [];
  $('#roster-problems tbody').replaceChildren(...problems.map((p) => {
    const row = document.createElement('tr'); row.dataset.line = p.line; row.dataset.code = p.code;
    row.append(el('td', p.line, 'n'), el('td', p));
    return row;
  }));
  $('#roster-problems').hidden = !problems.length;
}

async function auditLog() {
  if (!(await session())) return;
  const { json } = await call('audit');
  if (!json.ok) { show(null); return showError('#page-error', json.error); }
  $('#audit-table tbody').replaceChildren(...json.events.map((e) => {
    const row = document.createElement('tr'); row.dataset.action = e.action;
    row.append(el('td', e.at_words), el('td', e.account), el('td', e.action_words), el('td', e.detail), el('td', e.address));
    return row;
  }));
  // The gates' staff actions, per community, as the service words them.
  $('#gate-actions-table tbody').replaceChildren(...json.gate_actions.flatMap((c) => c.actions.map((a) => {
    const row = document.createElement('tr'); row.dataset.kind = a.kind; row.dataset.community = c.code;
    row.append(el('td', c.name || c.code, 'short'), el('td', a.time, 'short'), el('td', a.gate, 'short'), el('td', a.staff, 'short'),
      el('td', a.kind_words), el('td', a.detail));
    return row;
  })));
  showError('#page-error', null);
  show('audit');
}

// --- accounts (admins): the service lists each account with the actions it offers on it ---

let accountsReply = null;
let editing = null; // {name, what}

function options(select, roles) {
  const was = select.value;
  select.replaceChildren(...roles.map((r) => { const o = el('option', `${r.words.zh} ${r.words.en}`); o.value = r.key; return o; }));
  if (was) select.value = was;
}

function communityChecks(box, chosen) {
  box.replaceChildren(...accountsReply.communities.map((c) => {
    const label = el('label'); const box = el('input'); box.type = 'checkbox'; box.value = c.code; box.checked = chosen.includes(c.code);
    label.append(box, el('span', `${c.name} · ${c.code}`)); return label;
  }));
}
const checked = (box) => [...box.querySelectorAll('input:checked')].map((i) => i.value);

function accountDone(json, target = '#accounts-error') {
  showError(target, json.ok ? null : json.error);
  $('#accounts-done').hidden = !json.ok;
  if (json.ok) bilingual($('#accounts-done'), json.words);
  return json.ok;
}

async function changeAccount(body) {
  const { json } = await call('accounts/change', body);
  if (accountDone(json)) { editing = null; await accountsScreen(true); }
}

function accountRow(a) {
  const row = document.createElement('tr'); row.dataset.account = a.name; row.className = a.state_class;
  const actions = el('td', undefined, 'actions');
  for (const act of a.actions) {
    const b = el('button', act.words, 'quiet'); b.type = 'button'; b.dataset.what = act.what;
    b.addEventListener('click', () => (act.form ? editAccount(a, act) : changeAccount({ name: a.name, what: act.what })));
    actions.append(b);
  }
  row.append(el('td', a.name), el('td', a.role_words), el('td', a.communities_words), el('td', a.state_words), el('td', a.last_sign_in_words), actions);
  return row;
}

function editAccount(a, act) {
  editing = { name: a.name, what: act.what };
  bilingual($('#account-edit-title'), { zh: `${a.name}：${act.words.zh}`, en: `${a.name}: ${act.words.en}` });
  for (const f of $('#account-edit').querySelectorAll('fieldset')) f.hidden = f.dataset.what !== act.what;
  $('#edit-role').value = a.role;
  $('#edit-password').value = ''; $('#edit-password-again').value = '';
  communityChecks($('#edit-communities'), a.communities);
  $('#account-edit').hidden = false;
  $('#account-edit').querySelector('fieldset:not([hidden]) select, fieldset:not([hidden]) input')?.focus();
}

async function accountsScreen(keepMessage = false) {
  if (!(await session())) return;
  const { json } = await call('accounts');
  if (!json.ok) { show(null); return showError('#page-error', json.error); }
  accountsReply = json;
  for (const s of document.querySelectorAll('.role-select')) options(s, json.roles);
  if (!keepMessage) { showError('#accounts-error', null); $('#accounts-done').hidden = true; }
  $('#accounts-table tbody').replaceChildren(...json.accounts.map(accountRow));
  communityChecks($('#add-communities'), checked($('#add-communities')));
  $('#account-edit').hidden = !editing;
  showError('#page-error', null);
  show('accounts');
}

const screens = { '#audit': auditLog, '#watch': watchScreen, '#persons': personsScreen, '#accounts': () => accountsScreen() };
const route = () => (screens[location.hash] ?? overview)();

async function start() {
  const w = await call('words');
  words = w.json.words ?? {};
  for (const e of document.querySelectorAll('[data-w]')) bilingual(e, words[e.dataset.w]);
  document.title = `${words.title?.zh} · ${words.title?.en}`;
  $('#sign-in').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('#sign-in-submit').disabled = true;
    const { json } = await call('sign-in', { user: $('#user').value, password: $('#password').value });
    $('#sign-in-submit').disabled = false;
    $('#password').value = '';
    if (!json.ok) return showError('#sign-in-error', json.error);
    showError('#sign-in-error', null);
    await route();
  });
  $('#watch-add').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('#watch-submit').disabled = true;
    const { json } = await call('watch-list/add', { community: $('#watch-community').value, doc_number: $('#watch-doc').value, reason: $('#watch-reason').value });
    $('#watch-submit').disabled = false;
    showError('#watch-error', json.ok ? null : json.error);
    if (!json.ok) return;
    $('#watch-doc').value = ''; $('#watch-reason').value = '';
    await watchScreen();
  });
  $('#search').addEventListener('submit', (ev) => { ev.preventDefault(); search(); });
  $('#roster').addEventListener('submit', (ev) => { ev.preventDefault(); importRoster(); });
  $('#roster-file').addEventListener('change', () => { $('#roster-file-name').textContent = $('#roster-file').files[0]?.name ?? ''; });
  $('#export-persons').addEventListener('click', () => exportCsv('persons'));
  $('#export-entries').addEventListener('click', () => exportCsv('entries'));
  $('#account-add').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('#account-add-submit').disabled = true;
    const { json } = await call('accounts/add', { name: $('#add-name').value, role: $('#add-role').value, password: $('#add-password').value,
      password_again: $('#add-password-again').value, communities: checked($('#add-communities')) });
    $('#account-add-submit').disabled = false;
    $('#add-password').value = ''; $('#add-password-again').value = '';
    if (!accountDone(json)) return;
    $('#add-name').value = '';
    for (const i of $('#add-communities').querySelectorAll('input')) i.checked = false;
    await accountsScreen(true);
  });
  $('#account-edit').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = { name: editing.name, what: editing.what, role: $('#edit-role').value, password: $('#edit-password').value,
      password_again: $('#edit-password-again').value, communities: checked($('#edit-communities')) };
    $('#edit-password').value = ''; $('#edit-password-again').value = '';
    await changeAccount(body);
  });
  $('#account-edit-cancel').addEventListener('click', () => { editing = null; $('#account-edit').hidden = true; });
  $('#sign-out').addEventListener('click', async () => {
    await call('sign-out', {});
    signInScreen(null);
  });
  addEventListener('hashchange', () => route());
  await route();
}

start();
