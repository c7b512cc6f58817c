// Live agreement count on a petition page — progressive enhancement: without JavaScript the page shows the count as
// rendered. Served from /assets (the CSP allows same-origin scripts only).
//
// Markup it looks for:
//   <dd data-live-count="/api/v1/petitions/1/count" data-format-one="# agreement" data-format-other="# agreements">
//   <progress data-live-progress max="200000" value="1234">   (optional; the threshold bar)
//   <span data-live-percent>                                    (optional; "97%", in the bar's label)
//   <span data-live-reached hidden>                             (optional; shown once the count reaches max)
// It polls the tiny, cached count endpoint (the browser revalidates with the ETag, so an unchanged count costs a
// 304), only while the tab is visible and the petition is open, and never shows a smaller number than it has
// shown: a poll answered by a stale cache cannot make the count go backwards. Past the threshold the bar stays full
// and the count keeps rising (the UK site's bar once restarted from zero at each threshold).
(() => {
  const el = document.querySelector('[data-live-count]');
  if (!el || !window.fetch) return;
  const url = el.getAttribute('data-live-count');
  const lang = document.documentElement.lang || 'ko';
  const numbers = new Intl.NumberFormat(lang);
  const plural = new Intl.PluralRules(lang);
  const bar = document.querySelector('[data-live-progress]');
  const percent = document.querySelector('[data-live-percent]');
  const reached = document.querySelector('[data-live-reached]');
  const intervalMs = Number(el.getAttribute('data-live-interval') || 5000);
  let shown = Number(el.getAttribute('data-count') || 0);
  let timer = null;

  const format = (n) => {
    const template =
      el.getAttribute(`data-format-${plural.select(n)}`) || el.getAttribute('data-format-other') || '#';
    return template.replace('#', numbers.format(n));
  };

  const show = (count) => {
    if (!(count > shown)) return; // never backwards, and nothing to do when unchanged
    shown = count;
    el.textContent = format(count);
    el.setAttribute('data-count', String(count));
    if (bar) {
      const max = Number(bar.getAttribute('max')) || 0;
      if (max > 0) {
        bar.value = Math.min(count, max);
        if (percent) {
          const p = Math.min(100, (count / max) * 100);
          percent.textContent = `${Math.floor(p)}%`; // as the server renders it (progressPercent)
        }
        if (reached && count >= max) reached.hidden = false;
      }
    }
  };

  const poll = async () => {
    timer = null;
    try {
      const res = await fetch(url, { headers: { accept: 'application/json' }, cache: 'no-cache' });
      if (res.ok) {
        const body = await res.json();
        show(Number(body.count));
        if (body.state !== 'open') return; // closed: the count is final
      }
    } catch {
      // offline or the server is busy: try again later
    }
    schedule();
  };

  const schedule = () => {
    if (timer === null && document.visibilityState === 'visible') timer = setTimeout(poll, intervalMs);
  };

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') schedule();
    else if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
  });
  schedule();
})();

// The signer's receipt secret (issue 13): 16 random bytes made here, in the signer's browser, sent with the agreement
// as 32 hex characters; the server stores only its SHA-256 in the petition's public log and shows the secret back
// on the answer page for the signer to keep. Without script the field stays empty and the server makes one.
(() => {
  if (!window.crypto?.getRandomValues) return;
  for (const field of document.querySelectorAll('input[data-receipt-secret]')) {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    field.value = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }
})();
