/// <reference lib="dom" />
/* eslint-disable security/detect-non-literal-fs-filename -- temp folders and the repository's scripts, chosen here. */
// bench:ui — the UI as a practitioner meets it, in Chromium through browser mode: a
// workstation (the `npm start` launcher, a child process) on a vault holding `n` patients.
//   unlock-to-list: from pressing Enter on the unlock screen to the first patient row drawn
//   search-keystroke-p95: from a key pressed in the search field to its results drawn
//   renderer-js-heap: the page's used JS heap with the list open (after a GC)
import type { ChildProcess } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from '@playwright/test';
import { chromium } from '@playwright/test';
import { openWorkstationStore } from '../../main/src/db/workstation-store';
import { HOST_FILES } from '../../main/src/host';
import { createPatientIndex, parseSearchQuery } from '../../main/src/services/patient-index';
import { unlockVault } from '../../main/src/vault';
import { deriveKek, DEFAULT_KDF } from '../../main/src/vault/key-wrap';
import { seedWorkstation } from './seed';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const RENDERER_DIR = path.join(root, '.tmp/bench-renderer');
const PASSPHRASE = 'mesure banquise lampion orchidée';

export type BenchLine = {
  readonly bench: 'ui';
  readonly workload: string;
  readonly n: number;
  readonly unit: string;
  readonly value: number;
  readonly compare: Record<string, number>;
};

export type UiBenchOptions = {
  readonly quick: boolean;
  readonly emit: (line: BenchLine) => void;
  readonly note: (text: string) => void;
};

const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

