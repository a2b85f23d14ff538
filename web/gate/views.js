// The console's screens, drawn with Dear ImGui every frame that is drawn at all.
// Large type and large buttons: staff wear gloves and stand a step back.
import {
  ImGui, ImPlot, ImVec2, ImVec4, ImGuiWindowFlags, ImGuiCol,
  ImGuiInputTextFlags, ImGuiTableFlags,
} from '../vendor/jsimgui/mod.js';
import { S, flow, t, say } from './flow.js';
import { printPoster, printCards, residentUrl } from './print.js';

const BASE = 22; // body text, px (CSS)
const BIG = 34;
const HUGE = 56;
const BTN_H = 64;

/// id → {x, y, w, h}: where each tracked item was drawn in the last frame.
export let rects = new Map();
let nextRects = new Map();

const rgba = (r, g, b, a = 1) => new ImVec4(r / 255, g / 255, b / 255, a);
const WHITE = new ImVec4(1, 1, 1, 1);
const u32 = (r, g, b, a = 255) => ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
const COLORS = {
  allow: [46, 125, 50], refer: [239, 160, 0], deny: [198, 40, 40], error: [121, 85, 72],
  idle: [55, 71, 79], verify: [21, 101, 192], done: [46, 125, 50],
};

export function setupStyle() {
  const style = ImGui.GetStyle();
  style.FontSizeBase = BASE;
  style.ScaleAllSizes(1.6);
  style.FrameRounding = 8;
  style.ChildRounding = 8;
  style.ScrollbarSize = 24;
  style.Colors; // (defaults: dark theme)
}

function track(id) {
  const a = ImGui.GetItemRectMin();
  const b = ImGui.GetItemRectMax();
  nextRects.set(id, { x: a.x, y: a.y, w: b.x - a.x, h: b.y - a.y });
}

function withFont(size, fn) {
  ImGui.PushFontFloat(null, size);
  try { fn(); } finally { ImGui.PopFont(); }
}

function button(label, id, w = 0, h = BTN_H, color = null) {
  if (color) {
    ImGui.PushStyleColorImVec4(ImGuiCol.Button, rgba(...color));
    ImGui.PushStyleColorImVec4(ImGuiCol.ButtonHovered, rgba(...color.map((c) => Math.min(255, c + 25))));
    ImGui.PushStyleColorImVec4(ImGuiCol.ButtonActive, rgba(...color.map((c) => Math.max(0, c - 25))));
  }
  const dark = color === COLORS.refer;
  if (dark) ImGui.PushStyleColorImVec4(ImGuiCol.Text, new ImVec4(0.08, 0.08, 0.08, 1));
  const clicked = ImGui.Button(`${label}##${id}`, new ImVec2(w, h));
  if (color) ImGui.PopStyleColor(dark ? 4 : 3);
  track(id);
  return clicked;
}

/// A coloured block with big centred text (the decision panel). Text goes
/// through ImGui.Text on top of the block (the draw list's font-size AddText
/// is not usable from JS).
function panel(id, color, title, lines = [], height = 0) {
  const w = ImGui.GetContentRegionAvail().x;
  const titleSize = lines.length ? HUGE : BIG + 6;
  const p = ImGui.GetCursorScreenPos();
  const dl = ImGui.GetWindowDrawList();
  dl.ChannelsSplit(2);
  dl.ChannelsSetCurrent(1);
  const tw = textWidth(title, titleSize);
  ImGui.SetCursorScreenPos(new ImVec2(p.x + Math.max(12, (w - tw) / 2), p.y + 16));
  // Amber is light: dark text on it; white on the others.
  const ink = color === COLORS.refer ? new ImVec4(0.08, 0.08, 0.08, 1) : WHITE;
  withFont(titleSize, () => { ImGui.TextColored(ink, title); rememberWidth(title, titleSize); });
  ImGui.PushStyleColorImVec4(ImGuiCol.Text, ink);
  withFont(BASE + 4, () => {
    for (const line of lines) {
      ImGui.SetCursorScreenPos(new ImVec2(p.x + 24, ImGui.GetCursorScreenPos().y + 4));
      ImGui.TextWrapped(`• ${line}`);
    }
  });
  ImGui.PopStyleColor(1);
  const bottom = Math.max(p.y + (height || 0), ImGui.GetCursorScreenPos().y + 16);
  dl.ChannelsSetCurrent(0);
  dl.AddRectFilled(p, new ImVec2(p.x + w, bottom), u32(...color), 14);
  dl.ChannelsMerge();
  ImGui.SetCursorScreenPos(p);
  ImGui.Dummy(new ImVec2(w, bottom - p.y));
  track(id);
}

