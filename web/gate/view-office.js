// What the community office needs: the counts and entries per hour (ImPlot),
// and getting the data out — export, upload, import, the gate poster.
import { ImGui, ImPlot, ImVec2 } from '../vendor/jsimgui/mod.js';
import { app, t, say, both, call, note, invalidate, online, refreshPending, refreshInside, onDuty } from './state.js';
import { BIG, HUGE, rgba, track, withFont, button } from './ui.js';
import { printPoster } from './print.js';
import { Uploader } from './upload.js';
import { people } from './view-people.js';
import { drawRevokeCard } from './view-revoke.js';

export const officeState = {
  stats: null, // the core's `stats` reply
  batches: [], // exported batches (batch.list)
  lastExport: null,
  lastImport: null,
  // A batch file being imported: {percent, progress (the core's words), job (cancel)}; null when none.
  importing: null,
  importUpdates: 0, // progress updates shown since load (the bar moved this many times)
  importSteps: [], // the steps the bar showed in the last import, in order (the core's codes)
  uploader: new Uploader(),
  uploading: false, // uploadPending is looking for or sending batches
  uploadChecks: 0, // times uploadPending finished (sent or found nothing to send)
  actions: [], // staff.actions: what staff did here (the core logs it), newest first
  retention: null, // the last retention.apply reply: policy, what it deleted, what it held back (warning)
  retentionAt: 0, // performance.now() of that run (it runs at start and once a day)
};

const DAY_MS = 86400000;

export const office = {
  /// A tab of this screen was chosen.
  onShown(tab) {
    if (tab === 'stats') this.refreshStats();
    if (tab === 'data') this.listBatches();
  },

  async refreshStats() {
    const rep = await call('stats');
    if (rep.ok) officeState.stats = rep;
    invalidate();
  },

  /// Staff press "export": the files are downloaded. The automatic export
  /// before an upload does not download (the batch stays in batch.list).
  async exportBatch({ download: save = true } = {}) {
    const rep = await call('batch.export', save ? { staff: onDuty() } : { upload: true });
    if (!rep.ok) { note(rep.error, 'warn'); return null; }
    officeState.lastExport = { seq: rep.seq, counts: rep.counts, file: rep.file.name, csv: rep.csv.name };
    if (save) downloadBatch(rep);
    note(both('exported', rep), 'ok');
    await Promise.all([refreshPending(), this.listBatches()]);
    if (app.settings?.upload_url) this.uploadPending();
    return rep;
  },

  async redownload(seq) {
    const rep = await call('batch.get', { seq, staff: onDuty() });
    if (!rep.ok) { note(rep.error, 'error'); return; }
    downloadBatch(rep);
  },

  async listBatches() {
    const [rep, actions] = await Promise.all([call('batch.list'), call('staff.actions', { limit: 10, here: true })]);
    if (rep.ok) officeState.batches = rep.batches;
    if (actions.ok) officeState.actions = actions.actions;
    invalidate();
  },

  /// Staff picked a batch file: the worker reads it in parts and the core
  /// imports it whole (nothing is stored unless all of it verifies); the bar
  /// shows the core's progress meanwhile, and the console keeps working.
  async importBatch(file) {
    if (officeState.importing) return null;
    const job = app.core.importFile(file, (p) => {
      if (!officeState.importing) return;
      officeState.importing.percent = p.percent;
      officeState.importing.progress = p.progress;
      officeState.importUpdates++;
      if (officeState.importSteps.at(-1) !== p.progress.code) officeState.importSteps.push(p.progress.code);
      invalidate();
    }, { staff: onDuty() });
    officeState.importing = { percent: 0, progress: null, job };
    officeState.importSteps = [];
    invalidate();
    let rep;
    try {
      rep = await job.done;
    } finally {
      officeState.importing = null;
      invalidate();
    }
    if (!rep.ok) { note(rep.error, 'error'); return rep; }
    if (rep.cancelled) { note(rep.message, 'warn'); return rep; }
    note(both('imported', rep), rep.conflicts.length ? 'warn' : 'ok');
    officeState.lastImport = rep;
    await Promise.all([refreshPending(), refreshInside(), people.refreshToday()]);
    return rep;
  },

  /// Deletes what is past the community's retention period (the core decides
  /// what is due; what is not yet exported or uploaded is held and staff warned).
  async applyRetention() {
    officeState.retentionAt = performance.now();
    const rep = await call('retention.apply');
    if (!rep.ok) { note(rep.error, 'warn'); return rep; }
    officeState.retention = rep;
    if (rep.warning) note(rep.warning, 'warn');
    invalidate();
    return rep;
  },

  /// Browser went online: send what is pending where the office said, or remind staff.
  async onOnline() {
    const p = app.pending;
    if (!app.settings?.upload_url) {
      if (p.exportable) note(both('onlineNoUpload'), 'warn');
      return;
    }
    if (p.exportable) await this.exportBatch({ download: false });
    else await this.uploadPending();
  },

  /// POSTs every exported batch not yet accepted by the upload address, oldest
  /// first; a batch counts as sent only on a 2xx reply, so a failure is retried
  /// (with growing pauses) and a success is never sent twice.
  async uploadPending() {
    if (officeState.uploading) return;
    officeState.uploading = true;
    try {
      const url = app.settings?.upload_url;
      const uploader = officeState.uploader;
      if (!url || !online() || uploader.running) return;
      await this.listBatches();
      const todo = officeState.batches.filter((b) => !b.uploaded_at).sort((a, b) => a.seq - b.seq);
      if (!todo.length) return;
      const n = await uploader.run(todo, (type, args) => app.core.send(type, args));
      await this.listBatches();
      if (uploader.lastError) note(uploader.lastError, 'warn');
      else if (n === 1) note(uploader.lastMessage, 'ok');
      else if (n > 1) note(both('uploadOk', n), 'ok');
      invalidate();
    } finally {
      officeState.uploading = false;
      officeState.uploadChecks++;
    }
  },

  /// Once a second: a failed upload is retried when its pause is over.
  tick(now) {
    if (officeState.uploader.due(now)) this.uploadPending();
    if (officeState.retention && now - officeState.retentionAt > DAY_MS) this.applyRetention();
  },
};

