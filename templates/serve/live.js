// The preview's only script, served as /live.js (the CSP allows no inline script).
(() => {
  'use strict';
  const root = document.documentElement;
  const saved = localStorage.getItem('mlsd-theme');
  if (saved === 'dark' || saved === 'light') root.dataset.theme = saved;

  function fitFrames(scope) {
    for (const frame of scope.querySelectorAll('iframe.explanation')) {
      const fit = () => {
        try { frame.style.height = (frame.contentDocument.documentElement.scrollHeight + 24) + 'px'; }
        catch (e) { /* not readable: keep the minimum height */ }
      };
      frame.addEventListener('load', fit);
      fit();
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    const button = document.getElementById('theme');
    const label = () => {
      const dark = root.dataset.theme === 'dark';
      button.textContent = dark ? 'Light theme' : 'Dark theme';
      button.setAttribute('aria-pressed', String(dark));
    };
    button.addEventListener('click', () => {
      root.dataset.theme = root.dataset.theme === 'dark' ? 'light' : 'dark';
      localStorage.setItem('mlsd-theme', root.dataset.theme);
      label();
    });
    label();

    const live = document.getElementById('live');
    const status = document.getElementById('connection');
    const watch = JSON.parse(live.dataset.watch);  // null: every spec matters (the index)
    let busy = false, again = false;

    // Swap in only the parts that changed: an unchanged explanation frame is not reloaded, and
    // one being rewritten (data-pending) stays until its successor arrives, so nothing jumps.
    // Parts are compared as the server sent them (`sent`), not as shown: fitting a frame sets its style.
    let sent = Array.from(live.childNodes, n => n.cloneNode(true));
    fitFrames(live);
    function update(fresh) {
      const shown = Array.from(live.childNodes), news = Array.from(fresh.childNodes);
      const alike = shown.length === news.length && sent.length === news.length &&
        sent.every((n, i) => n.nodeName === news[i].nodeName && (n.id ?? '') === (news[i].id ?? ''));
      if (!alike) {
        live.replaceChildren(...news.map(n => document.importNode(n, true)));
        sent = news;
        fitFrames(live);
        return;
      }
      news.forEach((next, i) => {
        const before = sent[i];
        if (before.isEqualNode(next)) return;
        if (next.nodeType === Node.ELEMENT_NODE && next.hasAttribute('data-pending') &&
            !before.hasAttribute('data-pending')) return;
        const copy = document.importNode(next, true);
        shown[i].replaceWith(copy);
        sent[i] = next;
        if (copy.nodeType === Node.ELEMENT_NODE) fitFrames(copy);
      });
    }

    async function refresh() {
      if (busy) { again = true; return; }
      busy = true;
      try {
        const response = await fetch(location.href, {cache: 'no-store'});
        const page = new DOMParser().parseFromString(await response.text(), 'text/html');
        const fresh = page.getElementById('live');
        if (fresh) {
          update(fresh);
          live.dataset.version = fresh.dataset.version;
          document.title = page.title;
        }
      } catch (e) {
        status.textContent = 'update failed: ' + e;
      } finally {
        busy = false;
        if (again) { again = false; refresh(); }
      }
    }

    const events = new EventSource('/events');
    events.addEventListener('hello', e => {
      status.textContent = 'live';
      // Anything that changed between this page being made and the stream opening.
      if (JSON.parse(e.data).version !== Number(live.dataset.version)) refresh();
    });
    events.addEventListener('change', e => {
      const change = JSON.parse(e.data);
      if (watch === null ? change.list : change.names.some(n => watch.includes(n))) refresh();
    });
    events.onerror = () => { status.textContent = 'reconnecting…'; };
  });
})();
