// The console: one full-screen ImGui window per frame — the lock screen, or
// the top bar, the tabs and the current screen. Large type and large buttons:
// staff wear gloves and stand a step back.
import { ImGui, ImVec2, ImGuiWindowFlags } from '../vendor/jsimgui/mod.js';
import { app, t, say, setLang, online, storageNotes } from './state.js';
import { BASE, BIG, COLORS, rgba, track, withFont, button, panel, beginItems, endItems } from './ui.js';
import { drawScan } from './view-scan.js';
import { drawToday, drawSearch, people } from './view-people.js';
import { drawStats, drawData, office } from './view-office.js';
import { drawSettings } from './view-settings.js';
import { drawLock, lockState, locking } from './view-lock.js';

export { rects, setupStyle } from './ui.js';

// --- the whole console ---------------------------------------------------------------
export function drawConsole() {
  beginItems();
  const vp = ImGui.GetMainViewport();
  ImGui.SetNextWindowPos(vp.Pos);
  ImGui.SetNextWindowSize(vp.Size);
  // No background: the page's own background shows through, and so does the
  // live camera <video> placed under the canvas.
  const flags = ImGuiWindowFlags.NoDecoration | ImGuiWindowFlags.NoMove | ImGuiWindowFlags.NoSavedSettings
    | ImGuiWindowFlags.NoBringToFrontOnFocus | ImGuiWindowFlags.NoBackground;
  ImGui.Begin('##console', null, flags);
  if (app.phase === 'failed') {
    withFont(BIG, () => ImGui.TextWrapped(`${t('coreFailed')}: ${app.bootError}`));
    if (app.startAnew) drawStartAnew();
  } else if (lockState.lock.locked) {
    drawStorageNotes();
    drawLock();
  } else {
    drawTopBar();
    drawStorageNotes();
    drawTabs();
    drawMessage();
    ImGui.Separator();
    if (!app.core) withFont(BIG, () => ImGui.Text(t('loading')));
    else ({ scan: drawScan, today: drawToday, search: drawSearch, stats: drawStats, data: drawData, settings: drawSettings })[app.tab]();
  }
  ImGui.End();
  endItems();
}

// The browser deleted the stored database (storage.lost): the worker will not
// start an empty one until a person says so, in two taps, having read what it means.
const lostState = { confirming: false };
function drawStartAnew() {
  ImGui.Dummy(new ImVec2(0, 12));
  if (!lostState.confirming) {
    if (button(t('lostStartAnew'), 'lost.start', 260)) lostState.confirming = true;
    return;
  }
  withFont(BIG, () => ImGui.TextWrapped(t('lostConfirm')));
  ImGui.Dummy(new ImVec2(0, 8));
  if (button(t('lostConfirmYes'), 'lost.confirm', 260, undefined, COLORS.deny)) {
    lostState.confirming = false;
    app.startAnew();
  }
  ImGui.SameLine();
  if (button(t('lostCancel'), 'lost.cancel', 160)) lostState.confirming = false;
}

const TOP_BUTTONS_FROM_RIGHT = 230; // 110 + 90 wide, the spacing between them and the window's padding

function drawTopBar() {
  withFont(BIG, () => {
    const s = app.settings;
    const where = [s?.community_name, s?.gate_name].filter(Boolean).join(' · ');
    ImGui.Text(where ? `${t('title')} — ${where}` : t('title'));
  });
  ImGui.SameLine();
  const right = ImGui.GetWindowWidth() - 680;
  ImGui.SetCursorPosX(Math.max(ImGui.GetCursorPosX() + 20, right));
  const p = app.pending;
  const pendingColor = p.exportable ? rgba(255, 193, 7) : rgba(160, 200, 160);
  withFont(BASE + 2, () => {
    ImGui.TextColored(pendingColor, `${t('pending')}: ${say(p.words)}`);
    track('pending');
    ImGui.SameLine();
    if (app.inside) {
      ImGui.Text(`${t('insideNow')}: ${app.inside.inside_now}`);
      track('inside');
      ImGui.SameLine();
    }
    const on = online();
    ImGui.TextColored(on ? rgba(129, 199, 132) : rgba(229, 115, 115), on ? t('online') : t('offline'));
  });
  // The two buttons keep their place at the right edge whatever the status
  // holds: a count appearing (在场 N after the first refresh) once moved 锁定
  // onto where the language button is drawn, under a tap aimed at it.
  ImGui.SameLine();
  ImGui.SetCursorPosX(Math.max(ImGui.GetCursorPosX(), ImGui.GetWindowWidth() - TOP_BUTTONS_FROM_RIGHT));
  if (button(t('lang'), 'lang', 110, 44)) setLang(app.lang === 'zh' ? 'en' : 'zh');
  ImGui.SameLine();
  if (button(t('lock'), 'lock', 90, 44)) locking.lockNow();
}

/// What the core worker said about its storage, as it words it, as long as it
/// holds: a damaged database kept aside (red), or the slower IndexedDB
/// fallback (amber). Static text: it costs no frames of its own.
function drawStorageNotes() {
  for (const n of storageNotes()) {
    const red = n.code === 'storage.quarantined';
    panel(`storage.${red ? 'quarantined' : 'fallback'}`, red ? [183, 28, 28] : [255, 193, 7], `! ${say(n)}`, [], { banner: true });
  }
}

function drawTabs() {
  const tabs = ['scan', 'today', 'search', 'stats', 'data', 'settings'];
  const keys = { scan: 'tabScan', today: 'tabToday', search: 'tabSearch', stats: 'tabStats', data: 'tabData', settings: 'tabSettings' };
  withFont(BASE + 6, () => {
    for (const tab of tabs) {
      const active = app.tab === tab;
      if (button(t(keys[tab]), `tab.${tab}`, 150, 56, active ? [21, 101, 192] : [48, 56, 66])) {
        app.tab = tab;
        if (tab === 'today' || tab === 'search') people.onShown(tab);
        if (tab === 'stats' || tab === 'data') office.onShown(tab);
      }
      ImGui.SameLine();
    }
    ImGui.NewLine();
  });
}

/// The one-line message under the tabs. It keeps its line when empty: taking
/// the line only while shown moved everything below it as a note came or
/// timed out, so a tap aimed at a button landed beside it (the office-enroll
/// flake). The Data tab's actions now sit at its top, so the line no longer
/// pushes any of them below a 720 px screen.
function drawMessage() {
  const m = app.message;
  withFont(BASE + 4, () => {
    if (!m) { ImGui.Dummy(new ImVec2(1, ImGui.GetTextLineHeight())); return; }
    const c = m.kind === 'error' ? rgba(239, 83, 80) : m.kind === 'warn' ? rgba(255, 202, 40) : rgba(129, 199, 132);
    ImGui.TextColored(c, say(m));
    track('message');
  });
}
