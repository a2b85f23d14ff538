// People: today's entries, search (manual lookup for residents without a
// phone, their recent entries on any day, a printed pass card) and manual registration.
import { ImGui, ImVec2, ImGuiInputTextFlags, ImGuiTableFlags } from '../vendor/jsimgui/mod.js';
import { S, flow, t, say } from './flow.js';
import { BIG, COLORS, rgba, track, withFont, button, caretFromItem, hhmm, mdhm, fieldLabel } from './ui.js';
import { printCards } from './print.js';

// --- today ---------------------------------------------------------------------------------

export function drawToday() {
  withFont(BIG, () => ImGui.Text(`${t('today')} (${S.today.length})`));
  ImGui.SameLine();
  if (button(t('refresh'), 'today.refresh', 140, 48)) flow.refreshToday().then(() => S.invalidate());
  if (!S.today.length) { ImGui.Text(t('noEntries')); return; }
  const tf = ImGuiTableFlags.RowBg | ImGuiTableFlags.Borders | ImGuiTableFlags.ScrollY | ImGuiTableFlags.SizingStretchProp;
  // The masked ID number tells apart two people of the same name.
  const cols = [['time', 0.7], ['name', 1], ['idNumber', 1.9], ['dir', 0.6], ['temp', 0.6], ['verdict', 1.1], ['reasons', 1.9], ['staff', 0.8]];
  if (ImGui.BeginTable('today', cols.length, tf, new ImVec2(0, ImGui.GetContentRegionAvail().y))) {
    for (const [h, weight] of cols) ImGui.TableSetupColumn(t(h), 0, weight);
    ImGui.TableHeadersRow();
    for (const e of [...S.today].reverse()) {
      ImGui.TableNextRow();
      ImGui.TableNextColumn(); ImGui.Text(hhmm(e.at));
      ImGui.TableNextColumn(); ImGui.Text(e.name);
      ImGui.TableNextColumn(); ImGui.Text(e.masked_doc_number ?? '');
      track(`today.doc.${e.id}`);
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
export function drawSearch() {
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
  if (!S.search.results.length) return;
  // Its own scrolling region (a scrollbar to drag with a gloved finger) once histories are open.
  ImGui.BeginChild('results', new ImVec2(0, ImGui.GetContentRegionAvail().y), 0);
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
    drawHistory(r, i);
    ImGui.PopID();
  });
  ImGui.EndChild();
}

/// This person's entries on any day, newest first (the core's entries.of):
/// the latest few, all fetched ones on request.
function drawHistory(r, i) {
  const history = S.search.history.get(r.person?.doc_number);
  if (!history) return; // still loading
  if (!history.length) { ImGui.TextDisabled(t('noHistory')); return; }
  const open = S.search.expanded.has(i);
  const shown = open ? history : history.slice(0, HISTORY_FEW);
  shown.forEach((e, k) => {
    ImGui.TextDisabled(`${mdhm(e.at)}  ${t(e.direction === 'in' ? 'dirIn' : 'dirOut')}  ${e.temperature != null ? e.temperature.toFixed(1) : '—'}`);
    ImGui.SameLine();
    const c = COLORS[e.verdict] ?? COLORS.idle;
    ImGui.TextColored(rgba(...c.map((x) => Math.min(255, x + 60))), t(e.verdict));
    track(`search.history.${i}.${k}`);
  });
  if (history.length > HISTORY_FEW) {
    if (button(open ? t('historyLess') : t('historyMore', history.length), `search.more.${i}`, 220, 48)) {
      if (open) S.search.expanded.delete(i); else S.search.expanded.add(i);
    }
  }
}

/// History lines shown before staff ask for more.
const HISTORY_FEW = 5;

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
