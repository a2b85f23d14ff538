// People: today's entries, search (manual lookup for residents without a
// phone, their recent entries on any day, a printed pass card) and manual registration.
import { ImGui, ImVec2, ImGuiInputTextFlags, ImGuiTableFlags } from '../vendor/jsimgui/mod.js';
import { app, t, say, call, note, invalidate, fieldLabel, refreshPending, refreshInside, staffName, onDuty } from './state.js';
import { flow } from './flow.js';
import { play } from './sound.js';
import { BIG, COLORS, rgba, track, withFont, button, caretFromItem } from './ui.js';
import { printCards } from './print.js';
import { shownFields } from '../shared/fields.js';
import { fontText } from './glyphs.js';

/// A found person's history: this many entries, newest first (entries.of).
export const HISTORY_LIMIT = 20;
/// History lines shown before staff ask for more.
const HISTORY_FEW = 5;
// reveal: result index → the core's person.reveal answer {doc_number, phone}, while shown.
const emptySearch = () => ({ query: [''], results: [], done: false, error: null, reveal: new Map(), history: new Map(), expanded: new Set() });

export const peopleState = {
  today: [], // today's entries (entries.today), newest first
  todayOnly: null, // null: all of today; 'refer': only the referred and refused (entries.today at_least)
  search: emptySearch(),
  manual: null, // {values, errors, error} while staff type a registration
};

export const people = {
  /// A search result's full numbers, asked of the core (which logs the
  /// reveal as a staff action); hiding is local.
  async toggleReveal(record, i) {
    const shown = peopleState.search.reveal;
    if (shown.has(i)) { shown.delete(i); invalidate(); return; }
    const rep = await call('person.reveal', { doc_number: record.person.doc_number, staff: onDuty() });
    if (!rep.ok) { note(rep.error, 'error'); return; }
    shown.set(i, { doc_number: rep.doc_number, phone: rep.phone });
    invalidate();
  },

  /// A tab of this screen was chosen.
  onShown(tab) {
    if (tab === 'today') this.refreshToday().then(() => invalidate());
    if (tab === 'search' && peopleState.search.results.length) this.refreshHistories();
  },

  /// An entry was logged: today's list and any open histories change.
  async afterEntry() {
    await this.refreshToday();
    if (peopleState.search.results.length) await this.refreshHistories();
  },

  /// Nothing personal stays on a locked screen.
  clear() {
    peopleState.search = emptySearch();
    peopleState.manual = null;
  },

  async refreshToday() {
    const only = peopleState.todayOnly;
    const rep = await call('entries.today', only ? { limit: 500, at_least: only } : { limit: 500 });
    // A filter chosen meanwhile asked again: keep its answer.
    if (rep.ok && peopleState.todayOnly === only) peopleState.today = rep.entries;
  },

  /// All of today, or only what staff look back for (referred and refused).
  async filterToday(only) {
    peopleState.todayOnly = only;
    await this.refreshToday();
    invalidate();
  },

  async search() {
    const search = peopleState.search;
    const q = search.query[0].trim();
    if (!q) return;
    const rep = await call('search', { query: q });
    search.results = rep.ok ? rep.records : [];
    search.error = rep.ok ? null : rep.error;
    search.done = true;
    search.reveal.clear();
    search.expanded.clear();
    search.history = new Map();
    invalidate();
    await this.refreshHistories();
  },

  /// Each found person's entries (any day, newest first), from the core.
  async refreshHistories() {
    const search = peopleState.search;
    const results = search.results;
    const history = new Map();
    for (const r of results) {
      const doc = r.person.doc_number;
      const rep = await call('entries.of', { doc_number: doc, limit: HISTORY_LIMIT });
      if (rep.ok) history.set(doc, rep.entries);
    }
    // A newer search (or a lock) replaced these results meanwhile: keep its own.
    if (peopleState.search !== search || search.results !== results) return;
    search.history = history;
    invalidate();
  },

  /// Manual entry for a person found by search (no phone with them).
  useRecord(record) {
    flow.showPerson({ person: record.person, masked: record.masked, display: record.display, known: true, verified: !!record.verified_at, changed: false });
  },

  // --- manual registration by staff ---
  startManual() {
    const values = {};
    // A yes/no starts unanswered (null): each question must be asked, and the core refuses silence.
    for (const f of app.fields) values[f.key] = f.kind === 'yes_no' ? [null] : [''];
    peopleState.manual = { values, errors: [], error: null };
  },

  /// The fields asked for the answers so far (shared/fields.js).
  manualFields() {
    const values = peopleState.manual.values;
    return shownFields(app.fields, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v[0]])));
  },

  manualPerson() {
    const m = peopleState.manual;
    const person = {};
    for (const f of this.manualFields()) {
      const v = m.values[f.key][0];
      if (typeof v === 'boolean') person[f.key] = v;
      else if (typeof v === 'string' && v.trim() !== '') person[f.key] = v.trim();
    }
    return person;
  },

  async saveManual() {
    const m = peopleState.manual;
    const val = await call('person.validate', { person: this.manualPerson() });
    if (!val.ok) {
      m.errors = val.errors ?? [];
      m.error = val.error;
      play('error');
      invalidate();
      return;
    }
    const rep = await call('person.verify', { person: val.person, staff: staffName() });
    if (!rep.ok) { m.error = rep.error; m.errors = rep.errors ?? []; invalidate(); return; }
    peopleState.manual = null;
    await Promise.all([refreshPending(), refreshInside()]);
    this.useRecord(rep.record);
  },
};

