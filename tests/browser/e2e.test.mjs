// End-to-end tests of the tiendo web app in Debian's Chromium (playwright-core).
// Starts `tiendo demo --no-serve` on a fresh database (SQLite, or PostgreSQL when
// TIENDO_BROWSER_DATABASE is a postgres:// URL), then `tiendo serve`, and drives it as a
// reporter, the secretariat and a second browser. Screenshots go to SCREENSHOTS (if set).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { chromium } from 'playwright-core';

const bin = process.env.TIENDO_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, '.cache/tiendo-target'), 'debug/tiendo');
const shots = process.env.SCREENSHOTS;
const password = 'tiendo-demo-2024';
let server, browser, base;
// The server's log (JSON lines on stderr), the id of every answer the browsers received,
// and the browser contexts (for their session cookies).
let serverLog = '';
const requestIds = [];
const contexts = [];

function track(context) {
  contexts.push(context);
  context.on('response', (r) => {
    const id = r.headers()['x-request-id'];
    if (id && r.url().startsWith(base)) requestIds.push(id);
  });
  return context;
}

async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function waitFor(url) {
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(url)).status < 500) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start at ${url}`);
}

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiendo-e2e-'));
  const database = process.env.TIENDO_BROWSER_DATABASE ?? join(dir, 'e2e.db');
  process.env.TIENDO_EVENTS_DIR = join(dir, 'events');
  execFileSync(bin, ['--database', database, 'demo', '--no-serve', '--reports', join(dir, 'reports')], { stdio: 'ignore' });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(bin, ['--database', database, '--log-format', 'json', 'serve', '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  server.stderr.on('data', (d) => { serverLog += d; });
  await waitFor(`${base}/login`);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  if (shots) mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

async function signIn(user) {
  const context = track(await browser.newContext({ viewport: { width: 1280, height: 900 } }));
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL(`${base}/`), page.click('button[type=submit]')]);
  return page;
}

async function overdueOnOverview(page) {
  await page.goto(`${base}/?period=2024-06`);
  return Number(await page.locator('#programme-cdsqg .overdue-count').innerText());
}

test('a wrong password is refused with a Vietnamese message', async () => {
  const page = await track(await browser.newContext()).newPage();
  await page.goto(`${base}/login`);
  await page.fill('input[name=username]', 'bo-tttt');
  await page.fill('input[name=password]', 'sai mật khẩu');
  await page.click('button[type=submit]');
  await assert.doesNotReject(page.getByText('Tên đăng nhập hoặc mật khẩu không đúng.').waitFor());
});

test('a stale edit is refused and shows the other change', async () => {
  const first = await signIn('bo-tttt');
  const second = await signIn('bo-tttt');
  for (const page of [first, second]) await page.goto(`${base}/entry`);
  const save = async (page, text, after) => {
    const form = page.locator('form#entry-task-kh2024-t14');
    await form.locator('select[name=status]').selectOption('in_progress');
    await form.locator('textarea[name=result]').fill(text);
    await Promise.all([page.waitForURL(after), form.locator('button').click()]);
  };
  await save(first, 'Đang lấy ý kiến các bộ, ngành.', /\/entry\?/);
  await save(second, 'Đã gửi Bộ Tư pháp thẩm định.', /\/entry\/task$/);
  await second.getByText('Bản ghi đã được người khác thay đổi').waitFor();
  await second.getByText('Đang lấy ý kiến các bộ, ngành.').first().waitFor();
  if (shots) await second.screenshot({ path: `${shots}/conflict.png`, fullPage: true });
});

test('reporter enters a task and a value, the secretariat accepts, the overview changes', async () => {
  const leader = await signIn('lanhdao');
  const overdueBefore = await overdueOnOverview(leader);

  const reporter = await signIn('bo-tttt');
  await reporter.goto(`${base}/entry`);
  if (shots) await reporter.screenshot({ path: `${shots}/entry.png`, fullPage: true });
  const form = reporter.locator('form#entry-task-kh2024-t13');
  await form.locator('select[name=status]').selectOption('done');
  await form.locator('input[name=completed_on]').fill('2024-06-10');
  await form.locator('textarea[name=result]').fill('Đã trình Chính phủ dự thảo Nghị định ngày 10/6/2024.');
  await Promise.all([reporter.waitForURL(/\/entry\?/), form.locator('button').click()]);
  await reporter.locator('form#entry-task-kh2024-t13 .badge').waitFor();

  const value = reporter.locator('form#entry-indicator-cdsqg-attt-tan-cong');
  await value.locator('input[name=value]').fill('12');
  await Promise.all([reporter.waitForURL(/\/entry\?/), value.locator('button').click()]);
  await Promise.all([reporter.waitForURL(/\/entry\?/), reporter.locator('#submit-submission').click()]);
  assert.equal(await reporter.locator('#submission-status').innerText(), 'Đã gửi, chờ duyệt');

  const secretariat = await signIn('thuky');
  await secretariat.goto(`${base}/review?programme=cdsqg&period=2024-06`);
  if (shots) await secretariat.screenshot({ path: `${shots}/review.png`, fullPage: true });
  const submission = secretariat.locator('#submission-BTTTT');
  await Promise.all([secretariat.waitForURL(/\/review\?/), submission.locator('button.accept').click()]);
  await secretariat.locator('#submission-BTTTT').getByText('Đã chấp nhận').waitFor();

  const overdueAfter = await overdueOnOverview(leader);
  assert.equal(overdueAfter, overdueBefore - 1, 'the accepted completion removes one overdue task');
  await leader.goto(`${base}/tasks/kh2024-t13`);
  await leader.getByText('Đã trình Chính phủ dự thảo Nghị định ngày 10/6/2024.').first().waitFor();
  await leader.getByText('chấp nhận báo cáo của BTTTT').first().waitFor();
  if (shots) {
    await leader.goto(`${base}/`);
    await leader.screenshot({ path: `${shots}/overview.png` });
    await leader.goto(`${base}/tasks?programme=kh2024`);
    await leader.screenshot({ path: `${shots}/tasks.png` });
  }
});

test("a reporter cannot edit another agency's task", async () => {
  const reporter = await signIn('yen-bai');
  await reporter.goto(`${base}/entry`);
  const csrf = await reporter.locator('input[name=csrf]').first().inputValue();
  const status = await reporter.evaluate(async (token) => {
    const body = new URLSearchParams({ csrf: token, programme: 'cdsqg', period: '2024-06', task_id: 'kh2024-t13', status: 'done', completed_on: '2024-06-01', base_version: '0', item_version: '0' });
    const r = await fetch('/entry/task', { method: 'POST', body });
    return [r.status, await r.text()];
  }, csrf);
  assert.equal(status[0], 403);
  assert.match(status[1], /Chỉ được xem và nhập số liệu của cơ quan mình/);
});

test('pages render in English on request', async () => {
  const page = await signIn('lanhdao');
  await page.goto(`${base}/lang/en`);
  await page.goto(`${base}/tasks`);
  await page.getByRole('heading', { name: 'Tasks' }).waitFor();
  await page.goto(`${base}/indicators/cdsqg-dm-csdl-dp`);
  assert.equal(await page.locator('svg.map path').count(), 63);
  if (shots) await page.screenshot({ path: `${shots}/indicator-en.png`, fullPage: true });
});

test('the measured page ranks the agencies from their dossier events, best first', async () => {
  const page = await signIn('lanhdao');
  await page.getByRole('link', { name: 'Đo lường', exact: true }).click();
  await page.getByRole('heading', { name: /Bộ chỉ số QĐ 766 tháng 5\/2024/ }).waitFor();
  const rows = page.locator('table.ranking tbody tr');
  assert.ok(await rows.count() > 60, 'ministries and provinces with events are ranked');
  const totals = (await page.locator('table.ranking tbody tr td b').allInnerTexts()).map((t) => Number(t.replace('.', '').replace(',', '.')));
  assert.deepEqual(totals, [...totals].sort((a, b) => b - a), 'best total first');
  if (shots) await page.screenshot({ path: `${shots}/measured.png` });
  await page.getByRole('link', { name: 'Địa phương', exact: true }).click();
  const first = page.locator('table.ranking tbody tr').first();
  assert.equal(await first.locator('td').first().innerText(), '1');
  await first.locator('td a').click();
  await page.locator('.tile.measured').getByText(/Bộ chỉ số QĐ 766 tháng 5\/2024/).waitFor();
});

// Every page of the demo that a link leads to: programmes, tasks, agencies (today's and
// 2024's), indicators and issued editions, found by following the links of the lists.
async function demoPages(page) {
  const found = new Set();
  const collect = async (path, prefixes) => {
    await page.goto(`${base}${path}`, { waitUntil: 'domcontentloaded' });
    const hrefs = await page.$$eval('main a[href^="/"]', (links) => links.map((a) => a.getAttribute('href')));
    for (const href of hrefs) if (prefixes.some((p) => href.startsWith(p)) && !href.includes('#')) found.add(href);
  };
  await collect('/', ['/programmes/']);
  for (const path of ['/tasks', '/agencies', '/agencies?date=2025-06-30', '/reports']) await collect(path, ['/tasks/', '/agencies/', '/reports/editions/']);
  for (const programme of [...found].filter((p) => p.startsWith('/programmes/'))) await collect(programme, ['/indicators/']);
  return [...found].sort();
}

test('at a phone\'s width (390 px) no page of the demo is wider than the screen, for every role', async () => {
  const lists = ['/', '/tasks', '/tasks?status=overdue', '/agencies', '/agencies?date=2025-06-30', '/measured', '/measured?scope=provinces', '/reports', '/review', '/entry',
    '/reports/settings?programme=cdsqg', '/narratives?programme=kh2024&period=2024-05', '/urge?programme=cdsqg&period=2024-06&as_of=2024-07-15',
    '/history?entity=task_updates&key=kh2024-t03%7C2024-05', '/indicators/mh2025-diem-766?period=2025-H1&sort=value'];
  const sweeper = await signIn('thuky');
  const details = await demoPages(sweeper);
  const kinds = ['/programmes/', '/tasks/', '/agencies/', '/indicators/'];
  for (const kind of kinds) assert.ok(details.some((p) => p.startsWith(kind)), `the demo links to ${kind}…`);
  assert.ok(details.length > 300, `${details.length} pages found`);
  const wide = [];
  let seen = 0;
  const measure = async (page, user, paths) => {
    for (const path of paths) {
      await page.goto(`${base}${path}`, { waitUntil: 'domcontentloaded' });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      seen += 1;
      if (width > 390) wide.push(`${user} ${path}: ${width} px`);
    }
  };
  // Every role opens every page of the demo, the roles side by side. On PostgreSQL (the
  // same pages from the other store) every role opens the lists, every programme and the
  // first pages of each other kind.
  const full = !process.env.TIENDO_BROWSER_DATABASE;
  const sample = details.filter((p) => p.startsWith('/programmes/') || p.startsWith('/reports/'));
  for (const kind of kinds.slice(1)) sample.push(...details.filter((p) => p.startsWith(kind)).slice(0, 8));
  await sweeper.setViewportSize({ width: 390, height: 844 });
  const others = await Promise.all(['quantri', 'bo-tttt', 'yen-bai', 'lanhdao'].map(async (user) => [user, await signIn(user)]));
  await Promise.all([['thuky', sweeper], ...others].map(async ([user, page]) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await measure(page, user, [...lists, ...(full || user === 'thuky' ? details : sample)]);
  }));
  assert.deepEqual(wide, [], `pages wider than a phone, of ${seen}`);
});

test('on a phone the task filters fold into a panel that says what it holds', async () => {
  const page = await signIn('lanhdao');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/tasks`);
  const panel = page.locator('details.filter-panel');
  assert.equal(await panel.getAttribute('open'), null, 'folded at first');
  assert.equal(await page.locator('select[name=status]').isVisible(), false);
  await panel.locator('summary').click();
  await page.locator('select[name=status]').selectOption('overdue');
  await page.locator('select[name=programme]').selectOption('kh2024');
  await Promise.all([page.waitForURL(/status=overdue/), page.locator('details.filter-panel button').click()]);
  assert.match(await panel.locator('summary').innerText(), /Bộ lọc: .*Quá hạn/);
  const statuses = await page.locator('table.tasks tbody .badge').allInnerTexts();
  assert.ok(statuses.length > 0 && statuses.every((s) => s === 'Quá hạn'), statuses.join(', '));
  if (shots) await page.screenshot({ path: `${shots}/tasks-filters-390.png`, fullPage: false });
});

