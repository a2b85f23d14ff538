// Settings: enrolling this gate with the office's code, this laptop's own
// (staff name, auto-lock, language) and the community's, kept in the database
// through settings.get / settings.set.
import { ImGui, ImVec2 } from '../vendor/jsimgui/mod.js';
import { app, t, both, call, note, invalidate, setLang, setStaff } from './state.js';
import { BIG, rgba, track, withFont, button, caretFromItem, field, submitButton, errorLine } from './ui.js';
import { lockState } from './view-lock.js';
import { scanState } from './flow.js';

export const settingsState = {
  edit: null, // the community settings as ImGui by-reference values, until saved
};

/// Takes a settings reply (settings.get / settings.set / gate.enroll): what the
/// core answered about enrollment and the poster is kept as it said it.
function adopt(rep) {
  app.settings = rep.settings;
  app.enrolled = rep.enrolled;
  app.posterUrl = rep.poster_url;
  scanState.enrolled = rep.enrolled;
  settingsState.edit = toEdit(rep.settings);
}

export const settings = {
  async load() {
    const rep = await call('settings.get');
    if (rep.ok) adopt(rep);
  },

  async save() {
    const rep = await call('settings.set', { settings: fromEdit(settingsState.edit) });
    if (!rep.ok) { note(rep.error, 'error'); return; }
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
      rep = await app.core.send('enroll', { code: enrollState.code[0], passphrase: enrollState.passphrase[0] });
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
  pass_max_age_seconds: ['实时通行码有效秒数', 'Live pass valid for (s)'],
  pass_max_ahead_seconds: ['手机时钟可快秒数', 'Phone clock may run ahead (s)'],
  max_visitors_inside: ['在场访客上限（0 为不限）', 'Visitors inside at most (0: no cap)'],
};
const settingLabel = (k) => (SETTING_LABELS[k] ? SETTING_LABELS[k][app.lang === 'en' ? 1 : 0] : k);

const SETTING_ORDER = ['community_code', 'community_name', 'gate_name', 'city', 'upload_url', 'rules'];
// Set by the enrollment only (shown in the enrol window, not edited here).
const FROM_ENROLLMENT = new Set(['site', 'retention_days']);
const ordered = (edit) => Object.entries(edit).sort(([a], [b]) => rank(a) - rank(b));
const rank = (k) => (SETTING_ORDER.includes(k) ? SETTING_ORDER.indexOf(k) : SETTING_ORDER.length);

function drawSettingFields(edit, prefix) {
  for (const [k, v] of ordered(edit)) {
    if (FROM_ENROLLMENT.has(k)) continue;
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
  ImGui.SeparatorText(t('settingsCommunity'));
  if (settingsState.edit) {
    withFont(BIG, () => { if (button(t('save'), 'settings.save', 200, 64, [21, 101, 192])) settings.save(); });
    drawSettingFields(settingsState.edit, '');
  }
  ImGui.EndChild();
}
