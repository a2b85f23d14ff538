// Page side of a face's service worker. The build serves it as
// <root>/sw/register.js; a face page imports it as '../sw/register.js'.
//
//   registerFaceWorker({ onUpdateReady(apply) { show a banner; on tap: apply() } })
//
// The worker (sw.js, generated beside the page) takes over on the next visit.
// When a newer version has installed while this page runs, onUpdateReady is
// called; apply() activates it and reloads, so the page never runs a mix of
// two versions.

export function registerFaceWorker({ url = './sw.js', onUpdateReady } = {}) {
  if (!('serviceWorker' in navigator)) return Promise.resolve(null);
  // A reload only after this page asked for the update, never on the first
  // install (there was no controller before it).
  let applying = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (applying) location.reload();
  });

  const offer = (reg) => {
    if (!reg.waiting || !navigator.serviceWorker.controller || !onUpdateReady) return;
    onUpdateReady(() => {
      applying = true;
      reg.waiting.postMessage('skip-waiting');
    });
  };

  return navigator.serviceWorker
    .register(url, { updateViaCache: 'none' })
    .then((reg) => {
      offer(reg);
      reg.addEventListener('updatefound', () => {
        const next = reg.installing;
        if (!next) return;
        next.addEventListener('statechange', () => {
          if (next.state === 'installed') offer(reg);
        });
      });
      return reg;
    })
    .catch((e) => {
      // No service worker (private mode, plain http): the page still works online.
      console.warn('service worker not registered:', e && e.message);
      return null;
    });
}
