"""The HTML pages of the preview, from Jinja templates with autoescaping on.

Every piece of spec text reaches a page through a template variable, so it is
escaped; the only markup let through unescaped is mlsd's own: the Graphviz
SVG (whose text Graphviz escapes) and the explanation, which goes into a
sandboxed iframe's `srcdoc` attribute (escaped as an attribute value).
"""

from __future__ import annotations

from collections.abc import Sequence

import jinja2
from markupsafe import Markup

from mlsd.explain.render import inline_svg
from mlsd.serve.paths import url_path
from mlsd.serve.results import DiffResult, SpecResult

STYLE = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --panel: #f6f8fa;
        --link: #0969da; --bad: #a40e26; --bad-bg: #fff1f1; --warn: #7d4e00; --ok: #116329; }
html[data-theme=dark] { --ink: #e6edf3; --muted: #9198a1; --line: #3d444d; --bg: #0d1117; --panel: #151b23;
        --link: #4493f8; --bad: #ff7b72; --bad-bg: #2d1215; --warn: #d29922; --ok: #3fb950; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       background: var(--bg); margin: 0; }
a { color: var(--link); }
header.bar { display: flex; gap: 1rem; align-items: center; padding: .5rem 1rem;
             border-bottom: 1px solid var(--line); background: var(--panel); }
header.bar .home { font-weight: 600; text-decoration: none; }
header.bar .folder { color: var(--muted); font-family: ui-monospace, monospace; }
header.bar .spacer { flex: 1; }
.connection { color: var(--muted); font-size: .85rem; }
main, .controls { padding: 0 1rem; max-width: 110rem; margin: 0 auto; }
h1 { font-size: 1.6rem; margin: 1rem 0 .25rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; margin-top: 1.8rem; }
.meta { color: var(--muted); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9rem; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem;
      overflow-x: auto; white-space: pre-wrap; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
.badge { display: inline-block; border-radius: 1rem; padding: 0 .6rem; font-size: .8rem; border: 1px solid; }
.badge.valid { color: var(--ok); } .badge.invalid, .badge.broken { color: var(--bad); }
.badge.pending { color: var(--muted); }
.errors { border: 1px solid var(--bad); background: var(--bad-bg); border-radius: 6px; padding: 0 1rem 1rem; }
.errors h2 { color: var(--bad); border: 0; }
.errors pre { color: var(--bad); background: transparent; border: 0; padding: 0; }
.pending-note { color: var(--muted); font-style: italic; }
figure { margin: 1rem 0; overflow: auto; border: 1px solid var(--line); border-radius: 6px; padding: .5rem; }
figure svg { max-width: 100%; height: auto; display: block; margin: 0 auto; }
figcaption { color: var(--muted); font-size: .9rem; }
html[data-theme=dark] figure.picture.light, html:not([data-theme=dark]) figure.picture.dark { display: none; }
.sides { display: grid; grid-template-columns: repeat(auto-fit, minmax(28rem, 1fr)); gap: 1rem; }
.sev-error { color: var(--bad); font-weight: 600; } .sev-warning { color: var(--warn); font-weight: 600; }
.sev-info { color: var(--muted); }
tr.ignored td { color: var(--muted); }
iframe.explanation { width: 100%; min-height: 30rem; border: 1px solid var(--line); border-radius: 6px;
                     background: #fff; }
form.diff { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; margin: 1rem 0; }
.note { color: var(--warn); }
"""

# Served as /live.js: CSP allows scripts from the server only, never inline.
SCRIPT = """
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
    fitFrames(live);
    let busy = false, again = false;

    async function refresh() {
      if (busy) { again = true; return; }
      busy = true;
      try {
        const response = await fetch(location.href, {cache: 'no-store'});
        const page = new DOMParser().parseFromString(await response.text(), 'text/html');
        const fresh = page.getElementById('live');
        if (fresh) {
          live.replaceChildren(...Array.from(fresh.childNodes, n => document.importNode(n, true)));
          live.dataset.version = fresh.dataset.version;
          document.title = page.title;
          fitFrames(live);
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
"""

_BASE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{% endblock %} · mlsd serve</title>
<style>{{ style }}</style>
<script src="/live.js"></script>
</head>
<body>
<header class="bar">
<a class="home" href="/">mlsd serve</a>
<span class="folder">{{ folder }}</span>
<span class="spacer"></span>
<span id="connection" class="connection" aria-live="polite">connecting…</span>
<button id="theme" type="button" aria-pressed="false">Dark theme</button>
</header>
{% block controls %}{% endblock %}
<main id="live" data-watch='{{ watch|tojson }}' data-version="{{ version }}">
{% block live %}{% endblock %}
</main>
</body>
</html>
"""

_MACROS = """
{% macro badge(status, count=0) -%}
<span class="badge {{ status }}">{{ status }}
{%- if status == 'invalid' %}: {{ count }} error{{ 's' if count != 1 }}{% endif %}</span>
{%- endmacro %}
{% macro problems(title, lines) -%}
<section class="errors" id="errors">
<h2>{{ title }}</h2>
<p>Fix the file and save: the page updates by itself.</p>
<pre>{% for line in lines %}{{ line }}
{% endfor %}</pre>
</section>
{%- endmacro %}
{% macro options(values, chosen) -%}
{% for v in values %}<option value="{{ v }}"{{ ' selected' if v == chosen }}>{{ v }}</option>{% endfor %}
{%- endmacro %}
{% macro diff_form(names, old, new, view, views) -%}
<form class="diff" action="/diff" method="get">
<label>Old <select name="old">{{ options(names, old) }}</select></label>
<label>New <select name="new">{{ options(names, new) }}</select></label>
<label>View <select name="view">{{ options(views, view) }}</select></label>
<button type="submit">Compare</button>
</form>
{%- endmacro %}
"""

_INDEX = """{% extends "base" %}{% from "macros" import badge, diff_form %}
{% block title %}Specs{% endblock %}
{% block live %}
<h1>Specs</h1>
{% if specs %}
<table class="specs">
<thead><tr><th>Title</th><th>File</th><th>Status</th></tr></thead>
<tbody>
{% for r in specs %}
<tr class="{{ r.status }}">
<td><a href="/spec/{{ r.name|urlpath }}">{{ r.title or r.name }}</a></td>
<td><code>{{ r.name }}</code></td>
<td>{{ badge(r.status, r.problems|length) }}</td>
</tr>
{% endfor %}
</tbody>
</table>
<h2>Compare two specs</h2>
{{ diff_form(names, names[0], names[1] if names|length > 1 else names[0], views[0], views) }}
{% else %}
<p>No specs here yet: save a <code>*.yaml</code> spec in <code>{{ folder }}</code> and it appears.</p>
{% endif %}
{% endblock %}
"""

_SPEC = """{% extends "base" %}{% from "macros" import badge, problems %}
{% block title %}{{ r.title or r.name }}{% endblock %}
{% block live %}
<h1>{{ r.title or r.name }}</h1>
<p class="meta">{{ badge(r.status, r.problems|length) }}
<code>{{ r.name }}</code>
{% if r.spec_id %}
 · id <code>{{ r.spec_id }}</code>
{% endif %}
 · source:
{% for f in (r.chain or [r.name]) %}
<a href="/source/{{ f|urlpath }}">{{ f }}</a>{{ ' extends ' if not loop.last }}
{% endfor %}
 · <a href="/diff?old={{ r.name|urlencode }}">compare with…</a></p>
{% if r.status == 'pending' %}
<p class="pending-note">Loading…</p>
{% elif r.status == 'invalid' %}
{{ problems("This spec is invalid", r.problems) }}
{% elif r.status == 'broken' %}
{{ problems("This spec cannot be shown", [r.error]) }}
{% elif not r.rendered %}
<p class="pending-note">Rendering…</p>
{% else %}
<section id="picture">
{% if r.picture_error %}
{{ problems("The picture could not be drawn", [r.picture_error]) }}
{% else %}
{% for theme, svg in r.pictures.items() %}
<figure class="picture {{ theme }}">{{ svg|svg }}</figure>
{% endfor %}
{% endif %}
{% if r.warnings %}<pre class="warnings">{% for w in r.warnings %}graphviz: {{ w }}
{% endfor %}</pre>{% endif %}
</section>
<section id="review">
<h2>Review</h2>
{% if r.review_error %}
{{ problems("The review failed", [r.review_error]) }}
{% elif not r.findings %}
<p>No findings.</p>
{% else %}
<table>
<thead><tr><th>Severity</th><th>Finding</th><th>Where</th></tr></thead>
<tbody>
{% for f in r.findings %}
<tr class="{{ 'ignored' if f.ignored is not none }}">
<td class="sev-{{ f.severity }}">{{ f.severity }}</td>
<td>{{ f.message }} <code>[{{ f.rule }}]</code>
{% if f.ignored is not none %}<br>ignored: {{ f.ignored }}
{% elif f.fix %}<br><small>fix: {{ f.fix }}</small>
{% endif %}</td>
<td><code>{{ f.file }}:{{ f.line }}:{{ f.column }}</code></td>
</tr>
{% endfor %}
</tbody>
</table>
{% endif %}
</section>
<section id="explanation">
<h2>Explanation</h2>
{% if r.explanation_error %}
{{ problems("The explanation could not be written", [r.explanation_error]) }}
{% else %}
<iframe class="explanation" title="Explanation of {{ r.title }}" sandbox="allow-same-origin"
        srcdoc="{{ r.explanation }}"></iframe>
{% endif %}
</section>
{% endif %}
{% endblock %}
"""

_DIFF = """{% extends "base" %}{% from "macros" import diff_form, problems %}
{% block title %}Diff {{ old or '' }} → {{ new or '' }}{% endblock %}
{% block controls %}
<div class="controls">
<h1>Compare two specs</h1>
{% if names %}{{ diff_form(names, old, new, view, views) }}{% else %}<p>No specs to compare.</p>{% endif %}
</div>
{% endblock %}
{% block live %}
{% if d is none %}
<p>Choose an old and a new spec, then Compare.</p>
{% elif d.status == 'pending' %}
<p class="pending-note">Comparing…</p>
{% elif d.status == 'invalid' %}
{{ problems("A spec is invalid", d.problems) }}
{% elif d.status == 'broken' %}
{{ problems("These specs cannot be compared", [d.error]) }}
{% else %}
<h2>{{ d.old }} → {{ d.new }}</h2>
{% if d.counts %}<p class="counts">{{ d.counts }}</p>{% endif %}
{% if d.note %}<p class="note">{{ d.note }}</p>{% endif %}
{% if d.picture_error %}
{{ problems("The diff picture could not be drawn", [d.picture_error]) }}
{% else %}
<div class="sides">
{% for caption, svg in d.pictures %}
<figure class="diff-picture"><figcaption>{{ caption }}</figcaption>{{ svg|svg }}</figure>
{% endfor %}
</div>
{% endif %}
<h2>Report</h2>
<pre class="report">{{ d.report }}</pre>
{% endif %}
{% endblock %}
"""

_MESSAGE = """{% extends "base" %}
{% block title %}{{ heading }}{% endblock %}
{% block live %}
<h1>{{ heading }}</h1>
<p>{{ message }}</p>
<p><a href="/">All specs</a></p>
{% endblock %}
"""


class Pages:
    """Renders the preview's pages; one per server (the Jinja environment caches templates)."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self._env = jinja2.Environment(
            loader=jinja2.DictLoader(
                {"base": _BASE, "macros": _MACROS, "index": _INDEX, "spec": _SPEC, "diff": _DIFF, "message": _MESSAGE}
            ),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.filters["svg"] = inline_svg
        self._env.filters["urlpath"] = url_path

    def index(self, specs: Sequence[SpecResult], version: int, views: Sequence[str]) -> str:
        """Every spec with its title and status, and a form to compare two."""
        names = [r.name for r in specs]
        return self._render("index", watch=None, version=version, specs=specs, names=names, views=views)

    def spec(self, result: SpecResult, version: int) -> str:
        """One spec: picture (both themes), review, explanation; or its errors."""
        return self._render("spec", watch=[result.name], version=version, r=result)

    def diff(
        self,
        result: DiffResult | None,
        names: Sequence[str],
        old: str | None,
        new: str | None,
        view: str,
        views: Sequence[str],
        version: int,
    ) -> str:
        """The comparison of two specs, with the form to choose them."""
        watch = [n for n in (old, new) if n]
        return self._render(
            "diff", watch=watch, version=version, d=result, names=names, old=old, new=new, view=view, views=views
        )

    def message(self, heading: str, message: str, version: int = 0) -> str:
        """A short page for 400, 404 and friends."""
        return self._render("message", watch=[], version=version, heading=heading, message=message)

    def _render(self, name: str, **variables: object) -> str:
        return self._env.get_template(name).render(style=Markup(STYLE), folder=self.folder, **variables)
