// The console's test API. The canvas has no DOM, so the browser tests and the
// benchmarks read what the console shows here, and click at the item
// rectangles it records. Loaded only when the page was opened in test mode
// (window.gatepassTestMode set before any script: tests/browser/harness.mjs);
// the shipped console has no window.gatepass.
import { app, call, callCount, online, storageNotes, note } from './state.js';
import { scanState } from './flow.js';
import { revokeState } from './view-revoke.js';
import { lockState } from './view-lock.js';
import { peopleState } from './view-people.js';
import { officeState } from './view-office.js';
import { enrollState, settingsState } from './view-settings.js';
import { played } from './sound.js';
import { ImGui, ImVec2, ImGuiWindowFlags } from '../vendor/jsimgui/mod.js';
import { fontText } from './glyphs.js';

/// What the console shows, masked as on screen (no unmasked personal data
/// unless staff revealed it).
function snapshot() {
  const f = scanState.flow;
  const lock = lockState.lock;
  const cam = scanState.camera;
  const o = scanState.outline;
  const search = peopleState.search;
  return {
    phase: app.phase, bootError: app.bootError, bootErrorCode: app.bootErrorCode, lang: app.lang, tab: app.tab,
    locked: lock.locked, hasPin: lock.hasPin, lockState: lock.state, lockWaitMs: lock.waitMs, pinBusy: lockState.busy,
    pinStage: lockState.first === null ? 'first' : 'again', pinError: lockState.error,
    recover: { open: lockState.recover.open, busy: lockState.recover.busy, error: lockState.recover.error?.code ?? null,
      code: lockState.recover.code[0].length, passphrase: lockState.recover.passphrase[0].length, pin: lockState.recover.pin[0].length },
    coreReady: !!app.core, storage: app.core?.info.storage ?? null,
    storageNotes: storageNotes().map((n) => ({ code: n.code, zh: n.zh, en: n.en })),
    camera: cam ? { running: cam.running, error: cam.error, devices: cam.devices.length, deviceId: cam.deviceId ? 'set' : '' } : null,
    outline: o ? { corners: o.corners, width: o.width, height: o.height } : null,
    flow: {
      step: f.step, known: f.known, verified: f.verified, changed: f.changed, reveal: Boolean(f.reveal),
      changedFields: f.changes.map((c) => c.key), changes: f.changes, display: f.display,
      name: f.person?.name ?? null, masked: f.masked, temperature: f.temperature[0], direction: f.direction,
      verdict: f.decision?.verdict ?? null, verdictWords: f.decision?.words ?? null, reasons: (f.decision?.reasons || []).map((r) => r.code),
      error: f.error ? { code: f.error.code, zh: f.error.zh, en: f.error.en } : null,
      refusal: f.refusal,
      entryId: f.entry?.id ?? null,
      live: f.live, ageSeconds: f.age?.seconds ?? null, band: f.band?.colour ?? null, card: f.card,
      alert: f.alert ? { verdict: f.alert.verdict, words: f.alert.words, reasons: f.alert.reasons } : null,
      visitor: f.visitor && { line: f.visitor.line, days: f.visitor.days, uses: f.visitor.uses },
      revoke: f.revoke.map((o) => o.kind),
    },
    revoke: Object.fromEntries(Object.entries({ scan: revokeState.scan, data: revokeState.data }).map(([k, v]) =>
      [k, { open: v.open, busy: v.busy, error: v.error?.code ?? null, reason: v.reason[0] }])),
    revokeReasons: revokeState.reasons?.length ?? 0,
    enrolled: scanState.enrolled,
    pending: app.pending, online: online(), calls: callCount.n,
    today: peopleState.today.map((e) => ({ id: e.id, name: e.name, masked_doc_number: e.masked_doc_number ?? null, direction: e.direction, verdict: e.verdict, temperature: e.temperature ?? null, at: e.at, words: e.words })),
    searchQuery: search.query[0],
    searchResults: search.results.map((r) => {
      const history = search.history.get(r.person?.doc_number) || [];
      return {
        name: r.person?.name, masked: r.masked,
        history: history.map((e) => ({ id: e.id, at: e.at, direction: e.direction, verdict: e.verdict, temperature: e.temperature ?? null, words: e.words })),
      };
    }),
    stats: officeState.stats, inside: app.inside, message: app.message, lastExport: officeState.lastExport, lastImport: officeState.lastImport,
    importing: officeState.importing && { percent: officeState.importing.percent, progress: officeState.importing.progress },
    importUpdates: officeState.importUpdates, importSteps: [...officeState.importSteps],
    batches: officeState.batches.map((b) => ({ seq: b.seq, persons: b.persons, entries: b.entries, uploaded: !!b.uploaded_at })),
    actions: officeState.actions.map((a) => ({ kind: a.kind, staff: a.staff, detail: a.detail })),
    uploading: officeState.uploading, uploadChecks: officeState.uploadChecks,
    retention: officeState.retention && {
      retention_days: officeState.retention.retention_days, policy: officeState.retention.policy,
      held: officeState.retention.held.entries + officeState.retention.held.persons + officeState.retention.held.batches,
      warning: officeState.retention.warning?.code ?? null, quarantine_removed: officeState.retention.quarantine_removed ?? null,
    },
    uploadError: officeState.uploader.lastError, uploadMessage: officeState.uploader.lastMessage,
    enroll: { busy: enrollState.busy, open: enrollState.open, again: enrollState.again, error: enrollState.error, code: enrollState.code[0].length, passphrase: enrollState.passphrase[0].length },
    settings: app.settings,
    settingsError: settingsState.error ? { code: settingsState.error.code, field: settingsState.error.field ?? null, zh: settingsState.error.zh, en: settingsState.error.en } : null,
    settingsFields: (app.settingsForm ?? []).flatMap((s) => s.fields.map((f) => f.key)),
    manual: peopleState.manual && { errors: peopleState.manual.errors.map((e) => e.field), error: peopleState.manual.error?.code ?? null,
      // Which yes/no questions have an answer (not the answers: health data).
      answered: Object.entries(peopleState.manual.values).filter(([, v]) => typeof v[0] === 'boolean').map(([k]) => k),
      unanswered: Object.entries(peopleState.manual.values).filter(([, v]) => v[0] === null).map(([k]) => k) },
    checklist: app.checklist, readings: (app.readings ?? []).map((r) => r.text), todayOnly: peopleState.todayOnly,
  };
}

