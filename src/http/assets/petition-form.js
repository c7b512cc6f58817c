// Petition creation form — progressive enhancement: without JavaScript the form shows each limit as text and the
// server refuses what is too long (with errors linked to their fields). With it:
//  - the counter under a field (`data-counter-for`) follows the typing, counting characters as the server does
//    (code points of the NFC text, trimmed); the counter is an aria-live="polite" region, updated after a pause
//    so that a screen reader is not interrupted at every keystroke;
//  - the error summary (`data-error-summary`) gets the focus when the page opens, so it is read first.
// Served from /assets (the content security policy allows same-origin scripts only).
(() => {
  const summary = document.querySelector('[data-error-summary]');
  if (summary) summary.focus();

  const lang = document.documentElement.lang || 'ko';
  const numbers = new Intl.NumberFormat(lang);
  for (const counter of document.querySelectorAll('[data-counter-for]')) {
    const field = document.getElementById(counter.getAttribute('data-counter-for'));
    if (!field) continue;
    const limit = Number(counter.getAttribute('data-limit'));
    const ok = counter.getAttribute('data-template-ok') || '#';
    const over = counter.getAttribute('data-template-over') || '#';
    let timer = null;
    const update = () => {
      const length = [...field.value.normalize('NFC').replace(/\r\n?/g, '\n').trim()].length;
      counter.textContent =
        length > limit
          ? over.replace('#', numbers.format(length - limit))
          : ok.replace('#', numbers.format(length));
      counter.classList.toggle('search-error', length > limit);
    };
    field.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(update, 400);
    });
  }
})();