// jsimgui's CalcTextSize measures nothing (its text_end argument is never
// null), so text is measured as drawn and centred from the next frame on.
const widths = new Map();
function textWidth(text, size) {
  return widths.get(`${size}|${text}`) ?? 0;
}
function rememberWidth(text, size) {
  if (widths.size > 200) widths.clear();
  widths.set(`${size}|${text}`, ImGui.GetItemRectSize().x);
}

// --- the whole console ---------------------------------------------------------------
export function drawConsole() {
  nextRects = new Map();
  S.caret = null;
  const vp = ImGui.GetMainViewport();
  ImGui.SetNextWindowPos(vp.Pos);
  ImGui.SetNextWindowSize(vp.Size);
  // No background: the page's own background shows through, and so does the
  // live camera <video> placed under the canvas.
  const flags = ImGuiWindowFlags.NoDecoration | ImGuiWindowFlags.NoMove | ImGuiWindowFlags.NoSavedSettings
    | ImGuiWindowFlags.NoBringToFrontOnFocus | ImGuiWindowFlags.NoBackground;
  ImGui.Begin('##console', null, flags);
  if (S.phase === 'failed') {
    withFont(BIG, () => ImGui.TextWrapped(`${t('coreFailed')}: ${S.bootError}`));
  } else if (S.lock?.locked !== false) {
    drawLock();
  } else {
    drawTopBar();
    drawTabs();
    drawMessage();
    ImGui.Separator();
    if (!S.core) withFont(BIG, () => ImGui.Text(t('loading')));
    else ({ scan: drawScan, today: drawToday, search: drawSearch, stats: drawStats, data: drawData, settings: drawSettings })[S.tab]();
  }
  ImGui.End();
  rects = nextRects;
}

function drawTopBar() {
  withFont(BIG, () => {
    const s = S.settings;
    const where = [s?.community_name, s?.gate_name].filter(Boolean).join(' · ');
    ImGui.Text(where ? `${t('title')} — ${where}` : t('title'));
  });
  ImGui.SameLine();
  const right = ImGui.GetWindowWidth() - 560;
  ImGui.SetCursorPosX(Math.max(ImGui.GetCursorPosX() + 20, right));
  const p = S.pending;
  const pendingColor = p.entries || p.persons ? rgba(255, 193, 7) : rgba(160, 200, 160);
  withFont(BASE + 2, () => {
    ImGui.TextColored(pendingColor, `${t('pending')}: ${t('pendingValue', p)}`);
    track('pending');
    ImGui.SameLine();
    ImGui.TextColored(S.online ? rgba(129, 199, 132) : rgba(229, 115, 115), S.online ? t('online') : t('offline'));
  });
  ImGui.SameLine();
  if (button(t('lang'), 'lang', 110, 44)) flow.setLang(S.lang === 'zh' ? 'en' : 'zh');
  ImGui.SameLine();
  if (button(t('lock'), 'lock', 90, 44)) flow.lockNow();
}

function drawTabs() {
  const tabs = ['scan', 'today', 'search', 'stats', 'data', 'settings'];
  const keys = { scan: 'tabScan', today: 'tabToday', search: 'tabSearch', stats: 'tabStats', data: 'tabData', settings: 'tabSettings' };
  withFont(BASE + 6, () => {
    for (const tab of tabs) {
      const active = S.tab === tab;
      if (button(t(keys[tab]), `tab.${tab}`, 150, 56, active ? [21, 101, 192] : [48, 56, 66])) {
        S.tab = tab;
        if (tab === 'today') flow.refreshToday().then(() => S.invalidate());
        if (tab === 'stats') flow.refreshStats();
        if (tab === 'data') flow.listBatches();
      }
      ImGui.SameLine();
    }
    ImGui.NewLine();
  });
}

function drawMessage() {
  const m = S.message;
  if (!m) return;
  const c = m.kind === 'error' ? rgba(239, 83, 80) : m.kind === 'warn' ? rgba(255, 202, 40) : rgba(129, 199, 132);
  withFont(BASE + 4, () => ImGui.TextColored(c, say(m)));
  track('message');
}