// --- today ---------------------------------------------------------------------------------

export function drawToday() {
  const only = peopleState.todayOnly;
  withFont(BIG, () => ImGui.Text(`${t(only ? 'todayReferDeny' : 'today')} (${peopleState.today.length})`));
  ImGui.SameLine();
  // The filter: one tap to what staff look back for, one tap back to all.
  for (const [key, label] of [[null, t('todayAll')], ['refer', t('todayReferDenyShort')]]) {
    const on = only === key;
    if (button(label, `today.only.${key ?? 'all'}`, key ? 0 : 120, 48, on ? [21, 101, 192] : [48, 56, 66]) && !on) people.filterToday(key);
    ImGui.SameLine();
  }
  if (button(t('refresh'), 'today.refresh', 140, 48)) people.refreshToday().then(() => invalidate());
  if (!peopleState.today.length) { ImGui.Text(t(only ? 'noEntriesReferDeny' : 'noEntries')); return; }
  const tf = ImGuiTableFlags.RowBg | ImGuiTableFlags.Borders | ImGuiTableFlags.ScrollY | ImGuiTableFlags.SizingStretchProp;
  // The masked ID number tells apart two people of the same name.
  const cols = [['time', 0.7], ['name', 1], ['idNumber', 1.9], ['dir', 0.6], ['temp', 0.6], ['verdict', 1.1], ['reasons', 1.9], ['staff', 0.8]];
  if (ImGui.BeginTable('today', cols.length, tf, new ImVec2(0, ImGui.GetContentRegionAvail().y))) {
    for (const [h, weight] of cols) ImGui.TableSetupColumn(t(h), 0, weight);
    ImGui.TableHeadersRow();
    for (const e of peopleState.today) { // newest first, as the core answers
      ImGui.TableNextRow();
      // Every value in words, as the core put them (in this browser's zone).
      const w = e.words;
      ImGui.TableNextColumn(); ImGui.Text(w.time);
      ImGui.TableNextColumn(); ImGui.Text(fontText(e.name));
      ImGui.TableNextColumn(); ImGui.Text(e.masked_doc_number ?? '');
      track(`today.doc.${e.id}`);
      ImGui.TableNextColumn(); ImGui.Text(say(w.direction));
      ImGui.TableNextColumn(); ImGui.Text(w.temperature || '—');
      ImGui.TableNextColumn();
      const c = COLORS[e.verdict] ?? COLORS.idle;
      ImGui.TextColored(rgba(...c.map((x) => Math.min(255, x + 60))), say(w.verdict));
      ImGui.TableNextColumn(); ImGui.TextWrapped((e.reasons || []).map(say).join('；'));
      ImGui.TableNextColumn(); ImGui.Text(e.staff || '');
    }
    ImGui.EndTable();
  }
}

