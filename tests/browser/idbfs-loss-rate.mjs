// Measures how often the IDBFS fallback loses its store under the crash loop of
// core-crash.test.mjs (write, ack, 3 writes in flight, SIGKILL 0–15 ms later):
// `node tests/browser/idbfs-loss-rate.mjs ROUNDS [label]`. After a loss (an
// acknowledged record missing, or an open that fails) it starts again on a new
// profile, so one run counts every loss. GATEPASS_SITE_DIR picks the site.
import { serveSite, freshProfile, removeProfile, launch, killBrowser, openCorePage, testPerson, storedDocNumbers } from './harness.mjs';

const rounds = Number(process.argv[2] || 100);
const label = process.argv[3] || '';
const site = await serveSite();
let profile = freshProfile('loss-rate');
let acked = [];
const events = [];
try {
  for (let round = 0; round < rounds; round++) {
    const context = await launch(profile);
    const { page, result } = await openCorePage(context, site.url, { db: 'test.sqlite', storage: 'idbfs' });
    const stored = result.ok ? new Set(await storedDocNumbers(page)) : null;
    const lost = stored ? acked.filter((d) => !stored.has(d)) : acked;
    if (!result.ok || lost.length) {
      events.push({ round, after: acked.length, error: result.ok ? null : result.error.code, lost: lost.length });
      console.log(`round ${round}: ${result.ok ? `${lost.length} of ${acked.length} acknowledged missing` : `open failed: ${result.error.code}`}`);
      await context.close().catch(() => {});
      removeProfile(profile);
      profile = freshProfile('loss-rate');
      acked = [];
      continue;
    }
    if (round % 25 === 0) console.log(`round ${round}: ${events.length} losses so far`);
    const i = round * 10;
    const reply = await page.evaluate((p) => window.gpCall('person.save', { person: p }), testPerson(i));
    if (reply.ok) acked.push(testPerson(i).doc_number);
    await page.evaluate((people) => { for (const p of people) window.gpCall('person.save', { person: p }); },
      [1, 2, 3].map((k) => testPerson(i + k)));
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 16)));
    await killBrowser(profile, context);
  }
} finally {
  removeProfile(profile);
  await site.close();
}
console.log(`idbfs loss rate ${label}: ${events.length} losses in ${rounds} rounds ${JSON.stringify(events)}`);
