// The scan screen: the live camera view with the code outlined, and the
// panel that walks staff through one person (verify → temperature → decide → log).
import { ImGui, ImVec2, ImGuiInputTextFlags, ImGuiTableFlags } from '../vendor/jsimgui/mod.js';
import { app, t, say, call, invalidate } from './state.js';
import { Wedge } from './wedge.js';
import { flow, scanState } from './flow.js';
import { BASE, BIG, HUGE, COLORS, rgba, u32, track, withFont, button, panel, caretFromItem } from './ui.js';
import { fontText } from './glyphs.js';
import { drawRevokeButton, drawRevokeForm } from './view-revoke.js';

// --- scan -----------------------------------------------------------------------------------
export function drawScan() {
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
  const cam = scanState.camera;
  const v = cam.video;
  if (cam.running && v.videoWidth) {
    // Room for the live <video> (composited under the transparent canvas) and the outline on top.
    const h = Math.round(width * v.videoHeight / v.videoWidth);
    ImGui.Dummy(new ImVec2(width, h));
    track('camera.view');
    const o = scanState.outline;
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
    if (button(t('cameraStop'), 'camera.stop', 220, 52)) { cam.stop(); invalidate(); }
  } else if (button(t('cameraStart'), 'camera.start', 220, 52)) {
    cam.start();
  }
}


/// The record as the core words it (`display`: the items shown for this
/// person, in form order, numbers masked), and what changed since staff last
/// checked this person (`changes`, from scan). Revealed, the two numbers show
/// in full.
function drawRecord(f) {
  const changes = new Map(f.changes.map((c) => [c.key, c]));
  const rows = [...f.display, ...f.changes.filter((c) => !f.display.some((d) => d.key === c.key))];
  if (ImGui.BeginTable('record', 2, ImGuiTableFlags.RowBg | ImGuiTableFlags.Borders)) {
    ImGui.TableSetupColumn('k', 0, 0);
    for (const row of rows) {
      ImGui.TableNextRow();
      ImGui.TableNextColumn();
      ImGui.TextDisabled(say(row));
      ImGui.TableNextColumn();
      const c = changes.get(row.key);
      const revealed = f.reveal && (row.key === 'doc_number' || row.key === 'phone');
      if (c) {
        ImGui.TextColored(rgba(255, 202, 40), `${t('changedItem')}: ${say(c.from) || '—'} → ${revealed ? f.reveal[row.key] : say(c.to) || '—'}`);
      } else {
        ImGui.TextWrapped(revealed ? f.reveal[row.key] : say(row.value));
      }
      track(`record.${row.key}`);
    }
    ImGui.EndTable();
  }
}

function drawFlow() {
  const f = scanState.flow;
  switch (f.step) {
    case 'idle':
      panel('panel', COLORS.idle, t('waiting'), [t('waitingHint')]);
      drawEnrolment();
      break;
    case 'reading':
      panel('panel', COLORS.idle, t('reading'));
      break;
    case 'error':
      panel('panel', COLORS[f.refusal?.tone] ?? COLORS.error, f.refusal ? say(f.refusal.title) : t('notAPass'), [say(f.error)]);
      if (button(t('next'), 'next', 200)) flow.reset();
      break;
    case 'verify':
      drawAlert(f);
      panel('panel', COLORS.verify, f.changed ? t('changed') : t('firstTime'));
      drawPersonHeader();
      drawFlowError();
      withFont(BIG, () => {
        const avail = ImGui.GetContentRegionAvail().x - 4;
        const gap = ImGui.GetStyle().ItemSpacing.x;
        // A person the core already refuses (scan's alert: the office's watch
        // list) is not offered a green "register": the button says the check
        // is done and what follows, in the alert's colour.
        const label = f.alert ? `${t('verifiedRefused')} · ${say(f.alert.words)}` : t('verified');
        const color = f.alert ? COLORS[f.alert.verdict] ?? COLORS.verify : COLORS.allow;
        if (button(label, 'verify', Math.round(avail * 0.68), 80, color)) flow.verify();
        ImGui.SameLine();
        if (button(t('cancel'), 'cancel', avail - Math.round(avail * 0.68) - gap, 80)) flow.reset();
      });
      drawRecord(f);
      break;
    case 'measure':
    case 'decided':
      drawMeasure();
      break;
    case 'done': {
      const v = f.decision.verdict;
      panel('panel', COLORS[v], `${t('recorded')} · ${say(f.decision.words)}`, f.decision.reasons.map(say));
      if (button(t('next'), 'next', 200)) flow.reset();
      break;
    }
    default:
      break;
  }
}

