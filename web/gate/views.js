// The console: one full-screen ImGui window per frame — the lock screen, or
// the top bar, the tabs and the current screen. Large type and large buttons:
// staff wear gloves and stand a step back.
import { ImGui, ImVec2, ImGuiWindowFlags, ImGuiInputTextFlags } from '../vendor/jsimgui/mod.js';
import { S, flow, t, say } from './flow.js';
import { BASE, BIG, HUGE, rgba, u32, track, withFont, button, caretFromItem, beginItems, endItems } from './ui.js';
import { drawScan } from './view-scan.js';
import { drawToday, drawSearch } from './view-people.js';
import { drawStats, drawData } from './view-office.js';
import { drawSettings } from './view-settings.js';

export { rects, setupStyle } from './ui.js';

// --- the whole console ---------------------------------------------------------------
export function drawConsole() {
  beginItems();
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
    drawStorageNotes();
    drawLock();
  } else {
    drawTopBar();
    drawStorageNotes();
    drawTabs();
    drawMessage();
    ImGui.Separator();
    if (!S.core) withFont(BIG, () => ImGui.Text(t('loading')));
    else ({ scan: drawScan, today: drawToday, search: drawSearch, stats: drawStats, data: drawData, settings: drawSettings })[S.tab]();
  }
  ImGui.End();
  endItems();
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

/// What the core worker said about its storage, as long as it holds: a damaged
/// database kept aside (red), or the slower IndexedDB fallback (amber). Static
/// text: it costs no frames of its own.
function drawStorageNotes() {
  for (const n of flow.storageNotes()) {
    const red = n.code === 'storage.quarantined';
    banner(`storage.${red ? 'quarantined' : 'fallback'}`, red ? [183, 28, 28] : [255, 193, 7], say(n), !red);
  }
}

function banner(id, color, text, darkInk) {
  const w = ImGui.GetContentRegionAvail().x;
  const p = ImGui.GetCursorScreenPos();
  const local = ImGui.GetCursorPosX();
  const dl = ImGui.GetWindowDrawList();
  dl.ChannelsSplit(2);
  dl.ChannelsSetCurrent(1);
  ImGui.SetCursorScreenPos(new ImVec2(p.x + 14, p.y + 10));
  ImGui.PushTextWrapPos(local + w - 14);
  const ink = darkInk ? rgba(20, 20, 20) : rgba(255, 255, 255);
  withFont(BASE + 2, () => ImGui.TextColored(ink, `! ${text}`));
  ImGui.PopTextWrapPos();
  const bottom = ImGui.GetCursorScreenPos().y + 6;
  dl.ChannelsSetCurrent(0);
  dl.AddRectFilled(p, new ImVec2(p.x + w, bottom), u32(...color), 8);
  dl.ChannelsMerge();
  ImGui.SetCursorScreenPos(p);
  ImGui.Dummy(new ImVec2(w, bottom - p.y));
  track(id);
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
        if (tab === 'search' && S.search.results.length) flow.refreshHistories();
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