// --- lock screen -----------------------------------------------------------------------
function drawLock() {
  const setting = !S.lock?.hasPin;
  const w = 420;
  ImGui.SetCursorPosX(Math.max(20, (ImGui.GetWindowWidth() - w) / 2));
  ImGui.BeginGroup();
  withFont(BIG, () => {
    ImGui.Text(t('title'));
    ImGui.TextWrapped(setting ? (S.pin.first === null ? t('pinSetTitle') : t('pinAgain')) : t('pinEnterTitle'));
  });
  if (!S.lock) { ImGui.EndGroup(); return; }
  withFont(HUGE, () => {
    ImGui.SetNextItemWidth(w);
    const flags = ImGuiInputTextFlags.Password | ImGuiInputTextFlags.CharsDecimal | ImGuiInputTextFlags.EnterReturnsTrue;
    if (ImGui.InputText('##pin', S.pin.input, 9, flags)) flow.submitPin().then(() => S.invalidate());
    track('pin');
    caretFromItem();
  });
  if (S.pin.error) withFont(BASE + 4, () => ImGui.TextColored(rgba(239, 83, 80), S.pin.error));
  // A keypad for touch screens and gloves.
  withFont(BIG, () => {
    const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'C', '0', 'OK'];
    keys.forEach((k, i) => {
      const label = k === 'C' ? t('clear') : k === 'OK' ? (setting ? t('setPin') : t('unlock')) : k;
      if (button(label, `key.${k}`, 132, 80, k === 'OK' ? [46, 125, 50] : null)) {
        if (k === 'C') S.pin.input[0] = '';
        else if (k === 'OK') flow.submitPin().then(() => S.invalidate());
        else if (S.pin.input[0].length < 8) S.pin.input[0] += k;
      }
      if (i % 3 !== 2) ImGui.SameLine();
    });
  });
  ImGui.Spacing();
  withFont(BASE, () => {
    if (button(t('lang'), 'lang', 130, 48)) flow.setLang(S.lang === 'zh' ? 'en' : 'zh');
  });
  ImGui.EndGroup();
}

function caretFromItem() {
  if (ImGui.IsItemActive()) {
    const a = ImGui.GetItemRectMin();
    const b = ImGui.GetItemRectMax();
    S.caret = { x: a.x + 8, y: b.y };
  }
}

// --- scan -----------------------------------------------------------------------------------
function drawScan() {
  const avail = ImGui.GetContentRegionAvail();
  const leftW = Math.floor(avail.x * 0.5);
  ImGui.BeginChild('camera', new ImVec2(leftW, avail.y), 0);
  drawCamera(leftW - 10);
  ImGui.EndChild();
  ImGui.SameLine();
  ImGui.BeginChild('person', new ImVec2(0, avail.y), 0);
  drawFlow();
  ImGui.EndChild();
}

function drawCamera(width) {
  const cam = S.camera;
  const v = cam.video;
  if (cam.running && v.videoWidth) {
    // Room for the live <video> (composited under the transparent canvas) and the outline on top.
    const h = Math.round(width * v.videoHeight / v.videoWidth);
    ImGui.Dummy(new ImVec2(width, h));
    track('camera.view');
    const o = S.outline;
    if (o) {
      const a = ImGui.GetItemRectMin();
      const k = width / o.width;
      const pts = o.corners.map((c) => new ImVec2(a.x + c.x * k, a.y + c.y * k));
      ImGui.GetWindowDrawList().AddQuad(pts[0], pts[1], pts[2], pts[3], u32(0, 230, 118), 5);
    }
  } else {
    const h = Math.round(width * 9 / 16);
    const p = ImGui.GetCursorScreenPos();
    ImGui.GetWindowDrawList().AddRectFilled(p, new ImVec2(p.x + width, p.y + h), u32(30, 30, 30), 10);
    ImGui.Dummy(new ImVec2(width, h));
    track('camera.placeholder');
    ImGui.SetCursorScreenPos(new ImVec2(p.x + 20, p.y + 20));
    withFont(BASE + 4, () => ImGui.TextWrapped(cam.starting ? t('cameraStarting')
      : cam.error ? t('cameraDenied') + cam.error : t('cameraStop')));
    ImGui.SetCursorScreenPos(new ImVec2(p.x, p.y + h + 8));
  }
  if (cam.devices.length > 1) {
    ImGui.SetNextItemWidth(width - 200);
    const labels = cam.devices.map((d) => d.label);
    const cur = [Math.max(0, cam.devices.findIndex((d) => d.id === cam.deviceId))];
    if (ImGui.Combo(`${t('camera')}##cam`, cur, labels.join('\0') + '\0')) cam.start(cam.devices[cur[0]].id);
    track('camera.select');
  }
  if (cam.running) {
    if (button(t('cameraStop'), 'camera.stop', 220, 52)) { cam.stop(); S.invalidate(); }
  } else if (button(t('cameraStart'), 'camera.start', 220, 52)) {
    cam.start();
  }
}