function downloadBatch(rep) {
  download(rep.file.name, rep.file.text, 'application/octet-stream');
  download(rep.csv.name, rep.csv.text, 'text/csv;charset=utf-8');
}

function download(name, text, type) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

// --- statistics ----------------------------------------------------------------------------------
export function drawStats() {
  const s = officeState.stats;
  if (button(t('refresh'), 'stats.refresh', 140, 48)) office.refreshStats();
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
  for (const c of app.choices.person_type || []) {
    ImGui.Text(`${say(c)}: ${byType[c.value] ?? 0}`);
  }
  ImGui.SeparatorText(`${t('insideNow')}: ${s.inside_now ?? 0}`);
  ImGui.Text((s.inside_by_person_type ?? []).map((x) => `${say(x)} ${x.count}`).join('   ') || '—');
  track('stats.inside');
  ImGui.SeparatorText(t('perHour'));
  const hourly = s.hourly_today;
  if (ImPlot.BeginPlot(`##perhour`, new ImVec2(-1, Math.max(220, ImGui.GetContentRegionAvail().y - 10)))) {
    ImPlot.SetupAxes('h', 'n', 0, 0);
    ImPlot.SetupAxesLimits(-0.5, 23.5, 0, Math.max(4, ...hourly) * 1.15, 1);
    ImPlot.PlotBars(t('perHour'), hourly, 24, 0.7, 0);
    ImPlot.EndPlot();
  }
  track('stats.plot');
}

// --- data: export, upload, import, print ---------------------------------------------------------
let fileInput = null;

