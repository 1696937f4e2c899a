// Shoal's local console: plain DOM over the native API (/v1) and the launcher's /local routes.
// No framework and no build step; every value goes into the page as text, never as HTML.
'use strict';

// Every refresh describes each queue, and those counts are DynamoDB reads the usage meter bills:
// refresh every 2 s while the page is in view, not at all while it is hidden.
const REFRESH_MS = 2000;
const $ = (id) => document.getElementById(id);
let current = null;          // the queue whose page is open, or null for the list
let pendingConfirm = null;   // the action the confirmation bar will run

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : {};
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${json.code || ''} ${json.message || text}`);
  return json;
}

function cell(row, text, cls) {
  const td = row.insertCell();
  td.textContent = text === undefined || text === null ? '' : String(text);
  if (cls) td.className = cls;
  return td;
}

function showError(e) {
  const p = $('error');
  p.hidden = !e;
  p.textContent = e ? String(e.message || e) : '';
}

function usd(v) {
  return '$' + (v < 0.01 && v > 0 ? v.toFixed(6) : v.toFixed(4));
}

const UNIT_MS = { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 };

// The API writes ages as "220408ms" or "41s"; people read "3m 40s".
function age(text) {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text || '');
  if (!m) return text || '-';
  const ms = Number(m[1]) * UNIT_MS[m[2]];
  const s = Math.floor(ms / 1000);
  if (ms < 1000) return `${ms}ms`;
  if (s < 60) return `${(ms / 1000).toFixed(1)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor(s / 60) % 60}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor(s / 3600) % 24}h`;
}

function perSecond(series, bucketSeconds) {
  // the last full bucket: the current one is still filling
  return series.length < 2 ? 0 : series[series.length - 2] / bucketSeconds;
}

function sparkline(rates) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  const w = 120, h = 24;
  svg.setAttribute('class', 'spark');
  svg.setAttribute('width', w);
  svg.setAttribute('height', h);
  if (!rates) return svg;
  const max = Math.max(1, ...rates.produced, ...rates.acked);
  for (const kind of ['produced', 'acked']) {
    const s = rates[kind];
    const points = s.map((v, i) => `${(i * w / (s.length - 1)).toFixed(1)},${(h - 1 - v * (h - 2) / max).toFixed(1)}`);
    const line = document.createElementNS(ns, 'polyline');
    line.setAttribute('class', kind);
    line.setAttribute('points', points.join(' '));
    svg.appendChild(line);
  }
  return svg;
}

async function refreshUsage() {
  const u = await api('GET', '/local/usage');
  $('usage-total').textContent = usd(u.usd.total);
  $('usage-s3').textContent = usd(u.usd.s3);
  $('usage-dynamodb').textContent = usd(u.usd.dynamodb);
  $('usage-sqs').textContent = `${usd(u.sqs.usd)} (${u.sqs.requests} requests)`;
}

async function refreshQueues() {
  const [list, rates] = await Promise.all([api('GET', '/v1/queues'), api('GET', '/local/rates')]);
  const queues = await Promise.all(list.queues.map((q) => api('GET', `/v1/queues/${encodeURIComponent(q)}`)));
  const body = $('queues').tBodies[0];
  body.replaceChildren();
  for (const q of queues) {
    const row = body.insertRow();
    row.dataset.queue = q.name;
    const link = document.createElement('a');
    link.href = `#/queue/${encodeURIComponent(q.name)}`;
    link.textContent = q.name;
    cell(row, '').appendChild(link);
    cell(row, q.settings.fifo ? 'FIFO' : 'standard');
    cell(row, q.stats.visible, 'num depth');
    cell(row, q.stats.inFlight, 'num in-flight');
    cell(row, q.stats.delayed, 'num delayed');
    cell(row, age(q.stats.oldestUnackedAge), 'num oldest');
    const r = rates.queues[q.name];
    cell(row, r ? perSecond(r.produced, rates.bucketSeconds).toFixed(1) : '0.0', 'num produced');
    cell(row, r ? perSecond(r.acked, rates.bucketSeconds).toFixed(1) : '0.0', 'num acked');
    cell(row, '').appendChild(sparkline(r));
  }
  $('no-queues').hidden = queues.length > 0;
}

async function refreshQueue(name) {
  const path = `/v1/queues/${encodeURIComponent(name)}`;
  const [q, subs] = await Promise.all([api('GET', path), api('GET', `${path}/subscriptions`)]);
  const s = q.settings;
  $('queue-summary').textContent = `${s.fifo ? 'FIFO' : 'standard'} · ${s.partitions} partition(s) · retention ${s.retention}`
      + ` · visibility ${s.visibilityTimeout}` + (s.deadLetter ? ` · dead letters to ${s.deadLetter.queue} after ${s.deadLetter.maxReceiveCount}` : '');
  $('peek-partition').max = s.partitions - 1;
  const body = $('subscriptions').tBodies[0];
  body.replaceChildren();
  const select = $('seek-subscription');
  const chosen = select.value;
  select.replaceChildren();
  for (const sub of subs.subscriptions) {
    const row = body.insertRow();
    row.dataset.subscription = sub.name;
    cell(row, sub.name);
    cell(row, sub.stats.visible, 'num depth');
    cell(row, sub.stats.inFlight, 'num');
    cell(row, sub.stats.delayed, 'num');
    cell(row, age(sub.stats.oldestUnackedAge), 'num');
    cell(row, sub.settings.deadLetter ? sub.settings.deadLetter.queue : '-');
    select.add(new Option(sub.name, sub.name, false, sub.name === chosen));
  }
}

