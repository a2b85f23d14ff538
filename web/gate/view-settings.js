// Settings: enrolling this gate with the office's code, this laptop's own
// (staff name, auto-lock, language) and the community's, kept in the database
// through settings.get / settings.set.
import { ImGui, ImVec2 } from '../vendor/jsimgui/mod.js';
import { app, t, say, both, call, note, invalidate, setLang, setStaff, onDuty } from './state.js';
import { BIG, rgba, track, withFont, button, caretFromItem, field, submitButton, errorLine } from './ui.js';
import { lockState } from './view-lock.js';
import { scanState } from './flow.js';

export const settingsState = {
  edit: null, // the community settings as ImGui by-reference values, until saved
  error: null, // the core's refusal of the last save ({code, zh, en, field}), shown under its field
  jump: null, // a field the checklist asked for: scrolled to and focused in the next frame
};

/// Takes a settings reply (settings.get / settings.set / gate.enroll): what the
/// core answered about enrollment and the poster is kept as it said it.
function adopt(rep) {
  app.settings = rep.settings;
  app.enrolled = rep.enrolled;
  app.posterUrl = rep.poster_url;
  app.settingsForm = rep.form;
  app.checklist = rep.checklist;
  app.readings = rep.readings;
  scanState.enrolled = rep.enrolled;
  settingsState.edit = toEdit(rep.settings);
}

export const settings = {
  async load() {
    const rep = await call('settings.get');
    if (rep.ok) adopt(rep);
  },

  async save() {
    const rep = await call('settings.set', { settings: fromEdit(settingsState.edit), staff: onDuty() });
    if (!rep.ok) { settingsState.error = rep.error; note(rep.error, 'error'); return; }
    settingsState.error = null;
    adopt(rep);
    note(both('saved'), 'ok');
  },
};

/// Enrolling: what staff typed, until the worker has opened it. The code and
/// the passphrase go to the core worker (message 'enroll', web/gate/enroll-worker.js);
/// the page gets back only the settings reply, never what the code holds.
export const enrollState = {
  open: false, // the enrol screen is shown instead of the rest of Settings
  again: false, // an enrolled gate shows the form only when staff ask to enrol again
  code: [''],
  passphrase: [''],
  busy: false, // the worker is deriving the key (Argon2id: about a second)
  error: null, // the core's {code, zh, en}
};

export const enroll = {
  async submit() {
    if (enrollState.busy) return;
    enrollState.busy = true;
    enrollState.error = null;
    invalidate();
    let rep;
    try {
      rep = await app.core.send('enroll', { code: enrollState.code[0], passphrase: enrollState.passphrase[0], staff: onDuty() });
    } catch (err) {
      rep = { ok: false, error: { code: err.code || 'core.gone', zh: err.zh || String(err.message), en: err.en || String(err.message) } };
    }
    enrollState.busy = false;
    if (!rep.ok) {
      enrollState.error = rep.error;
      invalidate();
      return;
    }
    enrollState.code[0] = '';
    enrollState.passphrase[0] = '';
    enrollState.again = false; // the screen stays, showing what the enrollment set
    adopt(rep);
    note(both('enrolledDone'), 'ok');
  },
};

// Settings are edited through one-element arrays (ImGui's by-reference values).
function toEdit(values) {
  const edit = {};
  for (const [k, v] of Object.entries(values)) {
    edit[k] = v && typeof v === 'object' && !Array.isArray(v) ? toEdit(v) : [v];
  }
  return edit;
}
function fromEdit(edit) {
  const out = {};
  for (const [k, v] of Object.entries(edit)) out[k] = Array.isArray(v) ? v[0] : fromEdit(v);
  return out;
}

// --- settings ---------------------------------------------------------------------------------------
// The form is the core's (settings.get "form"): its sections and fields in
// order, each with its words, unit, kind and range. The console draws it as
// it says and leaves every check to settings.set.

/// A field's words as one label: "发热标准 ≥（℃）", "Fever at or above (°C)".
function settingLabel(f) {
  const extra = [f.unit, f.hint].filter(Boolean).map(say);
  if (!extra.length) return say(f);
  return app.lang === 'en' ? `${say(f)} (${extra.join('; ')})` : `${say(f)}（${extra.join('，')}）`;
}

/// The by-reference value of a field's key ("rules.max_visitors_inside") in the edit copy.
function editValue(edit, key) {
  const path = key.split('.');
  let at = edit;
  for (const p of path.slice(0, -1)) at = at?.[p];
  return at?.[path[path.length - 1]];
}

/// One field: the input first (big enough for a gloved finger, no small ±
/// buttons), its words beside it; the input is what is tracked and clicked.
function drawSettingField(f, v) {
  const label = settingLabel(f);
  if (f.kind === 'bool') {
    ImGui.Checkbox(label, v); // the words are part of the box: a tap on them ticks it
  } else if (f.kind === 'int') {
    ImGui.SetNextItemWidth(200);
    const iv = [v[0]];
    if (ImGui.InputInt('##v', iv, 0, 0)) v[0] = iv[0];
  } else if (f.kind === 'decimal') {
    ImGui.SetNextItemWidth(200);
    ImGui.InputDouble('##v', v, 0, 0, '%.1f');
  } else {
    ImGui.SetNextItemWidth(520);
    ImGui.InputText('##v', v, (f.max_length ?? 255) + 1);
  }
  caretFromItem();
  track(`setting.${f.key}`);
  if (f.kind !== 'bool') {
    ImGui.SameLine();
    ImGui.AlignTextToFramePadding();
    ImGui.Text(label);
  }
}