/// What the core said before any temperature (scan's alert), above everything else.
function drawAlert(f) {
  if (f.alert) panel('alert', COLORS[f.alert.verdict] ?? COLORS.idle, say(f.alert.words), f.alert.reasons.map(say));
}

function drawPersonHeader() {
  const f = scanState.flow;
  withFont(BIG, () => ImGui.Text(fontText(f.person?.name ?? '')));
  ImGui.SameLine();
  withFont(BASE + 2, () => {
    ImGui.TextDisabled(f.reveal ? f.reveal.doc_number : f.masked?.doc_number ?? '');
    track('person.doc');
  });
  ImGui.SameLine();
  if (button(f.reveal ? t('hide') : t('show'), 'reveal', 100, 44)) flow.toggleReveal();
  drawRevokeButton(f);
  drawRevokeForm(f, () => flow.reset()); // revoked: refused from the next scan on, so this person's panel goes
  drawPassKind(f);
}

/// A printed card by its number; a live pass's age and today's band colour
/// (the guard compares them with the phone); a plain pass from the camera is said to be one.
function drawPassKind(f) {
  if (f.card) {
    withFont(BASE + 4, () => ImGui.TextColored(rgba(255, 202, 40), t('cardPass', f.card)));
    track('pass.card');
  } else if (f.visitor) {
    // One line, so the decision and its button stay in view below.
    withFont(BASE + 2, () => {
      ImGui.TextColored(rgba(128, 203, 196), fontText(say(f.visitor.line)));
      track('pass.visitor');
      ImGui.SameLine();
      ImGui.TextDisabled(fontText(`${say(f.visitor.days)} · ${say(f.visitor.uses)}`));
    });
  } else if (f.live && f.age) {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt((f.band?.colour ?? '#888888').slice(i, i + 2), 16));
    ImGui.TextColored(rgba(r, g, b), '■■■');
    ImGui.SameLine();
    withFont(BASE + 2, () => ImGui.TextWrapped(t('livePass', say(f.age), say(f.band))));
    track('pass.age');
  } else if (f.text) {
    withFont(BASE + 2, () => ImGui.TextColored(rgba(255, 202, 40), t('plainPass')));
    track('pass.plain');
  }
}

/// A gate without a community key reads only plain passes: said on the scan screen until it is enrolled.
function drawEnrolment() {
  if (scanState.enrolled) return;
  withFont(BASE + 2, () => ImGui.TextColored(rgba(255, 202, 40), t('notEnrolled')));
  track('notice.not_enrolled');
}

function drawFlowError() {
  if (scanState.flow.error) withFont(BASE + 4, () => ImGui.TextColored(rgba(255, 138, 128), say(scanState.flow.error)));
}

