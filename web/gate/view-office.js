// What the community office needs: the counts and entries per hour (ImPlot),
// and getting the data out — export, upload, import, the gate poster.
import { ImGui, ImPlot, ImVec2 } from '../vendor/jsimgui/mod.js';
import { S, flow, t, say } from './flow.js';
import { BIG, HUGE, rgba, track, withFont, button } from './ui.js';
import { printPoster, residentUrl } from './print.js';

// --- statistics ----------------------------------------------------------------------------------
export function drawStats() {
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

export function drawData() {
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