test('the reports page downloads DOCX and PDF and shows the HTML report styled', async () => {
  const page = await signIn('thuky');
  await page.goto(`${base}/reports`);
  for (const [format, magic] of [['docx', 'PK'], ['pdf', '%PDF-'], ['xlsx', 'PK']]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`a[data-format=${format}]`).first().click()]);
    assert.match(download.suggestedFilename(), new RegExp(`\\.${format}$`));
    assert.equal(readFileSync(await download.path()).subarray(0, magic.length).toString('latin1'), magic, `a real ${format} file`);
  }
  await Promise.all([page.waitForURL(/format=html/), page.locator('a[data-format=html]').first().click()]);
  const style = await page.evaluate(() => ({
    font: getComputedStyle(document.body).fontFamily,
    align: getComputedStyle(document.body).textAlign,
    collapse: getComputedStyle(document.querySelector('table')).borderCollapse,
  }));
  assert.match(style.font, /Times New Roman/, 'the report stylesheet applies under the app\'s policy');
  assert.equal(style.align, 'justify');
  assert.equal(style.collapse, 'collapse');
  if (shots) await page.screenshot({ path: `${shots}/report-html.png` });
});

test('every answer of this run is logged once, and no password or session id is', async () => {
  await new Promise((r) => setTimeout(r, 300));
  const lines = serverLog.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const logged = new Map();
  for (const l of lines.filter((l) => l.target === 'tiendo::request')) logged.set(l.fields.request_id, (logged.get(l.fields.request_id) ?? 0) + 1);
  assert.ok(requestIds.length > 20, `${requestIds.length} answers seen`);
  for (const id of requestIds) assert.equal(logged.get(id), 1, `answer ${id} is logged once`);
  const secrets = [password, 'sai mật khẩu'];
  for (const c of contexts) for (const cookie of await c.cookies()) if (cookie.value.length > 8) secrets.push(cookie.value);
  for (const secret of secrets) assert.ok(!serverLog.includes(secret), 'no password or session id in the log');
  assert.ok(lines.some((l) => l.target === 'tiendo::security' && l.fields.event === 'sign_in_failed'), 'the wrong password is a security event');
});