// --- search and manual registration ------------------------------------------------------------
export function drawSearch() {
  if (peopleState.manual) { drawManual(); return; }
  withFont(BIG, () => {
    ImGui.SetNextItemWidth(520);
    if (ImGui.InputTextWithHint('##q', t('searchHint'), peopleState.search.query, 64, ImGuiInputTextFlags.EnterReturnsTrue)) people.search();
    track('search.query');
    caretFromItem();
    ImGui.SameLine();
    if (button(t('search'), 'search.go', 160, 0)) people.search();
    ImGui.SameLine();
    if (button(t('manualNew'), 'manual.new', 0, 0)) people.startManual();
  });
  if (peopleState.search.error) ImGui.TextColored(rgba(239, 83, 80), say(peopleState.search.error));
  if (peopleState.search.done && !peopleState.search.results.length) ImGui.Text(t('noResults'));
  if (!peopleState.search.results.length) return;
  // Its own scrolling region (a scrollbar to drag with a gloved finger) once histories are open.
  ImGui.BeginChild('results', new ImVec2(0, ImGui.GetContentRegionAvail().y), 0);
  peopleState.search.results.forEach((r, i) => {
    ImGui.PushID(`r${i}`);
    ImGui.Separator();
    const shown = peopleState.search.reveal.get(i);
    withFont(BIG, () => ImGui.Text(fontText(r.person?.name ?? '')));
    ImGui.SameLine();
    ImGui.TextDisabled(`${shown ? shown.doc_number : r.masked?.doc_number ?? ''}   ${shown ? shown.phone : r.masked?.phone ?? ''}`);
    ImGui.SameLine();
    ImGui.Text(r.verified_at ? t('verifiedMark') : '');
    if (button(shown ? t('hide') : t('show'), `search.reveal.${i}`, 100, 48)) people.toggleReveal(r, i);
    ImGui.SameLine();
    if (button(t('register'), `search.use.${i}`, 180, 48, [21, 101, 192])) people.useRecord(r);
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
  const history = peopleState.search.history.get(r.person?.doc_number);
  if (!history) return; // still loading
  if (!history.length) { ImGui.TextDisabled(t('noHistory')); return; }
  const open = peopleState.search.expanded.has(i);
  const shown = open ? history : history.slice(0, HISTORY_FEW);
  shown.forEach((e, k) => {
    const w = e.words;
    ImGui.TextDisabled(`${w.date_time}  ${say(w.direction)}  ${w.temperature || '—'}`);
    ImGui.SameLine();
    const c = COLORS[e.verdict] ?? COLORS.idle;
    ImGui.TextColored(rgba(...c.map((x) => Math.min(255, x + 60))), say(w.verdict));
    track(`search.history.${i}.${k}`);
  });
  if (history.length > HISTORY_FEW) {
    if (button(open ? t('historyLess') : t('historyMore', history.length), `search.more.${i}`, 220, 48)) {
      if (open) peopleState.search.expanded.delete(i); else peopleState.search.expanded.add(i);
    }
  }
}

/// The core makes the card (card.issue: sealed, numbered, logged); this prints it.
async function printCardFor(record) {
  const rep = await call('card.issue', { doc_number: record.person.doc_number, staff: onDuty() });
  if (!rep.ok) { note(rep.error, 'error'); return; }
  printCards([{ name: record.person.name, masked: record.masked, text: rep.text, number: rep.number }], app.settings, app.lang);
}

function drawManual() {
  const m = peopleState.manual;
  withFont(BIG, () => ImGui.Text(t('manualNew')));
  const errorOf = (key) => m.errors.find((e) => e.field === key);
  const tf = ImGuiTableFlags.SizingStretchProp;
  ImGui.BeginChild('manual', new ImVec2(0, ImGui.GetContentRegionAvail().y - 100), 0);
  if (ImGui.BeginTable('manualform', 2, tf)) {
    ImGui.TableSetupColumn('k', 0, 1);
    ImGui.TableSetupColumn('v', 0, 2);
    for (const f of people.manualFields()) {
      ImGui.TableNextRow();
      ImGui.TableNextColumn();
      ImGui.Text(`${f.item}. ${fieldLabel(f)}${f.required ? ' *' : ''}`);
      ImGui.TableNextColumn();
      ImGui.PushID(f.key);
      const v = m.values[f.key];
      ImGui.SetNextItemWidth(-1);
      if (f.kind === 'yes_no') {
        // Two buttons a gloved finger hits, neither chosen until staff ask.
        for (const [answer, label] of [[true, t('yes')], [false, t('no')]]) {
          const on = v[0] === answer;
          if (button(label, `manual.${f.key}.${answer ? 'yes' : 'no'}`, 96, 44, on ? [21, 101, 192] : [48, 56, 66])) v[0] = answer;
          if (answer) ImGui.SameLine();
        }
      } else if (app.choices[f.key]) {
        const cs = app.choices[f.key];
        const cur = [Math.max(0, cs.findIndex((c) => c.value === v[0]))];
        if (!v[0]) v[0] = cs[0].value;
        if (ImGui.Combo('##c', cur, cs.map(say).join('\0') + '\0')) v[0] = cs[cur[0]].value;
      } else {
        const hint = app.lang === 'en' ? f.hint_en || '' : f.hint_zh || '';
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
    if (button(t('manualSave'), 'manual.save', 300, 72, COLORS.allow)) people.saveManual();
    ImGui.SameLine();
    if (button(t('cancel'), 'manual.cancel', 160, 72)) peopleState.manual = null;
  });
}