const fieldLabel = (f) => (S.lang === 'en' ? f.en : f.zh);

/// A person's value as words: choices by their label, yes/no, masked numbers.
function valueText(f, person, masked, reveal) {
  const v = person?.[f.key];
  if (v === undefined || v === null || v === '') return '—';
  if ((f.key === 'doc_number' || f.key === 'phone') && !reveal) return masked?.[f.key] ?? '****';
  if (typeof v === 'boolean') return v ? (S.lang === 'en' ? 'Yes' : '是') : (S.lang === 'en' ? 'No' : '否');
  const choice = S.choices[f.key]?.find((c) => c.value === v);
  if (choice) return S.lang === 'en' ? choice.en : choice.zh;
  return String(v);
}

function drawRecord(person, masked, reveal) {
  if (ImGui.BeginTable('record', 2, ImGuiTableFlags.RowBg | ImGuiTableFlags.Borders)) {
    ImGui.TableSetupColumn('k', 0, 0);
    for (const f of S.fields) {
      if (f.when && !person?.[f.when]) continue;
      ImGui.TableNextRow();
      ImGui.TableNextColumn();
      ImGui.TextDisabled(fieldLabel(f));
      ImGui.TableNextColumn();
      ImGui.TextWrapped(valueText(f, person, masked, reveal));
      track(`record.${f.key}`);
    }
    ImGui.EndTable();
  }
}

function drawFlow() {
  const f = S.flow;
  switch (f.step) {
    case 'idle':
      panel('panel', COLORS.idle, t('waiting'), [t('waitingHint')]);
      break;
    case 'reading':
      panel('panel', COLORS.idle, t('reading'));
      break;
    case 'error':
      panel('panel', COLORS.error, t('notAPass'), [say(f.error)]);
      if (button(t('next'), 'next', 200)) flow.reset();
      break;
    case 'verify':
      panel('panel', COLORS.verify, f.changed ? t('changed') : t('firstTime'));
      drawPersonHeader();
      drawFlowError();
      withFont(BIG, () => {
        const avail = ImGui.GetContentRegionAvail().x - 4;
        const gap = ImGui.GetStyle().ItemSpacing.x;
        if (button(t('verified'), 'verify', Math.round(avail * 0.68), 80, COLORS.allow)) flow.verify();
        ImGui.SameLine();
        if (button(t('cancel'), 'cancel', avail - Math.round(avail * 0.68) - gap, 80)) flow.reset();
      });
      drawRecord(f.person, f.masked, f.reveal);
      break;
    case 'measure':
    case 'decided':
      drawMeasure();
      break;
    case 'done': {
      const v = f.decision?.verdict ?? 'allow';
      panel('panel', COLORS[v], `${t('recorded')} · ${t(v)}`, (f.decision?.reasons || []).map(say));
      if (button(t('next'), 'next', 200)) flow.reset();
      break;
    }
    default:
      break;
  }
}

function drawPersonHeader() {
  const f = S.flow;
  withFont(BIG, () => ImGui.Text(f.person?.name ?? ''));
  ImGui.SameLine();
  withFont(BASE + 2, () => {
    ImGui.TextDisabled(f.reveal ? f.person?.doc_number ?? '' : f.masked?.doc_number ?? '');
    track('person.doc');
  });
  ImGui.SameLine();
  if (button(f.reveal ? t('hide') : t('show'), 'reveal', 100, 44)) f.reveal = !f.reveal;
}

function drawFlowError() {
  if (S.flow.error) withFont(BASE + 4, () => ImGui.TextColored(rgba(255, 138, 128), say(S.flow.error)));
}