function drawMeasure() {
  const f = scanState.flow;
  const avail = ImGui.GetContentRegionAvail().x - 4;
  const gap = ImGui.GetStyle().ItemSpacing.x;
  drawAlert(f);
  drawPersonHeader();
  ImGui.Spacing();
  withFont(HUGE, () => {
    ImGui.SetNextItemWidth(Math.max(160, avail - 2 * 110 - 2 * gap));
    // Empty until measured (never a 0.0 to type over); the keyboard types here without a tap (installTemperatureKeys).
    const before = f.temperature[0];
    ImGui.InputTextWithHint('##temp', t('temperature'), f.temperature, 8, ImGuiInputTextFlags.CharsDecimal | ImGuiInputTextFlags.AutoSelectAll);
    track('temp');
    caretFromItem();
    // Enter (or a tap elsewhere) after typing in the field decides.
    if (f.temperature[0] !== before) changedTemperature(f);
    if (ImGui.IsItemDeactivatedAfterEdit() && f.temperature[0].trim()) flow.decide();
  });
  ImGui.SameLine();
  withFont(BIG, () => {
    if (button('-0.1', 'temp.down', 110, 80)) step(f, -1);
    ImGui.SameLine();
    if (button('+0.1', 'temp.up', 110, 80)) step(f, +1);
  });
  drawReadings(f, avail, gap);
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
    panel('panel', COLORS[v] ?? COLORS.idle, say(f.decision.words), f.decision.reasons.map(say));
    const label = v === 'allow' ? t('confirm') : v === 'refer' ? t('confirmRefer') : t('confirmDeny');
    withFont(BIG, () => {
      if (button(label, 'confirm', Math.round(avail * 0.68), 88, COLORS[v])) flow.confirm();
    });
    ImGui.SameLine();
  }
  withFont(BIG, () => { if (button(t('cancel'), 'cancel', f.step === 'decided' ? avail - Math.round(avail * 0.68) - gap : 200, 88)) flow.reset(); });
}

/// A new reading asks for a new decision.
function changedTemperature(f) {
  if (f.step === 'decided') { f.step = 'measure'; f.decision = null; }
}

/// ±0.1 on what was typed, as the core steps it (temperature.step). Taps
/// queue: each steps the reading the one before it left, so three quick taps
/// make 0.3 even when the worker answers late.
let stepping = Promise.resolve();
function step(f, tenths) {
  stepping = stepping.then(async () => {
    const rep = await call('temperature.step', { text: f.temperature[0], tenths });
    if (!rep.ok) return;
    f.temperature[0] = rep.text;
    changedTemperature(f);
    invalidate();
  });
}

/// The core's common readings (settings replies, below the fever threshold):
/// one tap sets the reading and decides.
function drawReadings(f, avail, gap) {
  const readings = app.readings ?? [];
  if (!readings.length) return;
  // As many to a row as stay at least 72 px wide (a gloved fingertip), rows of equal length.
  const n = readings.length;
  const fit = Math.max(1, Math.floor((avail + gap) / (72 + gap)));
  const perRow = Math.ceil(n / Math.ceil(n / Math.min(n, fit)));
  const w = Math.floor((avail - (perRow - 1) * gap) / perRow);
  withFont(BIG - 4, () => {
    readings.forEach((r, i) => {
      const on = f.temperature[0] === r.text;
      if (button(r.text, `temp.reading.${r.text}`, w, 64, on ? [21, 101, 192] : null)) {
        f.temperature[0] = r.text;
        changedTemperature(f);
        flow.decide();
      }
      if ((i + 1) % perRow !== 0 && i < n - 1) ImGui.SameLine();
    });
  });
}

/// The laptop's keyboard on the temperature step, with no field tapped: digits
/// and the point type the reading, Backspace takes one back, Enter decides and,
/// once decided, records. The keys come after the wedge (wedge.js): a scanner's
/// burst never lands in the temperature. A focused text field takes its own keys.
export function installTemperatureKeys(target = window) {
  target.addEventListener('keydown', (e) => {
    const f = scanState.flow;
    if (app.tab !== 'scan' || !['measure', 'decided'].includes(f.step)) return;
    if (Wedge.fieldFocused() || e.isComposing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (/^[0-9.]$/.test(e.key)) {
      if (f.temperature[0].length < 6) f.temperature[0] += e.key;
      changedTemperature(f);
    } else if (e.key === 'Backspace') {
      f.temperature[0] = f.temperature[0].slice(0, -1);
      changedTemperature(f);
    } else if (e.key === 'Enter') {
      if (f.step === 'decided') flow.confirm();
      else if (f.temperature[0].trim()) flow.decide();
    } else {
      return;
    }
    e.preventDefault();
    invalidate();
  });
}