// Every action sits in the top rows, drawn before anything that loads later
// (the batch list, the retention words, an upload error): nothing appears
// above a button after it is drawn, so a tap aimed at one never lands on
// another. Actions that need an enrolled gate come last in their row, so their
// absence moves nothing.
export function drawData() {
  const p = app.pending;
  withFont(BIG, () => ImGui.Text(`${t('pending')}: ${say(p.words)}`));
  const url = app.posterUrl;
  withFont(BIG, () => {
    if (button(t('exportBatch'), 'export', 300, 72, [21, 101, 192])) office.exportBatch();
    if (app.settings?.upload_url) {
      ImGui.SameLine();
      if (button(t('uploadNow'), 'upload', 300, 72)) office.uploadPending();
    }
    const imp = officeState.importing;
    if (!imp) {
      if (button(t('importBatch'), 'import', 440, 60)) pickBatchFile();
    } else {
      // In the import button's place, as wide (nothing beside or below moves):
      // the bar with the core's words, which carry the percent ("正在合并… 63%").
      ImGui.ProgressBar(imp.percent / 100, new ImVec2(300, 60), say(imp.progress) || `${imp.percent}%`);
      track('import.progress');
      // Cancel works while the file is read; once the core checks and merges, it finishes (or refuses whole).
      const reading = !imp.progress || imp.progress.code === 'batch.import.reading';
      ImGui.SameLine(0, 8);
      if (reading) { if (button(t('cancel'), 'import.cancel', 132, 60)) imp.job.cancel(); } else ImGui.Dummy(new ImVec2(132, 60));
    }
    if (url) {
      ImGui.SameLine();
      if (button(t('printPoster'), 'poster', 0, 60)) printPoster(url, app.settings, app.lang);
    }
  });
  if (officeState.lastImport?.conflicts?.length) {
    ImGui.TextColored(rgba(255, 202, 40), `${t('conflicts')}: ${officeState.lastImport.conflicts.length}`);
    for (const c of officeState.lastImport.conflicts.slice(0, 10)) ImGui.BulletText(say(c));
  }
  drawRevokeCard();
  ImGui.SeparatorText(t('upload'));
  ImGui.Text(`${t('uploadUrl')}: ${app.settings?.upload_url || '—'}`);
  if (app.settings?.upload_url && officeState.uploader.lastError) {
    ImGui.PushTextWrapPos(0);
    ImGui.TextColored(rgba(255, 202, 40), say(officeState.uploader.lastError));
    ImGui.PopTextWrapPos();
    track('upload.error');
  }
  ImGui.SeparatorText(t('printPoster'));
  if (url) {
    ImGui.TextWrapped(`${t('residentUrl')}: ${url}`);
  } else {
    ImGui.TextWrapped(t('posterNeedsSite'));
    track('poster.needs_site');
  }
  ImGui.SeparatorText(t('batches'));
  for (const b of [...officeState.batches].reverse().slice(0, 12)) {
    ImGui.PushID(`b${b.seq}`);
    ImGui.Text(`#${b.seq}  ${b.created}  ${say(b.words)}`);
    ImGui.SameLine();
    if (app.settings?.upload_url) { ImGui.Text(b.uploaded_at ? t('uploaded') : '…'); ImGui.SameLine(); }
    if (button(t('download'), `batch.get.${b.seq}`, 100, 36)) office.redownload(b.seq);
    ImGui.PopID();
  }
  // What staff did here, as the core logged it (never personal data: a reveal shows the number masked).
  ImGui.SeparatorText(t('staffActions'));
  for (const a of officeState.actions) ImGui.TextWrapped(`${a.time}  ${a.staff}  ${say(a.kind_words)}  ${say(a.detail)}`);
  track('actions.list');
  // The retention policy in the core's words, and what it held back.
  const ret = officeState.retention;
  if (ret) {
    ImGui.SeparatorText(t('retention'));
    ImGui.TextWrapped(say(ret.policy));
    track('retention.policy');
    if (ret.warning) {
      ImGui.TextColored(rgba(255, 202, 40), say(ret.warning));
      track('retention.held');
    }
  }
  const info = app.core.info;
  ImGui.SeparatorText(t('storage'));
  const est = info.estimate;
  ImGui.Text(`${info.storage}${info.persisted ? ' · persisted' : ''}${est ? ` · ${(est.usage / 1e6).toFixed(1)} MB / ${(est.quota / 1e9).toFixed(1)} GB` : ''}`);
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
      if (file) await office.importBatch(file); // the File itself: the worker reads it in parts
      invalidate();
    });
  }
  fileInput.click();
}