function drawMeasure() {
  const f = S.flow;
  const avail = ImGui.GetContentRegionAvail().x - 4;
  const gap = ImGui.GetStyle().ItemSpacing.x;
  drawPersonHeader();
  ImGui.Spacing();
  withFont(HUGE, () => {
    ImGui.Text(t('temperature'));
    ImGui.SetNextItemWidth(Math.max(160, avail - 2 * 110 - 2 * gap));
    const before = f.temperature[0];
    ImGui.InputDouble('##temp', f.temperature, 0, 0, '%.1f', ImGuiInputTextFlags.CharsDecimal | ImGuiInputTextFlags.AutoSelectAll);
    track('temp');
    caretFromItem();
    const entered = ImGui.IsItemDeactivatedAfterEdit();
    if (f.temperature[0] !== before && f.step === 'decided') { f.step = 'measure'; f.decision = null; }
    if (entered && f.temperature[0] > 0) flow.decide();
  });
  ImGui.SameLine();
  withFont(BIG, () => {
    if (button('-0.1', 'temp.down', 110, 80)) { f.temperature[0] = Math.round((f.temperature[0] || 36.5) * 10 - 1) / 10; f.step = 'measure'; }
    ImGui.SameLine();
    if (button('+0.1', 'temp.up', 110, 80)) { f.temperature[0] = Math.round((f.temperature[0] || 36.4) * 10 + 1) / 10; f.step = 'measure'; }
  });
  ImGui.Spacing();
  withFont(BIG, () => {
    for (const d of ['in', 'out']) {
      const on = f.direction === d;
      if (button(t(d === 'in' ? 'dirIn' : 'dirOut'), `dir.${d}`, (avail - 2 * gap) / 3, 80, on ? [21, 101, 192] : [48, 56, 66])) {
        if (f.direction !== d) { f.direction = d; if (f.step === 'decided') flow.decide(); }
      }
      ImGui.SameLine();
    }
    if (button(t('decide'), 'decide', (avail - 2 * gap) / 3, 80, [0, 105, 92])) flow.decide();
  });
  drawFlowError();
  if (f.step === 'decided' && f.decision) {
    const v = f.decision.verdict;
    panel('panel', COLORS[v] ?? COLORS.idle, t(v), f.decision.reasons.map(say));
    const label = v === 'allow' ? t('confirm') : v === 'refer' ? t('confirmRefer') : t('confirmDeny');
    withFont(BIG, () => {
      if (button(label, 'confirm', Math.round(avail * 0.68), 88, COLORS[v])) flow.confirm();
    });
    ImGui.SameLine();
  }
  withFont(BIG, () => { if (button(t('cancel'), 'cancel', f.step === 'decided' ? avail - Math.round(avail * 0.68) - gap : 200, 88)) flow.reset(); });
}

// --- today ---------------------------------------------------------------------------------
// The core counts "today" in China time (UTC+8); show times the same way.
const hhmm = (ms) => new Date(ms).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' });

function drawToday() {
  withFont(BIG, () => ImGui.Text(`${t('today')} (${S.today.length})`));
  ImGui.SameLine();
  if (button(t('refresh'), 'today.refresh', 140, 48)) flow.refreshToday().then(() => S.invalidate());
  if (!S.today.length) { ImGui.Text(t('noEntries')); return; }
  const tf = ImGuiTableFlags.RowBg | ImGuiTableFlags.Borders | ImGuiTableFlags.ScrollY;
  if (ImGui.BeginTable('today', 7, tf, new ImVec2(0, ImGui.GetContentRegionAvail().y))) {
    for (const h of ['time', 'name', 'dir', 'temp', 'verdict', 'reasons', 'staff']) ImGui.TableSetupColumn(t(h));
    ImGui.TableHeadersRow();
    for (const e of [...S.today].reverse()) {
      ImGui.TableNextRow();
      ImGui.TableNextColumn(); ImGui.Text(hhmm(e.at));
      ImGui.TableNextColumn(); ImGui.Text(e.name);
      ImGui.TableNextColumn(); ImGui.Text(t(e.direction === 'in' ? 'dirIn' : 'dirOut'));
      ImGui.TableNextColumn(); ImGui.Text(e.temperature != null ? e.temperature.toFixed(1) : '—');
      ImGui.TableNextColumn();
      const c = COLORS[e.verdict] ?? COLORS.idle;
      ImGui.TextColored(rgba(...c.map((x) => Math.min(255, x + 60))), t(e.verdict));
      ImGui.TableNextColumn(); ImGui.TextWrapped((e.reasons || []).map(say).join('；'));
      ImGui.TableNextColumn(); ImGui.Text(e.staff || '');
    }
    ImGui.EndTable();
  }
}

