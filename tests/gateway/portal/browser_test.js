// The token portal in a real browser: Debian's headless Chromium driven by playwright-core.
// Starts its own jira-sample and jtgw (auth = "user") on 127.0.0.1 port 0, stops them by
// pid, and saves a screenshot of every step under --artifacts.
//
//   node browser_test.js --jtgw BIN --jira-sample BIN --modules NODE_MODULES --artifacts DIR
//
// The flow (issue 6): sign in as a sample user; create a token with a label and a date;
// take it via Copy (clipboard permissions granted); /rest/api/3/myself with it → 200;
// revoke it in the page; the same call → 401; it is gone from the list. Plus: errors next
// to their field, focus management in the dialogs, no console errors (CSP violations show
// there), and the same page in a 400 px wide window.
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const assert = require('node:assert/strict');

function args() {
  const out = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  for (const k of ['jtgw', 'jira-sample', 'modules', 'artifacts']) {
    if (!out[k]) throw new Error('missing --' + k);
  }
  return out;
}

const opts = args();
const { chromium } = require(path.join(opts.modules, 'playwright-core'));

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jtgw-portal-browser-'));
const children = [];
let step = 0;

// A child process whose stdout+stderr go to a file; resolves with the first match of
// `ready` in that output (or rejects when the child exits or 60 s pass).
function start(name, argv, ready) {
  const log = path.join(work, name + '.log');
  const fd = fs.openSync(log, 'w');
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  children.push(child);
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 60_000;
    const poll = () => {
      const text = fs.readFileSync(log, 'utf8');
      const m = text.match(ready);
      if (m) return resolve({ child, match: m, log });
      if (child.exitCode !== null) return reject(new Error(name + ' exited: ' + text));
      if (Date.now() > deadline) return reject(new Error(name + ' did not start: ' + text));
      setTimeout(poll, 100);
    };
    poll();
  });
}

function stopAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
}

async function shot(page, name) {
  step += 1;
  const file = path.join(opts.artifacts, String(step).padStart(2, '0') + '-' + name + '.png');
  // The whole page, except with a modal dialog open: its backdrop covers the viewport only.
  const modal = await page.evaluate(() => document.querySelector('dialog[open]') !== null);
  await page.screenshot({ path: file, fullPage: !modal });
  console.log('screenshot', file);
}

async function myself(base, user, token) {
  const response = await fetch(base + '/rest/api/3/myself', {
    headers: { Authorization: 'Basic ' + Buffer.from(user + ':' + token).toString('base64') },
  });
  return { status: response.status, body: await response.text() };
}

function utcDate(daysFromToday) {
  return new Date(Date.now() + daysFromToday * 86_400_000).toISOString().slice(0, 10);
}

async function activeId(page) {
  return page.evaluate(() => (document.activeElement ? document.activeElement.id : ''));
}