function drawSettingFields(edit) {
  const error = settingsState.error;
  for (const section of app.settingsForm ?? []) {
    ImGui.SeparatorText(say(section));
    for (const f of section.fields) {
      const v = editValue(edit, f.key);
      if (!v) continue; // a setting this database does not hold (yet)
      ImGui.PushID(f.key);
      if (settingsState.jump === f.key) {
        ImGui.SetScrollHereY(0.25);
        ImGui.SetKeyboardFocusHere();
        settingsState.jump = null;
      }
      drawSettingField(f, v);
      if (error?.field === f.key) ImGui.TextColored(rgba(255, 138, 128), say(error));
      ImGui.PopID();
    }
  }
}

/// Settings → 登记本门岗 / Enrol this gate: its own screen within Settings
/// (the rest of Settings keeps its place). Shows what the enrollment set
/// (community, gate, addresses) and takes a new code; never a key or the token.
function drawEnroll() {
  ImGui.SeparatorText(t('enrollTitle'));
  const s = app.settings;
  const enrolled = app.enrolled;
  if (enrolled) {
    ImGui.BeginGroup();
    withFont(BIG - 6, () => ImGui.TextColored(rgba(102, 187, 106), t('enrolled')));
    ImGui.Text(`${t('community')}: ${s.community_name} (${s.community_code})`);
    ImGui.Text(`${t('gate')}: ${s.gate_name}`);
    ImGui.Text(`${t('uploadUrl')}: ${s.upload_url || '—'}`);
    ImGui.Text(`${t('site')}: ${s.site}`);
    ImGui.Text(`${t('retention')}: ${s.retention_days}`);
    ImGui.EndGroup();
    track('enroll.summary');
  } else {
    ImGui.TextWrapped(t('enrollNone'));
  }
  if (enrolled && !enrollState.again) {
    if (button(t('enrollAgain'), 'enroll.again', 0, 48)) { enrollState.again = true; enrollState.error = null; }
  } else {
    ImGui.Spacing();
    ImGui.TextWrapped(t('enrollHelp'));
    field(t('enrollCode'), enrollState.code, 4096, 'enroll.code', 720);
    field(t('enrollPassphrase'), enrollState.passphrase, 64, 'enroll.passphrase', 360);
    if (submitButton(enrollState.busy, t('enrollSubmit'), t('enrollBusy'), 'enroll.submit')) enroll.submit();
    if (enrollState.error) errorLine(enrollState.error, 'enroll.error');
  }
  ImGui.Spacing();
  if (!enrollState.busy && button(t('close'), 'enroll.close', 160, 48)) {
    Object.assign(enrollState, { open: false, again: false, error: null });
    enrollState.code[0] = '';
    enrollState.passphrase[0] = '';
  }
}

export function drawSettings() {
  ImGui.BeginChild('settings', new ImVec2(0, 0), 0);
  if (enrollState.open) {
    drawEnroll();
    ImGui.EndChild();
    return;
  }
  drawChecklist();
  ImGui.SeparatorText(t('settingsLocal'));
  ImGui.SetNextItemWidth(320);
  if (ImGui.InputText(t('staffName'), app.staff, 40)) setStaff(app.staff[0]);
  caretFromItem();
  track('setting.staff');
  const lock = lockState.lock;
  const lockMin = [lock.lockAfterMin];
  ImGui.SetNextItemWidth(200);
  if (ImGui.InputInt(t('lockAfter'), lockMin)) lock.setLockAfter(lockMin[0]);
  if (button(t('lang'), 'settings.lang', 140, 48)) setLang(app.lang === 'zh' ? 'en' : 'zh');
  ImGui.SameLine();
  if (button(app.enrolled ? t('enrolledButton') : t('enrollButton'), 'settings.enroll', 0, 48)) enrollState.open = true;
  if (settingsState.edit) {
    drawSettingFields(settingsState.edit);
    drawSave();
  }
  ImGui.EndChild();
}

/// Below the fields, where staff finish: Save, and whether anything is unsaved
/// ("saved" only when what is shown is what the database holds).
function drawSave() {
  ImGui.Spacing();
  ImGui.Separator();
  const unsaved = JSON.stringify(fromEdit(settingsState.edit)) !== JSON.stringify(app.settings);
  withFont(BIG, () => { if (button(t('save'), 'settings.save', 200, 64, unsaved ? [21, 101, 192] : [48, 56, 66])) settings.save(); });
  ImGui.SameLine();
  withFont(BIG - 6, () => {
    if (unsaved) ImGui.TextColored(rgba(255, 202, 40), t('unsaved'));
    else ImGui.TextColored(rgba(102, 187, 106), t('savedState'));
  });
  track(unsaved ? 'settings.unsaved' : 'settings.saved');
  ImGui.Spacing();
}

/// First start: what the gate still needs, in the core's words (settings
/// replies' checklist), each one tap from where it is done.
function drawChecklist() {
  const list = app.checklist;
  if (!list || list.done) return;
  ImGui.SeparatorText(t('checklistTitle'));
  for (const item of list.items) {
    ImGui.PushID(item.key);
    withFont(BIG - 8, () => {
      ImGui.TextColored(item.done ? rgba(102, 187, 106) : rgba(255, 202, 40), `${item.done ? '√' : '○'} ${say(item)}`);
    });
    track(`checklist.${item.key}${item.done ? '.done' : ''}`);
    if (!item.done) {
      ImGui.SameLine();
      if (button(t('checklistGo'), `checklist.go.${item.key}`, 0, 44)) {
        if (item.key === 'enroll') enrollState.open = true;
        else settingsState.jump = item.key;
      }
    }
    ImGui.PopID();
  }
}