export function installTestApi({ counters, invalidate, rects }) {
  window.gatepass = {
    /// A snapshot of what the console shows, and how it has drawn so far.
    state: () => ({
      ...snapshot(),
      frames: counters.frames, drawErrors: counters.drawErrors, lastDrawError: counters.lastDrawError,
      drawnStep: counters.lastStep, sounds: [...played],
    }),
    /// Benchmarks: only the flow's step and the name on screen, cheap enough to
    /// poll inside the page without disturbing what is measured (state() builds everything).
    flow: () => ({ step: scanState.flow.step, name: scanState.flow.person?.name ?? null }),
    /// {x, y, w, h} in CSS pixels of an item drawn in the last frame, or null.
    itemRect: (id) => rects().get(id) ?? null,
    /// All item ids drawn in the last frame.
    items: () => [...rects().keys()],
    /// Frames drawn since load (the idle console must not keep drawing).
    frames: () => counters.frames,
    /// The second font (rare characters): 'loading', 'merged' or 'failed'.
    moreFont: () => counters.moreFont,
    /// Resolves to the width in pixels the console's font gives `text` drawn as
    /// a name (through glyphs.js fontText()): drawn
    /// off screen in the next frame and measured as drawn (jsimgui's
    /// CalcTextSize measures nothing, see ui.js). A character the font lacks
    /// is drawn as the fallback '?', half as wide as a hanzi.
    textWidth: (text) => new Promise((resolve, reject) => {
      counters.inFrame = () => {
        ImGui.SetNextWindowPos(new ImVec2(-4000, -4000));
        ImGui.Begin('##measure', null, ImGuiWindowFlags.NoDecoration | ImGuiWindowFlags.NoSavedSettings | ImGuiWindowFlags.NoInputs);
        try {
          ImGui.Text(fontText(text).replaceAll('%', '%%')); // as the console draws a name
          resolve(ImGui.GetItemRectSize().x);
        } catch (err) {
          reject(err);
        } finally {
          ImGui.End();
        }
      };
      invalidate(1);
    }),
    /// Resolves once a frame has been drawn after this call: the screen then
    /// shows the state as it was when called (item rectangles included).
    nextFrame: () => new Promise((resolve) => {
      const f0 = counters.frames;
      invalidate(1);
      const check = () => (counters.frames > f0 ? resolve(counters.frames) : requestAnimationFrame(check));
      requestAnimationFrame(check);
    }),
    cameraStats: () => scanState.camera?.statsSummary() ?? null,
    /// Benchmarks: [{step, t}] when each flow step was first drawn; the camera's probe trace.
    steps: () => counters.steps,
    probe: (region) => scanState.camera.startProbe(region),
    trace: () => scanState.camera?.trace ?? [],
    /// Tests: lock after `ms` without input (the settings screen takes whole minutes).
    setIdleLock: (ms) => { lockState.lock.lockAfterMin = ms / 60000; lockState.lock.touch(); },
    /// Benchmarks: the reader held at its idle pace even while a code is around, for comparison.
    idlePaced: () => { scanState.camera.activeInterval = scanState.camera.idleInterval; },
    /// Benchmarks: idle frames as before issue 14's last step (full size, 200 ms apart; ImageBitmaps of the <video> from the next camera start), for comparison.
    fullIdleFrames: () => { Object.assign(scanState.camera, { idleShrink: 1, idleInterval: 200, idleFullMs: 0, bitmapsOnly: true }); },
    /// Tests: the reader goes idle (half-size frames) after `ms` without a code, not 8 s.
    cameraIdleAfter: (ms) => { scanState.camera.idleAfter = ms; },
    /// Tests: from the next camera start, frames as ImageBitmaps of the <video> (as where MediaStreamTrackProcessor is missing).
    cameraBitmapsOnly: () => { scanState.camera.bitmapsOnly = true; },
    /// Benchmarks: no pacing (every frame decoded, previewed and redrawn) for comparison.
    unpaced: () => {
      Object.assign(scanState.camera, { idleInterval: 0, activeInterval: 0 });
      const spin = () => { invalidate(1); requestAnimationFrame(spin); };
      spin();
    },
    /// The console's own core connection (tests check what was stored).
    call: (op, args) => call(op, args),
    /// A request as raw JSON text, past core-client's own writing (as any page script could send it).
    rawCall: (request) => app.core.callRaw(request),
    /// The one-line message under the tabs, set or cleared as a note or its timeout would.
    note: (zh, en) => { note({ zh, en }, 'ok'); invalidate(); },
    clearNote: () => { app.message = null; invalidate(); },
    invalidate,
  };
}
