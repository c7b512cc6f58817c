// The victim page (/support): files are hashed on this device by the PDQ worker (PDQ for images, MD5 for videos);
// only { algorithm, hash, quality } leaves the page. Thumbnails are object URLs shown here and never sent. The
// file's name, bytes and metadata (EXIF) stay in the browser: the request body is built from the hashes alone.
// Served from /assets (the content security policy allows same-origin scripts and workers only).
(() => {
  const form = document.getElementById('support-form');
  if (!form || typeof Worker === 'undefined') return;
  form.hidden = false;
  const text = JSON.parse(form.getAttribute('data-messages') || '{}');
  const locale = form.getAttribute('data-locale') === 'en' ? 'en' : 'ko';
  const worker = new Worker(form.getAttribute('data-worker'));
  const input = document.getElementById('support-files');
  const previews = document.getElementById('support-previews');
  const progress = document.getElementById('support-progress');
  const error = document.getElementById('support-error');
  const submit = document.getElementById('support-submit');
  const MIN_QUALITY = 50;
  /** Hashes ready to send, by request id: { algorithm, hash, quality } only. */
  const ready = new Map();
  const waiting = new Map();
  let nextId = 1;

  worker.onmessage = (event) => {
    const answer = event.data;
    const item = waiting.get(answer.id);
    waiting.delete(answer.id);
    if (!item) return;
    const note = item.querySelector('.support-preview-note');
    if (answer.kind === 'pdq' && answer.quality >= MIN_QUALITY) {
      ready.set(answer.id, { algorithm: 'pdq', hash: answer.hash, quality: answer.quality });
      item.dataset.state = 'ready';
    } else if (answer.kind === 'pdq') {
      note.textContent = text.lowQuality;
      item.dataset.state = 'low-quality';
    } else if (answer.kind === 'md5') {
      ready.set(answer.id, { algorithm: 'md5', hash: answer.hash });
      item.dataset.state = 'ready';
    } else {
      note.textContent = text.failed;
      item.dataset.state = 'failed';
    }
    progress.textContent = waiting.size > 0 ? text.hashing : text.hashed.replace('#', String(ready.size));
  };

  input.addEventListener('change', () => {
    for (const file of input.files) {
      const id = nextId++;
      const item = document.createElement('li');
      item.className = 'support-preview';
      if (file.type.startsWith('image/')) {
        const img = document.createElement('img');
        img.alt = '';
        img.src = URL.createObjectURL(file);
        img.onload = () => URL.revokeObjectURL(img.src);
        item.appendChild(img);
      } else {
        const label = document.createElement('span');
        label.textContent = text.video;
        item.appendChild(label);
      }
      const note = document.createElement('span');
      note.className = 'support-preview-note';
      item.appendChild(note);
      previews.appendChild(item);
      waiting.set(id, item);
      worker.postMessage({ id, file });
    }
    progress.textContent = text.hashing;
    // the chosen files are no longer needed by the form: nothing of them can be submitted
    input.value = '';
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    if (ready.size === 0) {
      error.textContent = text.nothing;
      return;
    }
    submit.disabled = true;
    progress.textContent = text.sending;
    const body = {
      hashes: [...ready.values()],
      urls: document.getElementById('support-urls').value,
      contact: document.getElementById('support-contact').value,
      minor: document.getElementById('support-minor').checked,
      locale,
    };
    try {
      const response = await fetch('/support/cases', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        credentials: 'same-origin',
      });
      const answer = await response.json();
      if (!response.ok) throw new Error(answer?.error?.message || String(response.status));
      document.getElementById('support-case-number').textContent = answer.case_number;
      document.getElementById('support-pin').textContent = answer.pin;
      form.hidden = true;
      const done = document.getElementById('support-done');
      done.hidden = false;
      done.focus();
    } catch (e) {
      error.textContent = text.sendFailed.replace('#', e instanceof Error ? e.message : String(e));
      submit.disabled = false;
      progress.textContent = '';
    }
  });
})();
