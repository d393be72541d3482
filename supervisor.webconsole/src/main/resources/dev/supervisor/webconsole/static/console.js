// The supervisor's web console: plain JavaScript, no build step, no library.
// Every text from the server goes into the page through textContent or setAttribute, never as HTML,
// so a service named <img src=x onerror=alert(1)> shows as those characters.
'use strict';
(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const STATES = ['IDLE', 'WAITING', 'STARTING', 'RUNNING', 'STOPPING', 'STOPPED', 'BACKOFF', 'FAILED'];
  const $ = (id) => document.getElementById(id);
  let session = { admin: false, csrf: '' };
  const view = { offset: 0, limit: 100, matched: 0, rows: new Map(), groups: new Map() };
  const graph = { focus: '', nodes: new Map() };

  // ------------------------------------------------------------------ helpers

  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === 'class') e.className = v;
      else if (k.startsWith('data-')) e.setAttribute(k, v);
      else e[k] = v;
    }
    for (const c of children) e.append(c === null || c === undefined ? '' : c); // strings become text nodes
    return e;
  }

  function svg(tag, attrs) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    return e;
  }

  async function getJson(url) {
    const r = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    const body = await r.json().catch(() => ({ error: r.status + ' ' + r.statusText }));
    if (!r.ok) throw new Error(body.error || String(r.status));
    return body;
  }

  function say(text, isError) {
    const m = $('message');
    m.textContent = text;
    m.className = isError ? 'error' : '';
  }

  function duration(ms) {
    if (ms === null || ms === undefined) return '';
    if (ms < 1000) return ms + ' ms';
    const s = Math.floor(ms / 1000);
    if (s < 120) return s + ' s';
    const m = Math.floor(s / 60);
    if (m < 120) return m + ' min';
    const h = Math.floor(m / 60);
    return h < 48 ? h + ' h ' + (m % 60) + ' min' : Math.floor(h / 24) + ' d ' + (h % 24) + ' h';
  }

  // ------------------------------------------------------------------ tree

  function actionButtons(kind, actions) {
    const td = el('td', { class: 'admin-only actions' });
    for (const a of actions) {
      td.append(el('button', { type: 'button', 'data-kind': kind, 'data-action': a, class: a === 'stop' ? 'danger' : '' }, a), ' ');
    }
    return td;
  }

  function serviceRow(s) {
    const err = s.lastError ? s.lastError.kind + ': ' + s.lastError.message : '';
    const tr = el('tr', { class: 'svc state-' + s.state, 'data-name': s.name, 'data-state': s.state },
      el('td', { class: 'name', title: s.name }, s.name),
      el('td', { class: 'state' }, s.state),
      el('td', { class: 'num since' }, duration(Date.now() - s.since)),
      el('td', { class: 'num starts' }, String(s.starts)),
      el('td', { class: 'num restarts' }, String(s.restarts)),
      el('td', { class: 'num failures' }, String(s.failures)),
      el('td', { class: 'num uptime' }, s.state === 'RUNNING' ? duration(s.uptime) : ''),
      el('td', { class: 'err', title: err }, err));
    tr.append(actionButtons('service', ['start', 'stop', 'restart', 'reset']));
    return tr;
  }

  function groupRow(path) {
    const g = view.groups.get(path);
    const label = path === '' ? '(root group)' : path;
    const td = el('td', { colSpan: 8 }, label);
    if (g) {
      td.append(el('span', { class: 'intensity' },
        g.state + ' \u00b7 ' + g.strategy + ' \u00b7 failure intensity ' + g.failureCount + ' / ' +
        (g.failureThreshold === null ? '\u221e' : g.failureThreshold) +
        ' \u00b7 restarts in window ' + g.restartsInWindow + (g.maxRestarts ? ' / ' + g.maxRestarts : '') +
        ' \u00b7 escalations ' + g.escalations +
        (g.lastFailure ? ' \u00b7 last: ' + g.lastFailure.message : '')));
    }
    const tr = el('tr', { class: 'group-row', 'data-group': path }, td);
    tr.append(actionButtons('group', ['restart', 'stop', 'reset']));
    return tr;
  }

  function query() {
    const p = new URLSearchParams({ offset: view.offset, limit: view.limit });
    if ($('f-failed').checked) p.set('state', 'FAILED');
    if ($('f-group').value !== '') p.set('group', $('f-group').value);
    if ($('f-name').value) p.set('q', $('f-name').value);
    return p;
  }

  async function loadGroups() {
    const data = await getJson('api/groups');
    const select = $('f-group');
    const chosen = select.value;
    view.groups.clear();
    select.replaceChildren(el('option', { value: '' }, 'every group'));
    for (const g of data.groups) {
      view.groups.set(g.path, g);
      select.append(el('option', { value: g.path }, g.path === '' ? '(root group)' : g.path));
    }
    select.value = chosen;
  }

  async function loadServices() {
    const data = await getJson('api/services?' + query());
    const body = $('services').tBodies[0];
    const rows = [];
    view.rows.clear();
    let group = null;
    for (const s of data.services) {
      if (s.group !== group) {
        group = s.group;
        rows.push(groupRow(group));
      }
      const tr = serviceRow(s);
      view.rows.set(s.name, tr);
      rows.push(tr);
    }
    body.replaceChildren(...rows);
    view.matched = data.matched;
    const last = Math.min(data.matched, data.offset + data.services.length);
    $('page-info').textContent = data.matched === 0 ? 'no service matches'
      : (data.offset + 1) + '\u2013' + last + ' of ' + data.matched + (data.matched !== data.total ? ' (' + data.total + ' in all)' : '');
    $('prev').disabled = data.offset === 0;
    $('next').disabled = last >= data.matched;
    const counts = STATES.filter((s) => data.counts[s] > 0).map((s) => s + ' ' + data.counts[s]);
    $('counts').textContent = data.total + ' services: ' + counts.join(', ');
  }

  function updateRow(s) {
    const old = view.rows.get(s.name);
    if (old) {
      const tr = serviceRow(s);
      tr.classList.add('changed');
      old.replaceWith(tr);
      view.rows.set(s.name, tr);
    }
    const node = graph.nodes.get(s.name);
    if (node) node.setAttribute('class', 'node state-' + s.state + (s.name === graph.focus ? ' focus' : ''));
  }

  // ------------------------------------------------------------------ graph

  async function loadGraph() {
    const p = new URLSearchParams();
    if (graph.focus) {
      p.set('focus', graph.focus);
      p.set('depth', $('g-depth').value || '2');
    }
    let data;
    try {
      data = await getJson('api/graph?' + p);
    } catch (e) {
      say('graph: ' + e.message, true);
      return;
    }
    const box = $('graph-view');
    graph.nodes.clear();
    if (data.truncated && data.shown === 0) {
      const div = el('div', { class: 'too-many' },
        data.total + ' services are too many to draw at once (limit ' + data.limit + '): choose one to see its neighbourhood. ');
      for (const name of data.suggestions) {
        div.append(el('button', { type: 'button', 'data-focus': name }, name), ' ');
      }
      box.replaceChildren(div);
      $('g-info').textContent = '';
      return;
    }
    $('g-info').textContent = data.shown + ' of ' + data.total + ' services' +
      (data.focus ? ' around ' + data.focus : '') + (data.truncated ? ' (neighbourhood cut at the limit)' : '') +
      ', ' + data.crossings + ' crossings';
    const root = svg('svg', { width: data.width, height: data.height, class: 'graph', 'data-total': data.total });
    const defs = svg('defs');
    const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#607d8b' }));
    defs.append(marker);
    root.append(defs);
    for (const e of data.edges) {
      let d = 'M ' + e.points[0] + ' ' + e.points[1];
      for (let i = 2; i < e.points.length; i += 2) d += ' L ' + e.points[i] + ' ' + e.points[i + 1];
      const path = svg('path', { d, class: 'edge ' + e.kind + (e.missing ? ' missing' : ''), 'marker-end': 'url(#arrow)',
        'data-from': e.from, 'data-to': e.to, 'data-kind': e.kind });
      const title = svg('title');
      title.textContent = e.from + ' depends on ' + e.to + ' (' + e.kind + ')';
      path.append(title);
      root.append(path);
    }
    for (const n of data.nodes) {
      const g = svg('g', { class: 'node ' + (n.ghost ? 'ghost' : 'state-' + n.state) + (n.name === data.focus ? ' focus' : ''),
        transform: 'translate(' + n.x + ',' + n.y + ')', 'data-name': n.name });
      g.append(svg('rect', { width: data.nodeWidth, height: data.nodeHeight }));
      const text = svg('text', { x: 6, y: 17 });
      text.textContent = n.name.length > 28 ? n.name.slice(0, 27) + '\u2026' : n.name;
      const title = svg('title');
      title.textContent = n.name + (n.ghost ? ' (missing)' : ' (' + n.state + ')');
      g.append(text, title);
      root.append(g);
      if (!n.ghost) graph.nodes.set(n.name, g);
    }
    box.replaceChildren(root);
    const names = $('g-names');
    if (!data.focus) names.replaceChildren(...data.nodes.filter((n) => !n.ghost).map((n) => el('option', { value: n.name })));
  }

  // ------------------------------------------------------------------ timeline

  async function loadTimeline() {
    const since = $('t-since').value;
    $('t-download').href = 'api/timeline.svg?download=1&since=' + encodeURIComponent(since);
    const r = await fetch('api/timeline.svg?since=' + encodeURIComponent(since), { credentials: 'same-origin' });
    if (!r.ok) {
      say('timeline: ' + r.status, true);
      return;
    }
    // The server escapes every text in the SVG; parsed as XML (no script runs from a parsed document).
    const doc = new DOMParser().parseFromString(await r.text(), 'image/svg+xml');
    const node = document.importNode(doc.documentElement, true);
    node.querySelectorAll('style').forEach((s) => s.remove()); // the page's style sheet covers it
    $('timeline-view').replaceChildren(node);
  }

  // ------------------------------------------------------------------ live updates

  let refreshTimer = null;
  let graphStale = false;
  function refreshSoon(withGraph) {
    // rows and graph nodes update in place at once; the page as a whole (filters, counts, groups, timeline,
    // and the graph when services came or went) at most every 2 s, however many events arrive
    graphStale = graphStale || !!withGraph;
    if (refreshTimer) return;
    refreshTimer = setTimeout(async () => {
      refreshTimer = null;
      const loads = [loadGroups().then(loadServices), loadTimeline()];
      if (graphStale) {
        graphStale = false;
        loads.push(loadGraph());
      }
      await Promise.all(loads).catch((e) => say(e.message, true));
    }, 2000);
  }

  function setLive(text, cls) {
    const live = $('live');
    live.textContent = text;
    live.className = 'live ' + (cls || '');
  }

  let polling = null;
  function poll() {
    if (polling) return;
    setLive('polling every 2 s', 'polling');
    polling = setInterval(() => {
      Promise.all([loadGroups().then(loadServices), loadTimeline(), loadGraph()]).catch((e) => say(e.message, true));
    }, 2000);
  }

  function connect() {
    if (!window.EventSource) {
      poll();
      return;
    }
    let errors = 0;
    const es = new EventSource('api/events');
    es.addEventListener('hello', () => {
      errors = 0;
      setLive('live', 'on');
    });
    es.addEventListener('services', (e) => {
      const data = JSON.parse(e.data);
      data.services.forEach(updateRow);
      refreshSoon(data.removed.length > 0 || data.services.some((s) => !graph.nodes.has(s.name) && !graph.focus));
    });
    es.addEventListener('reload', () => refreshSoon(true));
    es.onerror = () => {
      errors++;
      setLive('reconnecting', '');
      if (errors > 3) {
        es.close();
        poll(); // the stream keeps failing (a proxy that buffers it, too many clients): poll the JSON instead
      }
    };
  }

  // ------------------------------------------------------------------ control

  async function act(target, name, action) {
    const what = target === 'all' ? 'every service' : target + ' ' + (name === '' ? '(root group)' : name);
    if (action === 'stop' && !window.confirm('Stop ' + what + '?')) return;
    const body = new URLSearchParams({ target, name, action });
    const r = await fetch('api/control', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'X-CSRF-Token': session.csrf, 'Content-Type': 'application/x-www-form-urlencoded' }, body,
    });
    const data = await r.json().catch(() => ({}));
    if (r.ok) say(action + ' ' + what + ': ' + (r.status === 202 ? 'under way' : 'done'));
    else say(action + ' ' + what + ': ' + (data.error || r.status), true);
  }

  document.addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (!b) return;
    if (b.dataset.all) act('all', '', b.dataset.all);
    else if (b.dataset.action && b.dataset.kind === 'service') act('service', b.closest('tr').dataset.name, b.dataset.action);
    else if (b.dataset.action && b.dataset.kind === 'group') act('group', b.closest('tr').dataset.group, b.dataset.action);
    else if (b.dataset.focus !== undefined) focusOn(b.dataset.focus);
  });
  $('graph-view').addEventListener('click', (e) => {
    const g = e.target.closest('g.node');
    if (g && !g.classList.contains('ghost')) focusOn(g.getAttribute('data-name'));
  });

  function focusOn(name) {
    graph.focus = name;
    $('g-focus').value = name;
    loadGraph();
  }

  $('g-show').addEventListener('click', () => focusOn($('g-focus').value));
  $('g-all').addEventListener('click', () => focusOn(''));
  $('t-since').addEventListener('change', loadTimeline);
  $('filters').addEventListener('submit', (e) => e.preventDefault());
  for (const id of ['f-failed', 'f-group']) $(id).addEventListener('change', () => { view.offset = 0; loadServices(); });
  let typing = null;
  $('f-name').addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => { view.offset = 0; loadServices(); }, 250);
  });
  $('prev').addEventListener('click', () => { view.offset = Math.max(0, view.offset - view.limit); loadServices(); });
  $('next').addEventListener('click', () => { view.offset += view.limit; loadServices(); });

  // ------------------------------------------------------------------ start

  (async function start() {
    try {
      session = await getJson('api/session');
      document.body.classList.toggle('admin', session.admin);
      $('who').textContent = session.user ? session.user + (session.admin ? ' (admin)' : ' (read-only)') : 'read-only';
      await loadGroups();
      await Promise.all([loadServices(), loadGraph(), loadTimeline()]);
      document.body.setAttribute('data-ready', 'true');
    } catch (e) {
      say(e.message, true);
    }
    connect();
  })();
})();
