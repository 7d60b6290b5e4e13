// End-to-end test of the kplan browser app in headless Chromium (Debian's), driven by playwright-core.
//
// BASE_URL: where dist/ is served (a local static server); KPLAN: the `kplan` binary, run in the
// same test to compare its numbers with the page's; SCREENSHOT_DIR: where each view's screenshot goes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:8080/';
const KPLAN = process.env.KPLAN ?? path.join(root, 'target', 'debug', 'kplan');
const SHOTS = process.env.SCREENSHOT_DIR ?? mkdtempSync(path.join(tmpdir(), 'kplan-shots-'));
const PLAN_TIMEOUT = 240_000;

let context;
let page;
const requests = [];
const consoleErrors = [];

function kplan(...args) {
  return execFileSync(KPLAN, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// `$1,428.06/month` → 142806 (cents).
function cents(text) {
  const m = /-?\$([\d,]+)\.(\d\d)/.exec(text);
  assert.ok(m, `no dollar amount in ${JSON.stringify(text)}`);
  const amount = Number(m[1].replaceAll(',', '')) * 100 + Number(m[2]);
  return m[0].startsWith('-') ? -amount : amount;
}

async function shot(name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function view(id) {
  await page.click(`#tab-${id}`);
  await page.waitForSelector(`#view-${id}`);
}

// The cost in the header once no job runs (`last plan: $X/month`).
async function idleCost() {
  const bar = page.locator('#job-idle');
  await bar.waitFor({ timeout: PLAN_TIMEOUT });
  await page.waitForFunction(() => /\$/.test(document.querySelector('#job-idle')?.textContent ?? ''), null, { timeout: PLAN_TIMEOUT });
  return bar.textContent();
}

before(async () => {
  context = await chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), 'kplan-chromium-')), {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context.on('request', (r) => requests.push(r.url()));
  page = context.pages()[0] ?? await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(BASE_URL);
  await page.waitForSelector('#example');
});

after(async () => {
  await context?.close();
  console.log(`screenshots: ${SHOTS}`);
});

test('an embedded example plans to the cent of `kplan plan --backend pure`', async () => {
  await page.selectOption('#example', 'web-shop.yaml');
  await view('plan');
  const shown = await page.locator('#plan-monthly').textContent({ timeout: PLAN_TIMEOUT });
  const cli = JSON.parse(kplan('plan', 'data/examples/web-shop.yaml', '--backend', 'pure', '--format', 'json', '--no-explain'));
  assert.equal(cents(shown), Math.round(cli.cost.monthly * 100), `page ${shown}, CLI ${cli.cost.monthly}`);
  // The bound and the saving against greedy packing are shown too, as the CLI computes them.
  assert.equal(cents(await page.locator('#plan-bound').textContent()), Math.round(cli.bound.monthly * 100));
  assert.equal(cents(await page.locator('#plan-saving').textContent()), Math.round(cli.baseline.saving_monthly * 100));
  // So is the saving against what Karpenter would launch, and Karpenter's own cost.
  assert.equal(cents(await page.locator('#plan-karpenter').textContent()),
    Math.round(cli.baseline.karpenter_saving_monthly * 100));
  const karpenterNote = await page.locator('#plan-karpenter + .card-note').textContent();
  assert.equal(cents(karpenterNote), Math.round(cli.baseline.karpenter_monthly * 100), karpenterNote);
  assert.ok(await page.locator('#pools-table tbody tr').count() >= 1);
  assert.equal(await page.locator('#figure-packing-cpu svg').count(), 1);
  await shot('plan');
});

test('a manifest with an error shows its line:column, as the CLI reports it', async () => {
  await view('workloads');
  await shot('workloads');
  const dir = mkdtempSync(path.join(tmpdir(), 'kplan-e2e-'));
  const file = path.join(dir, 'bad-deployment.yaml');
  writeFileSync(file, [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: api, namespace: shop}',
    'spec:',
    '  replicas: 3',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: app',
    '          resources:',
    '            requests: {cpu: 2 cores, memory: 1Gi}',
    '',
  ].join('\n'));
  let cliError = '';
  try {
    kplan('plan', '-f', file, '--provider', 'aws');
  } catch (e) {
    cliError = e.stderr;
  }
  const at = /bad-deployment\.yaml:(\d+):(\d+)/.exec(cliError);
  assert.ok(at, `the CLI names no location: ${cliError}`);
  assert.equal(at[1], '11');
  const before = await page.locator('#workloads-table tbody tr').count();
  await page.setInputFiles('#import-file', file);
  const error = page.locator('#import-errors li').first();
  await error.waitFor();
  const text = await error.textContent();
  assert.ok(text.includes(`bad-deployment.yaml:${at[1]}:${at[2]}:`), text);
  assert.match(text, /invalid quantity "2 cores"/);
  assert.equal(await page.locator('#workloads-table tbody tr').count(), before, 'nothing changed');
  await shot('workloads-import-error');
});