// --- search and manual registration ------------------------------------------------------------
function drawSearch() {
  if (S.manual) { drawManual(); return; }
  withFont(BIG, () => {
    ImGui.SetNextItemWidth(520);
    if (ImGui.InputTextWithHint('##q', t('searchHint'), S.search.query, 64, ImGuiInputTextFlags.EnterReturnsTrue)) flow.search();
    track('search.query');
    caretFromItem();
    ImGui.SameLine();
    if (button(t('search'), 'search.go', 160, 0)) flow.search();
    ImGui.SameLine();
    if (button(t('manualNew'), 'manual.new', 0, 0)) flow.startManual();
  });
  if (S.search.error) ImGui.TextColored(rgba(239, 83, 80), say(S.search.error));
  if (S.search.done && !S.search.results.length) ImGui.Text(t('noResults'));
  S.search.results.forEach((r, i) => {
    ImGui.PushID(`r${i}`);
    ImGui.Separator();
    const shown = S.search.reveal.has(i);
    withFont(BIG, () => ImGui.Text(r.person?.name ?? ''));
    ImGui.SameLine();
    ImGui.TextDisabled(`${shown ? r.person?.doc_number : r.masked?.doc_number ?? ''}   ${shown ? r.person?.phone : r.masked?.phone ?? ''}`);
    ImGui.SameLine();
    ImGui.Text(r.verified_at ? (S.lang === 'en' ? 'verified' : '已核验') : '');
    if (button(shown ? t('hide') : t('show'), `search.reveal.${i}`, 100, 48)) {
      if (shown) S.search.reveal.delete(i); else S.search.reveal.add(i);
    }
    ImGui.SameLine();
    if (button(t('register'), `search.use.${i}`, 180, 48, [21, 101, 192])) flow.useRecord(r);
    ImGui.SameLine();
    if (button(t('printCard'), `search.card.${i}`, 200, 48)) printCardFor(r);
    // This person's entries today (newest first).
    const mine = S.today.filter((e) => e.doc_number === r.person?.doc_number).slice(-5).reverse();
    for (const e of mine) {
      ImGui.TextDisabled(`${hhmm(e.at)}  ${t(e.direction === 'in' ? 'dirIn' : 'dirOut')}  ${e.temperature != null ? e.temperature.toFixed(1) : '—'}  ${t(e.verdict)}`);
    }
    ImGui.PopID();
  });
}

async function printCardFor(record) {
  const text = await flow.passTextOf(record);
  if (text) printCards([{ name: record.person.name, masked: record.masked, text }], S.settings, S.lang);
}

function drawManual() {
  const m = S.manual;
  withFont(BIG, () => ImGui.Text(t('manualNew')));
  const errorOf = (key) => m.errors.find((e) => e.field === key);
  const tf = ImGuiTableFlags.SizingStretchProp;
  ImGui.BeginChild('manual', new ImVec2(0, ImGui.GetContentRegionAvail().y - 100), 0);
  if (ImGui.BeginTable('manualform', 2, tf)) {
    ImGui.TableSetupColumn('k', 0, 1);
    ImGui.TableSetupColumn('v', 0, 2);
    for (const f of S.fields) {
      if (f.when && !m.values[f.when]?.[0]) continue;
      ImGui.TableNextRow();
      ImGui.TableNextColumn();
      ImGui.Text(`${f.item}. ${fieldLabel(f)}${f.required ? ' *' : ''}`);
      ImGui.TableNextColumn();
      ImGui.PushID(f.key);
      const v = m.values[f.key];
      ImGui.SetNextItemWidth(-1);
      if (typeof v[0] === 'boolean') {
        if (ImGui.RadioButton(S.lang === 'en' ? 'Yes' : '是', v[0] === true)) v[0] = true;
        ImGui.SameLine();
        if (ImGui.RadioButton(S.lang === 'en' ? 'No' : '否', v[0] === false)) v[0] = false;
      } else if (S.choices[f.key]) {
        const cs = S.choices[f.key];
        const cur = [Math.max(0, cs.findIndex((c) => c.value === v[0]))];
        if (!v[0]) v[0] = cs[0].value;
        if (ImGui.Combo('##c', cur, cs.map((c) => (S.lang === 'en' ? c.en : c.zh)).join('\0') + '\0')) v[0] = cs[cur[0]].value;
      } else {
        const hint = S.lang === 'en' ? f.hint_en || '' : f.hint_zh || '';
        ImGui.InputTextWithHint('##t', f.kind === 'date' ? (hint || 'YYYY-MM-DD') : hint, v, 128);
        caretFromItem();
      }
      track(`manual.${f.key}`);
      const e = errorOf(f.key);
      if (e) ImGui.TextColored(rgba(255, 138, 128), say(e));
      ImGui.PopID();
    }
    ImGui.EndTable();
  }
  ImGui.EndChild();
  if (m.error && !m.errors.length) ImGui.TextColored(rgba(255, 138, 128), say(m.error));
  withFont(BIG, () => {
    if (button(t('manualSave'), 'manual.save', 300, 72, COLORS.allow)) flow.saveManual();
    ImGui.SameLine();
    if (button(t('cancel'), 'manual.cancel', 160, 72)) S.manual = null;
  });
}