async function main() {
  fs.mkdirSync(opts.artifacts, { recursive: true });
  for (const f of fs.readdirSync(opts.artifacts)) if (f.endsWith('.png')) fs.rmSync(path.join(opts.artifacts, f));

  // jira-sample with a small dataset, then jtgw in front of it.
  const data = path.join(work, 'data');
  const generated = spawnSync(opts['jira-sample'], ['generate', '--issues', '20', '--seed', '7', '--out', data]);
  assert.equal(generated.status, 0, 'jira-sample generate failed: ' + generated.stderr);
  const jira = await start('jira-sample', [opts['jira-sample'], 'serve', '--data', data, '--listen', '127.0.0.1:0'],
                          /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  const config = path.join(work, 'jtgw.toml');
  fs.writeFileSync(config, [
    '[[listener]]', 'address = "127.0.0.1"', 'port = 0',
    '[store]', `path = "${path.join(work, 'store')}"`,
    '[jira]', `url = "${jira.match[1]}"`, 'flavor = "cloud"', 'auth = "user"',
    '[auth]', `seal_key_file = "${path.join(work, 'seal.key')}"`,
    '[log]', 'level = "debug"', '',
  ].join('\n'));
  const gateway = await start('jtgw', [opts.jtgw, 'serve', '--config', config], /listening on 127\.0\.0\.1:(\d+)/);
  const base = 'http://127.0.0.1:' + gateway.match[1];

  const users = JSON.parse(fs.readFileSync(path.join(data, 'users.json'), 'utf8'));
  const alice = users.find((u) => u.username === 'alice');

  const profile = fs.mkdtempSync(path.join(work, 'profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
  });
  const problems = [];
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const page = context.pages()[0] || (await context.newPage());
    // Console errors fail the test (CSP violations land there), except the browser's note
    // on API answers that are errors on purpose (401 before sign-in, 400 for a past date).
    page.on('console', (m) => {
      const expected = m.text().startsWith('Failed to load resource') && new URL(m.location().url || base).pathname.startsWith('/api/');
      if (m.type() === 'error' && !expected) problems.push('console: ' + m.text() + ' at ' + m.location().url);
    });
    page.on('pageerror', (e) => problems.push('page error: ' + e.message));

    // ---- Sign in --------------------------------------------------------------------
    await page.goto(base + '/');
    await page.getByRole('heading', { name: 'Sign in with your Jira account' }).waitFor();
    assert.equal(await activeId(page), 'username', 'the username field has focus on load');
    await shot(page, 'sign-in');

    // A wrong token: the error shows, nobody is signed in.
    await page.getByLabel('Username').fill(alice.email);
    await page.getByLabel('Jira API token / personal access token').fill('wrong-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#sign-in-error').getByText('did not accept').waitFor();
    await shot(page, 'sign-in-wrong-token');

    await page.getByLabel('Jira API token / personal access token').fill(alice.api_token);
    await page.getByLabel('Jira API token / personal access token').press('Enter');
    await page.getByRole('heading', { name: 'Access tokens' }).waitFor();
    await page.getByText('You have no access tokens yet').waitFor();
    assert.equal(await page.locator('#odata-url').textContent(), base + '/odata/');
    assert.equal(await page.locator('#tableau-user').textContent(), alice.email);
    await shot(page, 'signed-in');

    // ---- Create: errors next to their field, then a good token ------------------------
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create token' });
    await dialog.waitFor();
    assert.equal(await activeId(page), 'label', 'the dialog focuses the label');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.locator('#label-error').getByText('Enter a label').waitFor();
    await dialog.getByLabel('Label').fill('Tableau laptop');
    await dialog.getByLabel('Expiry date (UTC)').fill(utcDate(-2));
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.locator('#expires-error').getByText('before today').waitFor();
    assert.equal(await page.locator('#expires').getAttribute('aria-invalid'), 'true');
    await shot(page, 'create-past-date-error');

    const expires = utcDate(30);
    await dialog.getByLabel('Expiry date (UTC)').fill(expires);
    await shot(page, 'create-dialog');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByText('it will not be shown again').waitFor();
    assert.equal(await activeId(page), 'copy-token', 'focus moves to Copy');
    await shot(page, 'token-shown');

    // ---- Copy ------------------------------------------------------------------------
    await dialog.getByRole('button', { name: 'Copy' }).click();
    await dialog.getByText('Copied to the clipboard').waitFor();
    const token = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(token, /^jtgw_[0-9A-Za-z]{49}$/, 'the clipboard holds a token');
    await shot(page, 'token-copied');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await activeId(page), 'create-open', 'focus returns to Create token');
    assert.equal(await page.locator('#new-token').inputValue(), '', 'the token leaves the page with the dialog');

    const row = page.getByRole('row').filter({ hasText: 'Tableau laptop' });
    await row.waitFor();
    assert.ok((await row.textContent()).includes(expires), 'the list shows the expiry date');
    assert.ok((await row.textContent()).includes('never'), 'last used: never');
    await shot(page, 'token-listed');

    // ---- The token works for Tableau's requests ----------------------------------------
    const before = await myself(base, alice.email, token);
    assert.equal(before.status, 200, 'myself with the new token: ' + before.body);
    assert.equal(JSON.parse(before.body).emailAddress, alice.email);

    // ---- Revoke with confirmation -----------------------------------------------------
    await page.reload();
    await row.waitFor();
    assert.ok(!(await row.textContent()).includes('never'), 'last used is shown after use');
    await row.getByRole('button', { name: 'Revoke Tableau laptop' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke token?' });
    await confirm.waitFor();
    assert.equal(await activeId(page), 'revoke-cancel', 'the safe choice has focus');
    await shot(page, 'revoke-confirm');
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await row.waitFor({ state: 'detached' });
    await page.getByText('You have no access tokens yet').waitFor();
    await page.getByText('Revoked “Tableau laptop”.').waitFor();
    await shot(page, 'revoked');

    const after = await myself(base, alice.email, token);
    assert.equal(after.status, 401, 'myself after revoking: ' + after.body);

    // ---- A narrow window (~400 px) ----------------------------------------------------
    await page.setViewportSize({ width: 400, height: 800 });
    await page.getByRole('button', { name: 'Create token' }).click();
    await dialog.getByLabel('Label').fill('Phone: a rather long label to see how it wraps');
    await dialog.getByLabel('Expiry date (UTC)').fill(utcDate(3));
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByText('it will not be shown again').waitFor();
    await shot(page, 'narrow-token-shown');
    await dialog.getByRole('button', { name: 'Close' }).click();
    const narrowRow = page.locator('#tokens-body tr').filter({ hasText: 'Phone' });
    await narrowRow.waitFor();
    assert.ok((await narrowRow.textContent()).includes('expires soon'), 'within 5 days: expires soon');
    await shot(page, 'narrow-list');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in with your Jira account' }).waitFor();
    await page.getByText('You are signed out.').waitFor();
    await shot(page, 'narrow-signed-out');

    assert.deepEqual(problems, [], 'no console errors or CSP violations');
  } finally {
    await context.close();
  }
  console.log('portal browser test: ok');
}

main()
  .then(() => { stopAll(); fs.rmSync(work, { recursive: true, force: true }); })
  .catch((e) => {
    console.error(e);
    for (const f of ['jtgw.log', 'jira-sample.log']) {
      const log = path.join(work, f);
      if (fs.existsSync(log)) console.error('--- ' + f + ' ---\n' + fs.readFileSync(log, 'utf8').slice(-4000));
    }
    stopAll();
    process.exitCode = 1;
  });