async function peek() {
  const params = new URLSearchParams({ partition: $('peek-partition').value || '0', max: $('peek-max').value || '10' });
  if ($('peek-offset').value !== '') params.set('offset', $('peek-offset').value);
  const page = await api('GET', `/v1/queues/${encodeURIComponent(current)}/messages?${params}`);
  const body = $('peeked').tBodies[0];
  body.replaceChildren();
  for (const m of page.messages) {
    const row = body.insertRow();
    row.dataset.id = m.id;
    cell(row, m.id);
    cell(row, m.body !== undefined ? m.body : `(base64) ${m.bodyBase64}`, 'body');
    const attributes = Object.entries(m.attributes || {}).map(([k, a]) => `${k}=${a.value !== undefined ? a.value : a.valueBase64}`);
    cell(row, attributes.join(', '), 'attributes');
    cell(row, m.groupId || '');
    cell(row, m.sentAt);
  }
  $('peek-status').textContent = `partition ${page.partition}: offsets ${page.startOffset} to ${page.endOffset - 1} retained; `
      + (page.messages.length ? `next page from ${page.nextOffset}` : 'nothing here');
  if (page.messages.length) $('peek-offset').value = page.nextOffset;
}

async function seek() {
  const to = $('seek-to').value, value = $('seek-value').value.trim();
  const body = to === 'time' ? { time: value } : to === 'offset' ? { offsets: { 0: Number(value) } } : { to };
  const sub = $('seek-subscription').value || 'default';
  const q = encodeURIComponent(current);
  await api('POST', sub === 'default' ? `/v1/queues/${q}/seek` : `/v1/queues/${q}/subscriptions/${encodeURIComponent(sub)}/seek`, body);
  status(`subscription ${sub} moved to ${to}${value && (to === 'time' || to === 'offset') ? ' ' + value : ''}`);
}

async function redrive() {
  const target = $('redrive-target').value.trim();
  let moved = 0, remaining = true;
  while (remaining) {
    const r = await api('POST', `/v1/queues/${encodeURIComponent(current)}/redrive`, target ? { targetQueue: target } : {});
    moved += r.moved;
    remaining = r.remaining && r.moved > 0;
    status(`redrive: moved ${moved}${remaining ? ', continuing...' : ''}`);
  }
  status(`redrive done: moved ${moved} message(s)`);
}

async function purge() {
  await api('POST', `/v1/queues/${encodeURIComponent(current)}/purge`);
  status(`purged ${current}`);
}

function status(text) {
  $('operation-status').textContent = text;
}

function confirmThen(text, action) {
  $('confirm-text').textContent = text;
  $('confirm').hidden = false;
  pendingConfirm = action;
}

function guarded(action) {
  return async (event) => {
    if (event) event.preventDefault();
    try {
      showError(null);
      await action();
      await refresh();
    } catch (e) {
      showError(e);
    }
  };
}

async function refresh() {
  const tasks = [refreshUsage()];
  tasks.push(current === null ? refreshQueues() : refreshQueue(current));
  await Promise.all(tasks);
}

function route() {
  const m = location.hash.match(/^#\/queue\/(.+)$/);
  const next = m ? decodeURIComponent(m[1]) : null;
  if (next !== current) {
    $('peeked').tBodies[0].replaceChildren();
    $('peek-status').textContent = '';
    $('peek-offset').value = '';
    status('');
    $('confirm').hidden = true;
  }
  current = next;
  $('queues-page').hidden = current !== null;
  $('queue-page').hidden = current === null;
  $('queue-name').textContent = current || '';
  document.title = current ? `${current} · Shoal console` : 'Shoal console';
  guarded(async () => {})();
}

$('peek-form').addEventListener('submit', guarded(peek));
$('seek-form').addEventListener('submit', guarded(seek));
$('redrive').addEventListener('click', () => confirmThen(`Move the dead letters of ${current} back${$('redrive-target').value ? ' to ' + $('redrive-target').value : ' to their source queues'}?`, redrive));
$('purge').addEventListener('click', () => confirmThen(`Drop every message of ${current}, for every subscription? This cannot be undone.`, purge));
$('confirm-no').addEventListener('click', () => { $('confirm').hidden = true; pendingConfirm = null; });
$('confirm-yes').addEventListener('click', () => {
  const action = pendingConfirm;
  $('confirm').hidden = true;
  pendingConfirm = null;
  if (action) guarded(action)();
});
window.addEventListener('hashchange', route);
route();
setInterval(() => { if (!document.hidden) refresh().catch(showError); }, REFRESH_MS);