test('moving the spot-share slider re-plans with a different cost', async () => {
  await view('plan');
  const before = cents(await page.locator('#plan-monthly').textContent());
  await view('catalog');
  await page.locator('#spot-share').fill('0');
  await page.waitForFunction(() => document.querySelector('#spot-share-value')?.textContent === '0%');
  await page.waitForSelector('#job-progress', { timeout: 10_000 }).catch(() => {});
  await shot('catalog');
  await view('plan');
  await page.waitForFunction((b) => {
    const el = document.querySelector('#plan-monthly');
    const idle = document.querySelector('#job-idle');
    if (!el || !idle) return false;
    const m = /\$([\d,]+)\.(\d\d)/.exec(el.textContent);
    return m && Number(m[1].replaceAll(',', '')) * 100 + Number(m[2]) !== b;
  }, before, { timeout: PLAN_TIMEOUT });
  const after = cents(await page.locator('#plan-monthly').textContent());
  assert.ok(after > before, `no spot allowed should cost more: ${before} → ${after}`);
});

test('a reload restores the scenario', async () => {
  await page.reload();
  await page.waitForSelector('#example');
  assert.equal(await page.locator('#scenario-name').textContent(), 'web-shop');
  await view('catalog');
  assert.equal(await page.locator('#spot-share-value').textContent(), '0%');
  await idleCost();
});

test('finance: the four ways to buy, allocation, and the commitment planner', async () => {
  await view('finance');
  await page.waitForSelector('#finance-table tbody tr');
  assert.equal(await page.locator('#finance-table tbody tr').count(), 4);
  assert.ok(await page.locator('#by-namespace tbody tr').count() >= 1);
  await page.click('#commit');
  await page.waitForSelector('#commit-monthly', { timeout: PLAN_TIMEOUT });
  assert.match(await page.locator('#commit-monthly').textContent(), /\$[\d,]+\.\d\d\/month/);
  await shot('finance');
});

test('what-if: variants and sweeps side by side with their charts', async () => {
  await page.selectOption('#example', 'whatif-shop.yaml');
  await idleCost();
  await view('whatif');
  await page.click('#compare');
  await page.waitForSelector('#compare-table tbody tr', { timeout: PLAN_TIMEOUT });
  const rows = await page.locator('#compare-table tbody tr').count();
  const cli = JSON.parse(kplan('compare', 'data/examples/whatif-shop.yaml', '--backend', 'pure', '--format', 'json'));
  assert.equal(rows, cli.cases.length);
  assert.ok(await page.locator('.figures figure svg').count() >= 2);
  await shot('whatif');
});