// --- statistics ----------------------------------------------------------------------------------
function drawStats() {
  const s = S.stats;
  if (button(t('refresh'), 'stats.refresh', 140, 48)) flow.refreshStats();
  if (!s) return;
  const big = (label, value, id) => {
    ImGui.BeginGroup();
    ImGui.TextDisabled(label);
    withFont(HUGE, () => ImGui.Text(String(value ?? 0)));
    ImGui.EndGroup();
    track(id);
    ImGui.SameLine(0, 60);
  };
  big(t('entriesToday'), s.entries_today, 'stats.entries');
  big(t('returned14'), s.returned_14d, 'stats.returned');
  big(t('observation'), s.home_observation, 'stats.observation');
  big(t('feverToday'), s.fever_today, 'stats.fever');
  ImGui.NewLine();
  ImGui.SeparatorText(t('byType'));
  const byType = s.by_person_type || {};
  for (const c of S.choices.person_type || []) {
    ImGui.Text(`${S.lang === 'en' ? c.en : c.zh}: ${byType[c.value] ?? 0}`);
  }
  ImGui.SeparatorText(t('perHour'));
  const hourly = hourlyCounts(s);
  if (ImPlot.BeginPlot(`##perhour`, new ImVec2(-1, Math.max(220, ImGui.GetContentRegionAvail().y - 10)))) {
    ImPlot.SetupAxes('h', 'n', 0, 0);
    ImPlot.SetupAxesLimits(-0.5, 23.5, 0, Math.max(4, ...hourly) * 1.15, 1);
    ImPlot.PlotBars(t('perHour'), hourly, 24, 0.7, 0);
    ImPlot.EndPlot();
  }
  track('stats.plot');
}

/// Entries per hour: the core's count when it gives one, else today's list by hour.
function hourlyCounts(s) {
  if (Array.isArray(s.hourly_today) && s.hourly_today.length === 24) return s.hourly_today;
  const h = new Array(24).fill(0);
  for (const e of S.today) h[(new Date(e.at).getUTCHours() + 8) % 24]++;
  return h;
}

// --- data: export, upload, import, print ---------------------------------------------------------
let fileInput = null;

function drawData() {
  const p = S.pending;
  withFont(BIG, () => ImGui.Text(`${t('pending')}: ${t('pendingValue', p)}`));
  withFont(BIG, () => {
    if (button(t('exportBatch'), 'export', 300, 72, [21, 101, 192])) flow.exportBatch();
    ImGui.SameLine();
    if (button(t('importBatch'), 'import', 440, 72)) pickBatchFile();
  });
  if (S.lastImport?.conflicts?.length) {
    ImGui.TextColored(rgba(255, 202, 40), `${t('conflicts')}: ${S.lastImport.conflicts.length}`);
    for (const c of S.lastImport.conflicts.slice(0, 10)) ImGui.BulletText(typeof c === 'string' ? c : say(c) || JSON.stringify(c));
  }
  ImGui.SeparatorText(t('upload'));
  ImGui.Text(`${t('uploadUrl')}: ${S.settings?.upload_url || '—'}`);
  if (S.settings?.upload_url) {
    ImGui.SameLine();
    if (button(t('uploadNow'), 'upload', 200, 48)) flow.uploadPending();
    if (S.uploader.lastError) ImGui.TextColored(rgba(255, 202, 40), t('uploadFailed') + S.uploader.lastError);
  }
  ImGui.SeparatorText(t('batches'));
  for (const b of [...S.batches].reverse().slice(0, 12)) {
    ImGui.PushID(`b${b.seq}`);
    ImGui.Text(`#${b.seq}  ${new Date(b.created_at).toLocaleString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' })}  ${t('pendingValue', b)}`);
    ImGui.SameLine();
    if (S.settings?.upload_url) { ImGui.Text(flow.isUploaded(b.seq) ? (S.lang === 'en' ? 'uploaded' : '已上传') : '…'); ImGui.SameLine(); }
    if (button(S.lang === 'en' ? 'Download' : '下载', `batch.get.${b.seq}`, 100, 36)) flow.redownload(b.seq);
    ImGui.PopID();
  }
  ImGui.SeparatorText(t('printPoster'));
  const url = residentUrl(S.settings);
  ImGui.TextWrapped(`${t('residentUrl')}: ${url}`);
  if (button(t('printPoster'), 'poster', 300, 60)) printPoster(S.settings, S.lang);
  if (S.coreInfo) {
    ImGui.SeparatorText(t('storage'));
    const est = S.coreInfo.estimate;
    ImGui.Text(`${S.coreInfo.storage}${S.coreInfo.persisted ? ' · persisted' : ''}${est ? ` · ${(est.usage / 1e6).toFixed(1)} MB / ${(est.quota / 1e9).toFixed(1)} GB` : ''}`);
  }
}

