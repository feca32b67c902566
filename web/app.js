// Custos web console (foundation). No personal data in URLs or browser storage: searches are POSTed,
// records are fetched by id, nothing is written to localStorage/sessionStorage.
const $ = (sel) => document.querySelector(sel);
let me = null;
let watermarkTimer = null;
let watermarkObserver = null;
// The server's watermark of the last page view that showed personal data (viewer, time, view code).
let watermarkLines = null;

async function api(method, path, body) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (me?.csrf && method !== 'GET') headers['x-custos-csrf'] = me.csrf;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  if (res.status === 204) return null;
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(data?.error?.message ?? res.statusText), { code: data?.error?.code, status: res.status });
  return data;
}

function say(text) { $('#message').textContent = text ?? ''; }

// ---- Watermark: tiled, semi-transparent, viewer id + name + time; re-added if removed or altered. ----
function watermarkImage(lines) {
  const canvas = document.createElement('canvas');
  canvas.width = 360; canvas.height = 200;
  const ctx = canvas.getContext('2d');
  ctx.translate(180, 100);
  ctx.rotate(-Math.PI / 8);
  ctx.font = '16px system-ui, "PingFang SC", sans-serif';
  ctx.fillStyle = 'rgba(36, 59, 83, 0.16)';
  ctx.textAlign = 'center';
  lines.forEach((line, i) => ctx.fillText(line, 0, (i - (lines.length - 1) / 2) * 22));
  return canvas.toDataURL('image/png');
}

function paintWatermark() {
  if (!me) return;
  let el = document.getElementById('custos-watermark');
  if (!el) {
    el = document.createElement('div');
    el.id = 'custos-watermark';
    el.setAttribute('aria-hidden', 'true');
    document.body.appendChild(el);
  }
  const now = new Date();
  const stamp = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')} ${now.toTimeString().slice(0, 5)}`;
  el.style.backgroundImage = `url(${watermarkImage(watermarkLines ?? [`${me.id} ${me.name}`, stamp])})`;
  el.style.display = 'block';
  el.style.opacity = '1';
}

function startWatermark() {
  paintWatermark();
  clearInterval(watermarkTimer);
  watermarkTimer = setInterval(paintWatermark, 30_000);
  watermarkObserver?.disconnect();
  watermarkObserver = new MutationObserver(() => {
    const el = document.getElementById('custos-watermark');
    if (!el || el.style.display === 'none' || el.style.opacity !== '1' || !el.style.backgroundImage) {
      watermarkObserver.disconnect();
      paintWatermark();
      watermarkObserver.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['style', 'class', 'id'] });
    }
  });
  watermarkObserver.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['style', 'class', 'id'] });
}

/** Shows the server-generated watermark of a page view (its view code names the ledger entry). */
function useWatermark(wm) {
  if (wm && Array.isArray(wm.lines)) { watermarkLines = wm.lines.map(String); paintWatermark(); }
}

function stopWatermark() {
  watermarkLines = null;
  clearInterval(watermarkTimer);
  watermarkObserver?.disconnect();
  document.getElementById('custos-watermark')?.remove();
}

// ---- Views ----
function showLoggedIn() {
  $('#login-view').hidden = true;
  $('#work-view').hidden = false;
  $('#logout').hidden = false;
  $('#who').textContent = `${me.name} (${me.id}, ${me.role})`;
  startWatermark();
}

function showLoggedOut() {
  me = null;
  stopWatermark();
  $('#login-view').hidden = false;
  $('#work-view').hidden = true;
  $('#logout').hidden = true;
  $('#who').textContent = '';
  $('#results').replaceChildren();
  $('#record').hidden = true;
}

const LABELS = { name: '姓名 Name', mobile: '手机 Mobile', id_number: '身份证 ID number', bank_card: '银行卡 Bank card', address: '地址 Address', email: '邮箱 Email', balance: '余额 Balance', employer: '单位 Employer' };

function cell(tag, text, cls) {
  const el = document.createElement(tag);
  el.textContent = text;
  if (cls) el.className = cls;
  return el;
}

function renderList(page, title) {
  useWatermark(page.watermark);
  const wrap = document.createElement('div');
  wrap.append(cell('h2', title));
  if (page.items.length === 0) { wrap.append(cell('p', '无结果 No customer you may see matches.')); $('#results').replaceChildren(wrap); return; }
  const table = document.createElement('table');
  const head = document.createElement('tr');
  ['ID', LABELS.name, LABELS.mobile, ''].forEach((h) => head.append(cell('th', h)));
  table.append(head);
  for (const item of page.items) {
    const tr = document.createElement('tr');
    tr.append(cell('td', item.id), cell('td', item.fields.name ?? ''), cell('td', item.fields.mobile ?? ''));
    const td = document.createElement('td');
    const open = cell('button', '查看 View', 'link');
    open.type = 'button';
    open.addEventListener('click', () => { void showRecord(item.id); });
    td.append(open);
    tr.append(td);
    table.append(tr);
  }
  wrap.append(table);
  $('#results').replaceChildren(wrap);
}

async function showRecord(id) {
  say('');
  try {
    const rec = await api('GET', `/api/v1/subjects/${encodeURIComponent(id)}`);
    useWatermark(rec.watermark);
    const art = $('#record');
    const table = document.createElement('table');
    for (const [k, v] of Object.entries(rec.fields)) {
      const tr = document.createElement('tr');
      const masked = rec.masked.includes(k);
      tr.append(cell('th', LABELS[k] ?? k), cell('td', String(v), masked ? 'masked' : ''), cell('td', masked ? '已脱敏 masked' : ''));
      table.append(tr);
    }
    art.replaceChildren(cell('h2', `客户 Customer ${rec.id}`), table);
    art.hidden = false;
  } catch (e) { say(`${e.code ?? ''} ${e.message}`); }
}

$('#login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  try {
    me = await api('POST', '/api/v1/session', { user: f.get('user'), password: f.get('password') });
    ev.target.reset();
    say('');
    showLoggedIn();
  } catch (e) { say(`${e.code ?? ''} ${e.message}`); }
});

$('#search-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  say('');
  $('#record').hidden = true;
  try {
    const page = await api('POST', '/api/v1/subjects/search', { [f.get('key')]: f.get('value') });
    renderList(page, '搜索结果 Search results');
  } catch (e) { say(`${e.code ?? ''} ${e.message}`); }
});

$('#assigned').addEventListener('click', async () => {
  say('');
  try { renderList(await api('GET', '/api/v1/me/assigned?limit=50'), '我的客户 My customers'); } catch (e) { say(`${e.code ?? ''} ${e.message}`); }
});

$('#logout').addEventListener('click', async () => {
  try { await api('DELETE', '/api/v1/session'); } finally { showLoggedOut(); }
});

(async () => {
  try { me = await api('GET', '/api/v1/me'); showLoggedIn(); } catch { showLoggedOut(); }
})();