test('the Explain panel shows the numbers of `kplan plan --format json`', async () => {
  await page.selectOption('#example', 'whatif-shop.yaml');
  await idleCost();
  await view('plan');
  await page.click('#explain-run');
  await page.locator('#explain-top').waitFor({ timeout: PLAN_TIMEOUT });
  await idleCost();
  const cli = JSON.parse(kplan('plan', 'data/examples/whatif-shop.yaml', '--backend', 'pure', '--format', 'json')).explain;
  // Where to look: the same changes in the same order, with the same savings.
  const top = await page.locator('#explain-top li').allTextContents();
  assert.equal(top.length, cli.top_changes.length);
  assert.ok(top.length >= 1);
  cli.top_changes.forEach((c, i) => {
    assert.ok(top[i].includes(c.what), `${top[i]} / ${c.what}`);
    assert.equal(cents(top[i]), Math.round(c.saving_monthly * 100), top[i]);
  });
  // The price of every policy in force, and which bind.
  const policies = page.locator('#explain-policies tbody tr');
  assert.equal(await policies.count(), cli.policies.length);
  for (const [i, p] of cli.policies.entries()) {
    const row = policies.nth(i);
    assert.equal(await row.getAttribute('data-policy'), p.policy);
    assert.equal(await row.getAttribute('data-relaxed-to'), p.relaxed_to);
    if (p.error !== undefined) {
      assert.ok((await row.locator('td').nth(6).textContent()).includes(p.error), p.policy);
      continue;
    }
    assert.equal(cents(await row.locator('td').nth(3).textContent()), Math.round(p.price_monthly * 100), p.policy);
    assert.equal(cents(await row.locator('td').nth(4).textContent()), Math.round(p.relaxed_monthly * 100), p.policy);
    assert.equal((await row.locator('td').nth(6).textContent()).startsWith('binds'), p.binds, p.policy);
  }
  // One more replica: the LP dual and, for the costliest workloads, the re-solve.
  const replicas = page.locator('#explain-replicas tbody tr');
  assert.equal(await replicas.count(), cli.marginal.workloads.length);
  for (const [i, w] of cli.marginal.workloads.entries()) {
    const row = replicas.nth(i);
    assert.equal(await row.getAttribute('data-workload'), `${w.namespace}/${w.name}`);
    if (w.dual_monthly !== null) {
      assert.equal(cents(await row.locator('td').nth(3).textContent()), Math.round(w.dual_monthly * 100), w.name);
    }
    if (w.resolved_monthly !== undefined) {
      assert.equal(cents(await row.locator('td').nth(4).textContent()), Math.round(w.resolved_monthly * 100), w.name);
    }
  }
  // One more vCPU and GiB, and a row per pool.
  const units = await page.locator('#explain-units').textContent();
  const amounts = [...units.matchAll(/\$([\d,]+)\.(\d\d)/g)].map((m) => cents(m[0]));
  assert.deepEqual(amounts.slice(0, 2), [Math.round(cli.marginal.vcpu_monthly * 100), Math.round(cli.marginal.gib_monthly * 100)]);
  assert.equal(await page.locator('#explain-drivers tbody tr').count(), cli.drivers.length);
  assert.match(await page.locator('#explain-time').textContent(), new RegExp(`^${cli.resolves} re-solves`));
  await shot('explain');
  // Later plans are not explained once it is turned off.
  await page.click('#explain-stop');
  await idleCost();
});

test('a plan in flight can be cancelled, and the next one still runs', async () => {
  await idleCost();
  await page.click('#replan');
  await page.waitForSelector('#cancel');
  await page.click('#cancel');
  await page.waitForSelector('#job-idle');
  assert.equal(await page.locator('#job-progress').count(), 0);
  await page.click('#replan');
  const text = await idleCost();
  assert.match(text, /last plan: \$[\d,]+\.\d\d\/month/);
});

test('the views are reachable from the keyboard', async () => {
  await page.focus('#tab-workloads');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#view-catalog');
  const before = await page.locator('#spot-share-value').textContent();
  await page.focus('#spot-share');
  await page.keyboard.press(before === '100%' ? 'ArrowLeft' : 'ArrowRight');
  await page.waitForFunction((b) => document.querySelector('#spot-share-value')?.textContent !== b, before);
  await idleCost();
});

