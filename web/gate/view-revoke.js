// Revoking at the gate (issue 9): staff withdraw a card or every pass of a
// person from the scan screen (what the core offers for what was read: the
// scan reply's `revoke`), or a lost card by its number from the Data tab.
// Staff pick what, give a reason (one tap on the core's common reasons, or
// typed), and confirm; the core checks, stores, logs and words the result
// (revocation.add). This file only keeps what staff picked and typed.
import { ImGui } from '../vendor/jsimgui/mod.js';
import { app, t, say, call, invalidate, note, refreshPending, onDuty } from './state.js';
import { BASE, BIG, COLORS, rgba, withFont, button, field } from './ui.js';

const newForm = (flow = null) => ({ open: false, pick: 0, reason: [''], number: [''], busy: false, error: null, flow });

export const revokeState = {
  scan: newForm(), // the scan screen's, for the person or card on screen
  data: newForm(), // the Data tab's: a card by its number
  reasons: null,   // the core's one-tap reasons (revocation.reasons), loaded once
};

async function loadReasons() {
  if (revokeState.reasons) return;
  revokeState.reasons = [];
  const rep = await call('revocation.reasons');
  if (rep.ok) revokeState.reasons = rep.reasons;
  invalidate();
}

/// Sends the revocation; the core's error stays on the form, its words of success go to the message line.
async function submit(form, args, onDone) {
  if (form.busy) return;
  form.busy = true;
  invalidate();
  const rep = await call('revocation.add', { ...args, reason: form.reason[0], staff: onDuty() });
  form.busy = false;
  if (!rep.ok) { form.error = rep.error; invalidate(); return; }
  Object.assign(form, newForm(form.flow));
  note(rep.message, 'ok');
  await refreshPending();
  onDone?.();
  invalidate();
}

/// The reason: the core's common ones with one tap, or typed.
function drawReason(form, id) {
  for (const [i, r] of (revokeState.reasons ?? []).entries()) {
    if (i) ImGui.SameLine();
    const text = say(r);
    if (button(text, `${id}.reason.${i}`, 0, 52, form.reason[0] === text ? [21, 101, 192] : null)) form.reason[0] = text;
  }
  field(`${t('revokeReason')}##${id}.reason`, form.reason, 200, `${id}.reason`, 420);
}

function drawError(form) {
  if (form.error) withFont(BASE + 2, () => ImGui.TextColored(rgba(255, 138, 128), say(form.error)));
}

/// On the scan screen, beside the person's name: a "revoke" button (for what
/// the core offers of the pass read, `f.revoke`: none for a person chosen by
/// search), and once pressed below it the choice, the reason and the confirmation.
export function drawRevokeButton(f) {
  if (revokeState.scan.flow !== f) revokeState.scan = newForm(f); // another person: the form starts again
  if (!f.revoke.length || revokeState.scan.open) return;
  ImGui.SameLine();
  if (button(t('revoke'), 'revoke.open', 0, 44, [120, 40, 40])) { revokeState.scan.open = true; loadReasons(); }
}

export function drawRevokeForm(f, onDone) {
  const form = revokeState.scan;
  const offers = f.revoke;
  if (form.flow !== f || !form.open) return;
  ImGui.SeparatorText(t('revoke'));
  offers.forEach((o, i) => {
    if (i) ImGui.SameLine();
    if (button(say(o.words), `revoke.what.${i}`, 0, 52, form.pick === i ? [21, 101, 192] : null)) form.pick = i;
  });
  drawReason(form, 'revoke');
  drawError(form);
  withFont(BIG, () => {
    const o = offers[Math.min(form.pick, offers.length - 1)];
    if (button(form.busy ? t('revokeBusy') : `${t('revokeConfirm')} · ${say(o.words)}`, 'revoke.confirm', 0, 64, COLORS.deny)) {
      submit(form, { kind: o.kind, subject: o.subject }, onDone);
    }
    ImGui.SameLine();
    if (button(t('cancel'), 'revoke.cancel', 160, 64)) form.open = false;
  });
  ImGui.Separator();
}

/// The Data tab: a lost card revoked by its number, without the card in hand.
export function drawRevokeCard() {
  const form = revokeState.data;
  if (!revokeState.reasons) loadReasons();
  ImGui.SeparatorText(t('revokeCard'));
  field(`${t('cardNumber')}##revoke.card.number`, form.number, 70, 'revoke.card.number', 300);
  drawReason(form, 'revoke.card');
  drawError(form);
  if (button(form.busy ? t('revokeBusy') : t('revokeCardConfirm'), 'revoke.card.confirm', 0, 56, COLORS.deny)) {
    submit(form, { kind: 'card', subject: form.number[0] });
  }
}