function pickBatchFile() {
  if (!fileInput) {
    fileInput = document.createElement('input');
    fileInput.type = 'file';
    fileInput.id = 'batch-file';
    fileInput.hidden = true;
    document.body.appendChild(fileInput);
    fileInput.addEventListener('change', async () => {
      const file = fileInput.files[0];
      fileInput.value = '';
      if (file) await flow.importBatch(await file.text());
      S.invalidate();
    });
  }
  fileInput.click();
}

// --- settings ---------------------------------------------------------------------------------------
const SETTING_LABELS = {
  rules: ['通行规则', 'Entry rules'],
  community_code: ['社区代码', 'Community code'],
  community_name: ['社区名称', 'Community name'],
  gate_name: ['门岗名称', 'Gate name'],
  city: ['所在城市（第 7 项“本市”）', 'City (item 7 "this city")'],
  upload_url: ['上传地址（留空则手动导出）', 'Upload address (empty: export by hand)'],
  fever_at_or_above: ['发热标准 ℃（≥）', 'Fever at or above ℃'],
  return_window_days: ['返回观察天数', 'Return window (days)'],
  refer_returned: ['近期返回者需人工处理', 'Refer recent returnees'],
  refer_contact_or_symptoms: ['接触史或症状需人工处理', 'Refer contact or symptoms'],
  deny_observation_going_out: ['居家观察者不得外出', 'Deny going out under observation'],
  deny_delivery: ['快递外卖不得进入', 'Deny couriers'],
  refer_visitors: ['访客需人工确认', 'Refer visitors'],
  refer_unverified: ['未核验者需人工处理', 'Refer unverified'],
};
const settingLabel = (k) => (SETTING_LABELS[k] ? SETTING_LABELS[k][S.lang === 'en' ? 1 : 0] : k);

const SETTING_ORDER = ['community_code', 'community_name', 'gate_name', 'city', 'upload_url', 'rules'];
const ordered = (edit) => Object.entries(edit).sort(([a], [b]) => rank(a) - rank(b));
const rank = (k) => (SETTING_ORDER.includes(k) ? SETTING_ORDER.indexOf(k) : SETTING_ORDER.length);

function drawSettingFields(edit, prefix) {
  for (const [k, v] of ordered(edit)) {
    if (!Array.isArray(v)) { ImGui.SeparatorText(settingLabel(k)); drawSettingFields(v, `${prefix}${k}.`); continue; }
    ImGui.PushID(prefix + k);
    const label = settingLabel(k);
    if (typeof v[0] === 'boolean') {
      ImGui.Checkbox(label, v);
    } else if (typeof v[0] === 'number') {
      ImGui.SetNextItemWidth(200);
      if (Number.isInteger(v[0]) && !/fever/.test(k)) {
        const iv = [v[0]];
        if (ImGui.InputInt(label, iv)) v[0] = iv[0];
      } else {
        ImGui.InputDouble(label, v, 0, 0, '%.1f');
      }
    } else {
      ImGui.SetNextItemWidth(520);
      ImGui.InputText(label, v, 256);
    }
    caretFromItem();
    track(`setting.${prefix}${k}`);
    ImGui.PopID();
  }
}

function drawSettings() {
  ImGui.BeginChild('settings', new ImVec2(0, 0), 0);
  ImGui.SeparatorText(t('settingsLocal'));
  ImGui.SetNextItemWidth(320);
  if (ImGui.InputText(t('staffName'), S.staff, 40)) flow.setStaff(S.staff[0]);
  caretFromItem();
  track('setting.staff');
  const lockMin = [S.lock.lockAfterMin];
  ImGui.SetNextItemWidth(200);
  if (ImGui.InputInt(t('lockAfter'), lockMin)) S.lock.setLockAfter(lockMin[0]);
  if (button(t('lang'), 'settings.lang', 140, 48)) flow.setLang(S.lang === 'zh' ? 'en' : 'zh');
  ImGui.SeparatorText(t('settingsCommunity'));
  if (S.settingsEdit) {
    withFont(BIG, () => { if (button(t('save'), 'settings.save', 200, 64, [21, 101, 192])) flow.saveSettings(); });
    drawSettingFields(S.settingsEdit, '');
  }
  ImGui.EndChild();
}
