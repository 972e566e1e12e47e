// Symphonet dashboard: one overlay's ring, live from the collector's event stream. No libraries.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const R = 380;               // ring radius in the 1000x1000 view box
const state = { overlay: null, view: null, selected: null, stream: null, events: [] };

const $ = (id) => document.getElementById(id);

function el(name, attrs, parent) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

function html(tag, text, parent, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  if (cls) e.className = cls;
  if (parent) parent.appendChild(e);
  return e;
}

const short = (id) => id.slice(0, 8);
const localpart = (jid) => (jid || '').split('@')[0];

function bytes(n) {
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + u[i];
}

function ago(ms) {
  if (!ms) return '-';
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  return s < 120 ? s + ' s ago' : s < 7200 ? Math.round(s / 60) + ' min ago' : Math.round(s / 3600) + ' h ago';
}

function duration(s) {
  return s < 120 ? s + ' s' : s < 7200 ? Math.round(s / 60) + ' min' : s < 172800 ? Math.round(s / 3600) + ' h' : Math.round(s / 86400) + ' d';
}

// ---- the ring ----

function positions(nodes) {
  const pos = new Map();
  nodes.forEach((n, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, nodes.length);
    pos.set(n.id, { x: R * Math.cos(a), y: R * Math.sin(a), a });
  });
  return pos;
}

function chord(p, q) {
  // A curve through a point between the chord's middle and the centre: neighbours stay close to
  // the rim, long shortcuts bend inwards, and no chord hides another through the centre.
  const mx = (p.x + q.x) / 2, my = (p.y + q.y) / 2;
  return `M ${p.x.toFixed(1)} ${p.y.toFixed(1)} Q ${(mx * 0.35).toFixed(1)} ${(my * 0.35).toFixed(1)} ${q.x.toFixed(1)} ${q.y.toFixed(1)}`;
}

function render() {
  const v = state.view;
  const svg = $('ring');
  svg.replaceChildren();
  $('empty').hidden = !!(v && v.nodes.length);
  if (!v) { $('summary').textContent = ''; return; }
  const pos = positions(v.nodes);
  el('circle', { cx: 0, cy: 0, r: R, class: 'ring-guide' }, svg);
  const linkLayer = el('g', { id: 'links' }, svg);
  for (const l of v.links) {
    const p = pos.get(l.a), q = pos.get(l.b);
    if (!p || !q) continue;
    const type = l.state === 'up' && l.type ? l.type : 'none';
    const path = el('path', {
      d: chord(p, q), class: `link k-${l.kind} t-${type}`,
      'data-a': l.a, 'data-b': l.b, 'data-kind': l.kind, 'data-type': l.type || '', 'data-state': l.state,
    }, linkLayer);
    el('title', {}, path).textContent = `${short(l.a)} → ${short(l.b)}: ${l.kind}, ${l.type || 'negotiating'}, ${l.state}` +
      (l.rttMillis >= 0 ? `, RTT ${l.rttMillis.toFixed(1)} ms` : '') + `, ${bytes(l.bytesAtoB)} → / ← ${bytes(l.bytesBtoA)}`;
  }
  const nodeLayer = el('g', { id: 'nodes' }, svg);
  for (const n of v.nodes) {
    const p = pos.get(n.id);
    const g = el('g', { class: `node ${n.state}` + (n.id === state.selected ? ' selected' : ''),
      'data-id': n.id, 'data-state': n.state, transform: `translate(${p.x.toFixed(1)} ${p.y.toFixed(1)})`, tabindex: 0 }, nodeLayer);
    el('circle', { r: 16 }, g);
    // Labels sit outside the ring, on the side the node is.
    const out = 34, lx = out * Math.cos(p.a), ly = out * Math.sin(p.a);
    const anchor = Math.abs(Math.cos(p.a)) < 0.3 ? 'middle' : Math.cos(p.a) > 0 ? 'start' : 'end';
    // Two label lines: above the node on the upper part of the ring, below it on the lower part.
    const top = Math.sin(p.a) < -0.3 ? ly - 20 : Math.sin(p.a) > 0.3 ? ly + 12 : ly;
    const t = el('text', { x: lx.toFixed(1), y: (top + 6).toFixed(1), 'text-anchor': anchor }, g);
    t.textContent = short(n.id);
    if (n.jid) {
      const s = el('text', { x: lx.toFixed(1), y: (top + 26).toFixed(1), 'text-anchor': anchor, class: 'sub' }, g);
      s.textContent = localpart(n.jid) + (n.state === 'offline' ? ' (offline)' : '');
    }
    el('title', {}, g).textContent = `${n.id} ${n.state}`;
    g.addEventListener('click', () => select(n.id));
    g.addEventListener('keydown', (e) => { if (e.key === 'Enter') select(n.id); });
  }
  const online = v.nodes.filter((n) => n.state === 'online').length;
  const up = v.links.filter((l) => l.state === 'up').length;
  $('summary').textContent = `${online} of ${v.nodes.length} nodes online · ${up} links up`;
  if (state.selected) details();
}

// ---- node details ----

function select(id) {
  state.selected = id;
  render();
}