test('a narrow window still shows the plan', async () => {
  await page.setViewportSize({ width: 420, height: 800 });
  await view('plan');
  await page.waitForSelector('#plan-monthly');
  await shot('plan-narrow');
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('right-sizing: usage dropped in, plans before and after to the cent of `kplan rightsize`', async () => {
  await page.selectOption('#example', 'web-shop.yaml');
  await idleCost();
  await view('rightsize');
  // A usage file with a unit error is refused with its file:line:column; nothing is added.
  const dir = mkdtempSync(path.join(tmpdir(), 'kplan-e2e-usage-'));
  const bad = path.join(dir, 'bad-usage.csv');
  writeFileSync(bad, 'timestamp,namespace,pod,container,cpu,memory\n1772582400,shop,redis-0,redis,0.1,180m\n');
  await page.setInputFiles('#usage-file', bad);
  const error = page.locator('#usage-errors li').first();
  await error.waitFor();
  assert.match(await error.textContent(), /bad-usage\.csv:2:35: error: memory 180m is 0\.18 bytes/);
  assert.equal(await page.locator('#usage-files tbody tr').count(), 0);
  // The web-shop day of samples, as a file chosen (the same path a drop takes).
  await page.setInputFiles('#usage-file', path.join(root, 'data/examples/usage/web-shop.csv'));
  await page.waitForSelector('#usage-files tbody tr');
  await page.check('#rs-allow-hpa');
  await page.click('#rightsize');
  await page.waitForSelector('#rs-after', { timeout: PLAN_TIMEOUT });
  const cli = JSON.parse(kplan('rightsize', 'data/examples/web-shop.yaml', '--usage', 'data/examples/usage/web-shop.csv',
    '--allow-hpa', '--backend', 'pure', '--format', 'json', '--quiet'));
  assert.equal(cents(await page.locator('#rs-before').textContent()), Math.round(cli.plans.before.monthly * 100));
  assert.equal(cents(await page.locator('#rs-after').textContent()), Math.round(cli.plans.after.monthly * 100));
  assert.equal(cents(await page.locator('#rs-saving').textContent()), Math.round(cli.plans.saving.monthly * 100));
  assert.equal(await page.locator('#rs-table tbody tr').count(), cli.recommendations.length);
  assert.equal(await page.locator('#rs-unmatched li').count(), cli.unmatched.length);
  assert.equal(await page.locator('#figure-rightsize-cpu svg').count(), 1);
  assert.equal(await page.locator('#figure-rightsize-memory svg').count(), 1);
  await shot('rightsize');
  // The right-sized scenario becomes the document and is planned.
  await page.click('#rs-use');
  await page.waitForSelector('#view-plan');
  assert.match(await page.locator('.source').textContent(), /right-sized\.yaml/);
  assert.match(await idleCost(), /last plan: \$[\d,]+\.\d\d\/month/);
});

// `68.1%` → 68.1.
function percent(text) {
  const m = /(-?[\d.]+)%/.exec(text);
  assert.ok(m, `no percentage in ${JSON.stringify(text)}`);
  return Number(m[1]);
}

// Drops files on an element as a browser does: a DataTransfer holding File objects.
async function dropFiles(selector, files) {
  await page.evaluate(({ selector, files }) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([f.text], f.name, { type: 'application/yaml' }));
    const zone = document.querySelector(selector);
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { selector, files });
}

// The cluster view's numbers against `kplan current --cluster`, `kplan plan --cluster` and
// `kplan diff today.json plan.json` for the same files; returns the CLI's plan and its path.
async function clusterMatchesCli(paths) {
  await page.locator('#cluster-plan-monthly').waitFor({ timeout: PLAN_TIMEOUT });
  const dir = mkdtempSync(path.join(tmpdir(), 'kplan-e2e-cluster-'));
  const todayText = kplan('current', '--cluster', ...paths, '--format', 'json');
  const planText = kplan('plan', '--cluster', ...paths, '--backend', 'pure', '--format', 'json', '--quiet', '--no-explain');
  const todayPath = path.join(dir, 'today.json');
  const planPath = path.join(dir, 'plan.json');
  writeFileSync(todayPath, todayText);
  writeFileSync(planPath, planText);
  const today = JSON.parse(todayText);
  const plan = JSON.parse(planText);
  const diff = JSON.parse(kplan('diff', todayPath, planPath, '--format', 'json'));
  const shown = async (id) => page.locator(id).textContent();
  assert.equal(cents(await shown('#cluster-today-monthly')), Math.round(today.cost.monthly * 100));
  assert.equal(cents(await shown('#cluster-plan-monthly')), Math.round(plan.cost.monthly * 100));
  assert.equal(cents(await shown('#cluster-monthly-today')), Math.round(today.cost.monthly * 100));
  assert.equal(cents(await shown('#cluster-monthly-plan')), Math.round(plan.cost.monthly * 100));
  const saving = cents(await shown('#cluster-saving'));
  const cliSaving = Math.round((today.cost.monthly - plan.cost.monthly) * 100);
  assert.ok(Math.abs(saving - cliSaving) <= 1, `page saves ${saving}, CLI ${cliSaving} (cents)`);
  assert.equal(Number(await shown('#cluster-nodes-today')), today.nodes.length);
  assert.equal(Number(await shown('#cluster-nodes-plan')), plan.nodes.length);
  assert.equal(Number(await shown('#cluster-pods-plan')), plan.totals.pods);
  for (const [id, v] of [['#cluster-cpu-today', today.totals.utilization.cpu], ['#cluster-cpu-plan', plan.totals.utilization.cpu],
    ['#cluster-memory-today', today.totals.utilization.memory], ['#cluster-memory-plan', plan.totals.utilization.memory]]) {
    const p = percent(await shown(id));
    assert.ok(Math.abs(p - 100 * v) <= 0.051, `${id}: page ${p}%, CLI ${v}`);
  }
  // Per pool, purchase option and namespace, as the CLI counts them.
  const poolNodes = await page.locator('#cluster-today-pools tbody tr td:nth-child(2)').allTextContents();
  assert.equal(poolNodes.reduce((a, t) => a + Number(t), 0), today.nodes.length, 'the node pools add up');
  const planPools = new Set(plan.nodes.map((n) => `${n.instance_type}/${n.purchase}/${n.zone}`));
  assert.equal(await page.locator('#cluster-plan-pools tbody tr').count(), planPools.size);
  assert.equal(await page.locator('#cluster-by-purchase tbody tr').count(), diff.by_purchase.length);
  assert.equal(await page.locator('#cluster-by-namespace tbody tr').count(), diff.by_namespace.length);
  for (const [i, ns] of diff.by_namespace.entries()) {
    const cells = page.locator(`#cluster-by-namespace tbody tr:nth-child(${i + 1}) td`);
    assert.equal(await cells.nth(0).textContent(), ns.name);
    assert.equal(cents(await cells.nth(1).textContent()), Math.round(ns.old * 100));
    assert.equal(cents(await cells.nth(2).textContent()), Math.round(ns.new * 100));
  }
  return { plan, planPath };
}

// Clicks an export button; returns the downloaded file's name and text.
async function download(selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const saved = await file.path();
  return { name: file.suggestedFilename(), text: readFileSync(saved, 'utf8') };
}

test("today's cluster: kubectl output dropped, today versus the plan to the cent of the CLI, exports as kplan export writes them", async () => {
  await idleCost();
  await view('cluster');
  const eks = ['nodes.yaml', 'pods.yaml'].map((f) => path.join('data/examples/cluster/eks', f));
  await dropFiles('#cluster-drop', eks.map((f) => ({ name: path.basename(f), text: readFileSync(path.join(root, f), 'utf8') })));
  // The page reads a drop's files asynchronously: wait for both rows before counting.
  await page.locator('#cluster-files tbody tr').nth(1).waitFor();
  assert.equal(await page.locator('#cluster-files tbody tr').count(), 2);
  const { plan, planPath } = await clusterMatchesCli(eks);
  assert.match(await page.locator('#cluster-warnings').textContent(), /read 2 document\(s\): 7 node\(s\)/);
  assert.ok(await page.locator('#cluster-pending li').count() >= 1, 'the pending pod is listed');
  await shot('cluster');
  // Karpenter NodePools: the bytes `kplan export` prints, YAML documents naming the plan's types.
  const karpenter = await download('#export-karpenter');
  assert.equal(karpenter.name, 'nodepools.yaml');
  assert.equal(karpenter.text, kplan('export', planPath, '--format', 'karpenter'));
  const docs = karpenter.text.split(/^---$/m).filter((d) => /^kind:/m.test(d));
  assert.ok(docs.length >= 1);
  for (const d of docs) {
    assert.match(d, /^apiVersion: karpenter\.(sh|k8s\.aws)\/v1$/m);
    assert.match(d, /^kind: (NodePool|EC2NodeClass)$/m);
    assert.doesNotMatch(d, /\t/, 'YAML is indented with spaces');
  }
  assert.ok(docs.some((d) => /^kind: NodePool$/m.test(d)));
  for (const pool of plan.pools) {
    assert.ok(karpenter.text.includes(`- ${pool.instance_type}\n`), `${pool.instance_type} not in the NodePools`);
  }
  const eksctl = await download('#export-eksctl');
  assert.equal(eksctl.text, kplan('export', planPath, '--format', 'eksctl'));
  assert.match(eksctl.text, /^kind: ClusterConfig$/m);
  // A format for another provider cannot export, and says why as the CLI does.
  assert.ok(await page.locator('#export-gke').isDisabled());
  let cliError = '';
  try {
    kplan('export', planPath, '--format', 'gke');
  } catch (e) {
    cliError = e.stderr;
  }
  const why = await page.locator('#export-gke-why').textContent();
  assert.match(why, /gke exports gcp plans; this plan is for aws/);
  assert.ok(cliError.includes('gke exports gcp plans; this plan is for aws'), cliError);

  // GKE as one file holding nodes, pods and Deployments, chosen instead of dropped.
  while (await page.locator('#cluster-files tbody tr').count() > 0) {
    await page.locator('#cluster-files tbody tr button').first().click();
  }
  const gke = ['nodes.yaml', 'pods.yaml', 'deployments.yaml'].map((f) => path.join('data/examples/cluster/gke', f));
  const dir = mkdtempSync(path.join(tmpdir(), 'kplan-e2e-gke-'));
  const both = path.join(dir, 'gke-cluster.yaml');
  writeFileSync(both, gke.map((f) => readFileSync(path.join(root, f), 'utf8')).join('\n---\n'));
  await page.setInputFiles('#cluster-file', both);
  const g = await clusterMatchesCli([both]);
  assert.equal(g.plan.provider, 'gcp');
  const terraform = await download('#export-terraform');
  assert.equal(terraform.name, 'node-pools.tf');
  assert.equal(terraform.text, kplan('export', g.planPath, '--format', 'terraform'));
  assert.match(terraform.text, /resource "google_container_node_pool"/);
  assert.ok(await page.locator('#export-eksctl').isDisabled());
  assert.match(await page.locator('#export-eksctl-why').textContent(), /eksctl exports aws plans; this plan is for gcp/);
  await shot('cluster-gke');
});

test('no request left the local server and the console has no errors', () => {
  const origin = new URL(BASE_URL).origin;
  const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(foreign, []);
  assert.ok(requests.some((u) => u.endsWith('worker_bg.wasm')), 'the worker was loaded');
  assert.deepEqual(consoleErrors, []);
});