function startLauncher(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const dropped = new Set(['LC_ALL', 'CLINIQUE_SYNC_URL', 'CLINIQUE_WORKSTATION_ID']);
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !dropped.has(name))),
    CLINIQUE_DATA_DIR: dataDir,
    LANG: 'fr_FR.UTF-8',
  };
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(root, 'scripts/start.mjs'),
      '--browser',
      '--no-sync-server',
      '--renderer-dir',
      RENDERER_DIR,
    ],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser mode not ready in 120 s: ${out}`)), 120_000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      const match = /(http:\/\/127\.0\.0\.1:\d+\/#secret=[0-9a-f]+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve({ url: match[1] as string, child });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser mode exited (${code}): ${out}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Page-side probes, as plain script text (the bench runs under tsx, whose helpers do not
 * exist in the page): `__name` for tsx's kept function names in evaluated code, and a
 * trace of every API call over the browser-mode WebSocket (channel, sent, answered), to
 * say where the time of a figure goes.
 */
const PAGE_PROBES = `
globalThis.__name = (f) => f;
globalThis.__calls = [];
const NativeWebSocket = globalThis.WebSocket;
globalThis.WebSocket = class extends NativeWebSocket {
  constructor(...args) {
    super(...args);
    const open = new Map();
    const send = this.send.bind(this);
    this.send = (data) => {
      try {
        const m = JSON.parse(data);
        if (m.type === 'call') open.set(m.id, { channel: m.channel, sent: performance.now() });
      } catch {}
      return send(data);
    };
    this.addEventListener('message', (e) => {
      try {
        const m = JSON.parse(e.data);
        const call = m.type === 'result' ? open.get(m.id) : undefined;
        if (call) { open.delete(m.id); globalThis.__calls.push({ ...call, answered: performance.now() }); }
      } catch {}
    });
  }
};
`;

type TracedCall = { readonly channel: string; readonly sent: number; readonly answered: number };

async function callsBetween(page: Page, from: number, to: number): Promise<TracedCall[]> {
  const calls = await page.evaluate(() => (globalThis as unknown as { __calls: TracedCall[] }).__calls);
  return calls.filter((c) => c.sent >= from - 1 && c.sent <= to);
}

const describeCalls = (calls: readonly TracedCall[], from: number): string =>
  calls
    .map((c) => `${c.channel} @${(c.sent - from).toFixed(0)}+${(c.answered - c.sent).toFixed(0)}`)
    .join(', ');

/** How long the first call of `channel` took (ms), NaN when there was none. */
const callMs = (calls: readonly TracedCall[], channel: string): number => {
  const call = calls.find((c) => c.channel === channel);
  return call ? call.answered - call.sent : Number.NaN;
};

declare global {
  // The page-side probes installed by this bench.
  var __bench: { t0?: number; t1?: number; pending?: Promise<number> } | undefined;
}

/**
 * In the page: the time from the unlock form's submit to the first patient row in the
 * DOM, then to the next frame (the row drawn).
 */
async function unlockToList(page: Page): Promise<number> {
  await page.getByRole('heading', { level: 1, name: 'Déverrouiller le coffre' }).waitFor();
  await page.getByLabel('Phrase secrète', { exact: true }).fill(PASSPHRASE);
  await page.evaluate(() => {
    const probe: NonNullable<typeof globalThis.__bench> = {};
    globalThis.__bench = probe;
    probe.pending = new Promise<number>((resolve) => {
      document.addEventListener('submit', () => (probe.t0 = performance.now()), {
        capture: true,
        once: true,
      });
      const observer = new MutationObserver(() => {
        if (probe.t0 === undefined || !document.querySelector('[role="option"] .patient-name')) return;
        observer.disconnect();
        requestAnimationFrame(() => resolve(performance.now() - (probe.t0 as number)));
      });
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    });
  });
  await page.keyboard.press('Enter');
  return page.evaluate(() => globalThis.__bench?.pending as Promise<number>);
}

/**
 * In the page: one key typed into the search field, and the time until its results are
 * drawn. The list keeps the previous results on screen while a query runs (aria-busy) and
 * names the query of the rows shown (data-query): done when the rows of the text now in
 * the field are there, not an earlier keystroke's, and the list is no longer busy.
 */
async function keystroke(page: Page, key: string): Promise<number> {
  await page.evaluate(() => {
    const probe: NonNullable<typeof globalThis.__bench> = {};
    globalThis.__bench = probe;
    const input = document.querySelector<HTMLInputElement>('input[role="combobox"]');
    const status = document.querySelector('.result-count');
    const list = document.querySelector<HTMLElement>('[role="listbox"]');
    if (!input || !status || !list) throw new Error('the patient list is not open');
    probe.pending = new Promise<number>((resolve) => {
      input.addEventListener('keydown', () => (probe.t0 = performance.now()), { capture: true, once: true });
      const done = (): boolean => {
        if (probe.t0 === undefined) return false;
        if (list.dataset['query'] !== input.value || list.getAttribute('aria-busy') === 'true') return false;
        const option = list.querySelector('[role="option"]');
        return option === null
          ? (status.textContent ?? '').startsWith('0 ')
          : option.querySelector('.patient-name') !== null;
      };
      const observer = new MutationObserver(() => {
        if (!done()) return;
        observer.disconnect();
        requestAnimationFrame(() => resolve(performance.now() - (probe.t0 as number)));
      });
      observer.observe(document.querySelector('main') ?? document.body, {
        childList: true,
        subtree: true,
        characterData: true,
        attributes: true,
        attributeFilter: ['data-query', 'aria-busy'],
      });
    });
  });
  await page.keyboard.press(key);
  return page.evaluate(() => globalThis.__bench?.pending as Promise<number>);
}

/** The whole list drawn again (the search field emptied): its own rows, not the previous query's kept on screen. */
const wholeListDrawn = (page: Page): Promise<void> =>
  page
    .locator('[role="listbox"][data-query=""][aria-busy="false"] [role="option"] .patient-name')
    .first()
    .waitFor();

/** Queries typed one key at a time, as at the reception desk: names (no accents typed), a birth date, a NIR. */
const QUERIES = [
  'muller',
  'helene',
  'lefevre-12',
  'dubois',
  'noel',
  'garcon',
  '12/03/19',
  'chevalier-4',
  '2 45 0',
  'zoe',
  'bernard-3',
  'fontaine',
];

async function jsHeap(page: Page): Promise<{ used: number; total: number; nodes: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name: string): number => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
  await cdp.detach();
  return { used: metric('JSHeapUsedSize'), total: metric('JSHeapTotalSize'), nodes: metric('Nodes') };
}

/**
 * Where the host's unlock goes, phase by phase, in this process on the same vault (notes,
 * not figures): the Argon2id unwrap, opening the store (its storage worker as browser mode
 * starts it from source, through tsx, and as the packaged app does, bundled by
 * build-main), the first page of the list (answered from the database while the patient
 * index loads) and the patient index itself (searches with a query wait for it).
 */
async function unlockPhases(dataDir: string, note: (text: string) => void): Promise<void> {
  const outdir = path.join(root, '.tmp/bench-main');
  await promisify(execFile)(
    process.execPath,
    [path.join(root, 'scripts/build-main.mjs'), '--outdir', outdir],
    {
      cwd: root,
      timeout: 180_000,
    },
  );
  const bundled = { url: pathToFileURL(path.join(outdir, 'storage-worker.js')), loader: 'node' as const };
  const phases: Record<string, number[]> = {
    unwrap: [],
    'store-tsx-worker': [],
    'store-bundled-worker': [],
    'first-page': [],
    'patient-index': [],
  };
  for (let i = 0; i < 6; i++) {
    const useBundled = i % 2 === 1;
    let t = performance.now();
    const vault = await unlockVault(path.join(dataDir, HOST_FILES.vault), PASSPHRASE);
    phases['unwrap']?.push(performance.now() - t);
    try {
      t = performance.now();
      const store = await openWorkstationStore(vault, useBundled ? { entry: bundled } : {});
      phases[useBundled ? 'store-bundled-worker' : 'store-tsx-worker']?.push(performance.now() - t);
      try {
        t = performance.now();
        const index = createPatientIndex(store.db);
        await index.answer(parseSearchQuery(''), 0, 100);
        phases['first-page']?.push(performance.now() - t);
        await index.ready;
        phases['patient-index']?.push(performance.now() - t);
        index.close();
      } finally {
        await store.close();
      }
    } finally {
      await vault.lock();
    }
  }
  note(
    `unlock phases in-process (median ms): ${Object.entries(phases)
      .map(([name, values]) => `${name} ${percentile(values, 50).toFixed(0)}`)
      .join(', ')}`,
  );
}

export async function runUiBench(options: UiBenchOptions): Promise<void> {
  const { emit, note } = options;
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (set CHROMIUM_PATH)`);
  const n = options.quick ? 500 : 10_000;
  const unlockRuns = options.quick ? 2 : 7;
  const queries = options.quick ? QUERIES.slice(0, 2) : QUERIES;

  await promisify(execFile)(
    process.execPath,
    [path.join(root, 'scripts/build-renderer.mjs'), '--if-stale', '--outdir', RENDERER_DIR],
    {
      cwd: root,
      timeout: 180_000,
    },
  );
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinique-bench-ui-'));
  let launcher: ChildProcess | undefined;
  let browser: Browser | undefined;
  try {
    let t = performance.now();
    await seedWorkstation({ dataDir, passphrase: PASSPHRASE, patients: n });
    note(`seeded ${n} patients in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    // The floor of any unlock: one Argon2id derivation at the product's cost.
    t = performance.now();
    await deriveKek(PASSPHRASE, { ...DEFAULT_KDF, salt: new Uint8Array(16) });
    const kdfMs = performance.now() - t;

    const started = await startLauncher(dataDir);
    launcher = started.child;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
      viewport: { width: 1280, height: 860 },
    });
    const page = await context.newPage();
    await page.addInitScript({ content: PAGE_PROBES });
    await page.goto(started.url);

    const unlocks: number[] = [];
    const unlockCalls: number[] = [];
    const firstSearches: number[] = [];
    for (let i = 0; i < unlockRuns; i++) {
      if (i > 0) {
        await page.keyboard.press('Control+Shift+L');
      }
      const ms = await unlockToList(page);
      unlocks.push(ms);
      const { t0 } = await page.evaluate(() => ({ t0: globalThis.__bench?.t0 ?? 0 }));
      const calls = await callsBetween(page, t0, t0 + ms);
      if (i > 0) {
        unlockCalls.push(callMs(calls, 'vault:unlock'));
        firstSearches.push(callMs(calls, 'patients:search'));
      }
      note(
        `unlock ${i + 1}: ${ms.toFixed(0)} ms; API calls (start+duration ms): ${describeCalls(calls, t0)}`,
      );
    }
    note(`unlock-to-list runs (ms): ${unlocks.map((x) => x.toFixed(0)).join(', ')}`);
    const later = unlocks.slice(1);
    emit({
      bench: 'ui',
      workload: 'unlock-to-list',
      n,
      unit: 'ms',
      value: round(percentile(later.length > 0 ? later : unlocks, 50)),
      // Where the time goes: the host's vault:unlock call (Argon2id, storage worker, database
      // open) and its first patients:search (answered from the database while the patient index loads).
      compare: {
        'first-unlock': round(unlocks[0] as number),
        'vault-unlock-call': round(percentile(unlockCalls, 50)),
        'first-search-call': round(percentile(firstSearches, 50)),
        'argon2id-kdf': round(kdfMs),
        target: 1500,
      },
    });

    const search = page.getByRole('combobox', { name: 'Rechercher un patient' });
    await search.focus();
    const times: number[] = [];
    const searchCalls: number[] = [];
    for (const query of queries) {
      await search.fill('');
      await wholeListDrawn(page);
      for (const ch of query) {
        const ms = await keystroke(page, ch === ' ' ? 'Space' : ch);
        times.push(ms);
        const { t0 } = await page.evaluate(() => ({ t0: globalThis.__bench?.t0 ?? 0 }));
        searchCalls.push(callMs(await callsBetween(page, t0, t0 + ms), 'patients:search'));
      }
    }
    note(
      `search keystrokes: ${times.length}, p50 ${percentile(times, 50).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`,
    );
    emit({
      bench: 'ui',
      workload: 'search-keystroke-p95',
      n,
      unit: 'ms',
      value: round(percentile(times, 95)),
      compare: {
        p50: round(percentile(times, 50)),
        max: round(Math.max(...times)),
        // The host's share: the patients:search call as the page saw it (WebSocket included).
        'search-call-p95': round(percentile(searchCalls, 95)),
        'search-call-p50': round(percentile(searchCalls, 50)),
        keystrokes: times.length,
        target: 100,
      },
    });

    await search.fill('');
    await wholeListDrawn(page);
    // Scroll through part of the list first, so the heap holds what browsing leaves behind.
    for (let i = 0; i < 20; i++) await search.press('PageDown');
    await page.getByRole('option', { selected: true }).locator('.patient-name').waitFor();
    const heap = await jsHeap(page);
    emit({
      bench: 'ui',
      workload: 'renderer-js-heap',
      n,
      unit: 'MB',
      value: round(heap.used / 1024 / 1024),
      compare: { 'js-heap-total-MB': round(heap.total / 1024 / 1024), 'dom-nodes': heap.nodes },
    });

    if (!options.quick) {
      await browser.close();
      browser = undefined;
      await stop(launcher);
      launcher = undefined;
      await unlockPhases(dataDir, note);
    }
  } finally {
    await browser?.close().catch(() => undefined);
    if (launcher) await stop(launcher);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