function details() {
  const box = $('details');
  const v = state.view;
  const n = v && v.nodes.find((x) => x.id === state.selected);
  box.replaceChildren();
  html('h2', 'Node', box);
  if (!n) { html('p', 'That node is no longer in this overlay.', box, 'hint'); return; }
  box.dataset.node = n.id;
  const dl = html('dl', null, box);
  const row = (k, val) => { html('dt', k, dl); html('dd', val, dl); };
  row('ID', n.id);
  row('state', n.state);
  if (n.state !== 'unreported') {
    row('XMPP', (n.jid || '-') + (n.xmppConnected ? '' : ' (disconnected)'));
    row('version', n.version);
    row('last report', ago(n.lastSeenMillis));
    row('uptime', duration(n.uptimeSeconds));
    row('members seen', n.members);
    row('ring', n.ringGap ? 'GAP: misses a member' : 'whole');
    row('leaf MACs', n.leafMacs);
  } else {
    row('note', 'known from its peers only; it does not report to this collector');
  }
  const links = v.links.filter((l) => l.a === n.id || l.b === n.id);
  html('h2', `Links (${links.length})`, box);
  const table = html('table', null, box);
  const head = html('tr', null, table);
  for (const h of ['peer', 'kind', 'type', 'state', 'RTT', 'out', 'in', 'age']) html('th', h, head);
  for (const l of links) {
    const peer = l.a === n.id ? l.b : l.a;
    const out = l.a === n.id ? l.bytesAtoB : l.bytesBtoA;
    const inn = l.a === n.id ? l.bytesBtoA : l.bytesAtoB;
    const tr = html('tr', null, table);
    const cells = [short(peer), l.kind, l.type || '-', l.state, l.rttMillis >= 0 ? l.rttMillis.toFixed(1) + ' ms' : '-',
      bytes(out), bytes(inn), duration(l.ageSeconds)];
    cells.forEach((c, i) => html('td', c, tr, i === 2 && l.type ? 't-' + l.type : undefined));
  }
  const counters = Object.entries(n.counters || {});
  if (counters.length) {
    html('h2', 'Switch counters', box);
    const t = html('table', null, box, 'counters');
    for (const [k, val] of counters) {
      const tr = html('tr', null, t);
      html('td', k.replace(/_/g, ' '), tr);
      html('td', String(val), tr);
    }
  }
}

// ---- events ----

function showEvents() {
  const list = $('events');
  list.replaceChildren();
  for (const e of state.events.slice(-60).reverse()) {
    const li = html('li', null, list, 'ev-' + e.kind);
    const t = html('time', new Date(e.time).toLocaleTimeString(), li);
    t.setAttribute('datetime', new Date(e.time).toISOString());
    li.appendChild(document.createTextNode(`${e.kind} ${short(e.node)}` + (e.peer ? ` ↔ ${short(e.peer)}` : '') +
      (e.detail ? ` (${e.detail})` : '')));
  }
}

async function loadEvents(overlay) {
  try {
    const r = await fetch('/api/v1/events?limit=60&overlay=' + encodeURIComponent(overlay));
    if (r.ok && state.overlay === overlay) { state.events = await r.json(); showEvents(); }
  } catch (e) { /* the stream will bring new ones */ }
}

// ---- overlay selection and the live stream ----

function fillSelector(overlays) {
  const sel = $('overlay');
  const current = [...sel.options].map((o) => o.value).join('\n');
  if (current !== overlays.join('\n')) {
    sel.replaceChildren();
    for (const o of overlays) html('option', o, sel).value = o;
  }
  sel.value = state.overlay;
}

function watch(overlay) {
  if (state.stream) state.stream.close();
  state.overlay = overlay;
  state.view = null;
  $('overlay').value = overlay;
  state.events = [];
  history.replaceState(null, '', '#overlay=' + encodeURIComponent(overlay));
  loadEvents(overlay);
  const live = $('live');
  const es = new EventSource('/api/v1/stream?overlay=' + encodeURIComponent(overlay));
  state.stream = es;
  es.addEventListener('open', () => { live.textContent = 'live'; live.className = 'live on'; });
  es.addEventListener('error', () => { live.textContent = 'reconnecting'; live.className = 'live off'; });
  es.addEventListener('view', (m) => {
    const msg = JSON.parse(m.data);
    fillSelector(msg.overlays.includes(overlay) ? msg.overlays : msg.overlays.concat([overlay]));
    state.view = msg.view;
    render();
  });
  es.addEventListener('event', (m) => {
    state.events.push(JSON.parse(m.data));
    if (state.events.length > 200) state.events.splice(0, state.events.length - 200);
    showEvents();
  });
}

async function start() {
  $('overlay').addEventListener('change', (e) => { state.selected = null; watch(e.target.value); });
  const wanted = decodeURIComponent((location.hash.match(/overlay=([^&]+)/) || [])[1] || '');
  for (;;) {
    try {
      const r = await fetch('/api/v1/overlays');
      const list = r.ok ? (await r.json()).map((o) => o.id) : [];
      if (list.length) {
        fillSelector(list);
        watch(list.includes(wanted) ? wanted : list[0]);
        return;
      }
      $('empty').hidden = false;
      $('live').textContent = 'waiting for reports';
    } catch (e) {
      $('live').textContent = 'collector unreachable';
    }
    await new Promise((ok) => setTimeout(ok, 2000));
  }
}

start();
