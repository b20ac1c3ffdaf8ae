/// <reference lib="dom" />
/* eslint-disable security/detect-non-literal-fs-filename -- temp folders chosen here. */
// bench:imaging — DICOM import and image bytes as a practitioner meets them.
//   import-files-per-s / import-mb-per-s: a 300-file folder of 512×512 16-bit CT slices
//     (made with the project's DICOM writer) imported through the host's imaging:import-start
//     channel into a fresh vault (real DICOM worker thread, SQLCipher storage worker).
//     Baseline: reading and hashing the same files (what any import must do at least).
//   first-image-bytes: in Chromium through browser mode, from the request to the bytes of one
//     512×512 16-bit slice read out of the vault (the byte route the viewer's image loader
//     uses). The viewer's decode and draw are not part of it until that code exists: see
//     the notes printed on stderr.
//   stack-fetch-fps: the same for the 100 slices of a series one after another, as a stack
//     scroll fetches them: slices per second (an upper bound of the scroll fps from the
//     byte route alone).
//   first-image: the app in Chromium (renderer build, browser mode, the host in this
//     process): from the click on the series in the record's imaging tab to the first image
//     drawn by the viewer (Cornerstone's image-rendered event): bytes from the vault, decode, draw.
//   stack-scroll-cold-fps: then ArrowDown through the 100-slice series, one key per image drawn,
//     from the moment the first image shows: every slice is fetched and decoded on demand (the
//     prefetcher cannot get ahead of a key per draw), so it is a loading throughput.
//   stack-scroll-loaded-fps: once the whole series is in Cornerstone's cache (the viewport's
//     data-cached-count), back to the first image and ArrowDown through the 100 slices again,
//     one key per image drawn: the scroll and cine rate a radiologist gets on a series already
//     loaded (the figure the 30 fps target is about).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import type { Browser } from '@playwright/test';
import { chromium } from '@playwright/test';
import { writeImage } from '../../shared/src/dicom/test-support/writer';
import { computeNirKey, luhnCheckDigit } from '../../shared/src/identifiers';
import { INS_OID } from '../../shared/src/identifiers/ins';
import { startBrowserMode } from '../../main/src/browser-mode/server';
import type { Host } from '../../main/src/host';
import { createHost } from '../../main/src/host';
import { MIN_KDF } from '../../main/src/vault';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export type BenchLine = {
  readonly bench: 'imaging';
  readonly workload: string;
  readonly n: number;
  readonly unit: string;
  readonly value: number;
  readonly compare: Record<string, number>;
  /** What the figure is, when the workload name alone is ambiguous (the two scroll figures). */
  readonly note?: string;
};

export type ImagingBenchOptions = {
  readonly quick: boolean;
  /** Only the viewer's stack (no 300-file import figures): for profiling the viewer path. */
  readonly viewerOnly?: boolean;
  readonly emit: (line: BenchLine) => void;
  readonly note: (text: string) => void;
};

const round = (x: number, digits = 1): number => Number(x.toFixed(digits));
const median = (values: readonly number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : (s[Math.floor((s.length - 1) / 2)] as number);
};
const load1 = (): number => round(os.loadavg()[0] ?? 0, 2);

const RPPS = `1000000000${luhnCheckDigit('1000000000')}`;
const INS = ((f: string) => `${f}${String(computeNirKey(f)).padStart(2, '0')}`)('1550575115042');
const uid = (n: number | string): string => `1.2.826.0.1.3680043.10.12.${n}`;

type Call = <T>(channel: string, request: unknown) => Promise<T>;
function caller(host: Host): Call {
  return async <T>(channel: string, request: unknown): Promise<T> => {
    const env = await host.dispatch(channel, request);
    if (!env.ok) throw new Error(`${channel}: ${env.error.code}`);
    return env.value as T;
  };
}

/** One series of `count` 512×512 16-bit CT slices written to `folder`; returns the total bytes. */
export function writeSeries(folder: string, study: number, count: number, size = 512, seriesNumber = 1): number {
  fs.mkdirSync(folder, { recursive: true });
  let bytes = 0;
  for (let i = 1; i <= count; i++) {
    const file = writeImage({
      patientName: 'Morel^Yves',
      patientId: INS,
      issuerOfPatientId: INS_OID.NIR,
      birthDate: '19550505',
      studyInstanceUid: uid(study),
      seriesInstanceUid: uid(`${study}.1`),
      sopInstanceUid: uid(`${study}.1.${i}`),
      instanceNumber: i,
      seriesNumber,
      seriesDescription: `Coupes axiales ${seriesNumber}`,
      imagePosition: [-200, -200, i * 1.25],
      rows: size,
      columns: size,
    });
    fs.writeFileSync(path.join(folder, `IM${String(i).padStart(4, '0')}`), file);
    bytes += file.byteLength;
  }
  return bytes;
}

async function importFolder(call: Call, folder: string, patientId: string): Promise<{ ms: number; state: string; imported: number }> {
  const t0 = performance.now();
  const { importId } = await call<{ importId: string }>('imaging:import-start', { paths: [folder], patientId });
  for (;;) {
    const status = await call<{ state: string; files: { status: string }[] }>('imaging:import-status', { importId });
    if (status.state !== 'scanning' && status.state !== 'importing') {
      return { ms: performance.now() - t0, state: status.state, imported: status.files.filter((f) => f.status === 'imported').length };
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Runs in the page (a string: the bundler's helpers do not exist there). The secret comes
 * from the fragment, as the WebSocket transport reads it, and goes in a header.
 */
const PAGE_FETCH = `(async () => {
  const list = __PATHS__;
  const secret = new URLSearchParams(location.hash.slice(1)).get('secret') || '';
  const one = async (p) => {
    const t = performance.now();
    const res = await fetch(p, { headers: { Authorization: 'Bearer ' + secret }, cache: 'no-store' });
    if (!res.ok) throw new Error('status ' + res.status);
    const bytes = await res.arrayBuffer();
    if (bytes.byteLength < 512 * 512 * 2) throw new Error('short file');
    return performance.now() - t;
  };
  const first = await one(list[0]);
  const again = [];
  for (let i = 0; i < 5; i++) again.push(await one(list[(i * 7) % list.length]));
  const s0 = performance.now();
  for (const p of list) await one(p);
  return { first, again, stackMs: performance.now() - s0 };
})()`;

const RENDERER_DIR = path.join(ROOT, '.tmp/bench-renderer');

/**
 * In the page, before the click: the time of the click (pointerdown, capture phase) and of
 * every image Cornerstone draws (its non-bubbling cornerstoneimagerendered event, seen in
 * the capture phase on the document).
 */
const VIEWER_PROBES = `(() => {
  const b = (globalThis.__imgBench = { click: 0, renders: [] });
  document.addEventListener('pointerdown', () => { if (!b.click) b.click = performance.now(); }, true);
  document.addEventListener('cornerstoneimagerendered', () => b.renders.push(performance.now()), true);
})()`;

/**
 * Scrolls the stack with ArrowDown on the viewport, one key per drawn image: from the first
 * key to the last image drawn. A key is sent once the previous image is on the canvas, as a
 * user holding the key would see it (key repeat is faster than any render here).
 */
const SCROLL = `(async () => {
  const b = globalThis.__imgBench;
  const vp = document.querySelector('[role="application"][data-image-index]');
  vp.focus();
  const count = __COUNT__;
  const next = (n) => new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no render after key ' + n)), 30000);
    const seen = b.renders.length;
    const check = () => { if (b.renders.length > seen) { clearTimeout(t); resolve(); } else requestAnimationFrame(check); };
    vp.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', code: 'ArrowDown', bubbles: true, cancelable: true }));
    check();
  });
  const t0 = performance.now();
  for (let i = 1; i < count; i++) await next(i);
  return { ms: performance.now() - t0, index: Number(vp.getAttribute('data-image-index')) };
})()`;

/** User + system CPU of every process descended from this one (Linux /proc; NaN elsewhere), in ms. */
function childrenCpuMs(): number {
  if (process.platform !== 'linux') return Number.NaN;
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let text: string;
    try {
      text = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    // Fields after the command (which may hold spaces), from ")": state ppid … utime(14) stime(15).
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    stats.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
  }
  let ticks = 0;
  for (const [pid, st] of stats) {
    for (let p = st.ppid, hops = 0; p > 1 && hops < 16; p = stats.get(p)?.ppid ?? 0, hops++) {
      if (p === process.pid) {
        if (pid !== process.pid) ticks += st.ticks;
        break;
      }
    }
  }
  // USER_HZ is 100 on Linux.
  return ticks * 10;
}

async function viewerFigures(
  browser: Browser,
  host: Host,
  url: string,
  patientId: string,
  studyId: string,
  count: number,
  emit: (line: BenchLine) => void,
  note: (text: string) => void,
): Promise<void> {
  void host;
  void patientId;
  const page = await browser.newPage();
  // CPU time rather than wall time (the machine is shared): Chromium's processes (renderer,
  // GPU/compositor, network: every process below this one, from /proc) and this process
  // (host, storage and DICOM workers, HTTP server; Playwright's share is small).
  const cdp = await page.context().newCDPSession(page);
  const profileDir = process.env['IMAGING_BENCH_PROFILE'];
  if (profileDir) await cdp.send('Profiler.enable');
  const cpu = async (): Promise<{ page: number; host: number }> => {
    const u = process.cpuUsage();
    return { page: childrenCpuMs(), host: (u.user + u.system) / 1000 };
  };
  const saveProfile = async (name: string): Promise<void> => {
    if (!profileDir) return;
    const { profile } = await cdp.send('Profiler.stop');
    fs.mkdirSync(profileDir, { recursive: true });
    fs.writeFileSync(path.join(profileDir, `${name}.cpuprofile`), JSON.stringify(profile));
  };
  await page.addInitScript({ content: VIEWER_PROBES });
  await page.goto(url);
  await page.getByRole('heading', { level: 1, name: 'Patients' }).waitFor({ timeout: 60_000 });
  const search = page.getByRole('combobox', { name: 'Rechercher un patient' });
  await search.fill('morel');
  await page.getByRole('listbox', { name: 'Résultats de la recherche' }).getByRole('option').first().waitFor();
  await search.press('Enter');
  await page.getByRole('heading', { level: 1, name: /MOREL/ }).waitFor();
  await page.getByRole('tab', { name: 'Imagerie' }).click();
  const button = page.locator(`#${`imaging-open-${studyId}-${uid('2.1')}`.replace(/\./g, '-')}`);
  await button.waitFor();
  // Let the page settle (the record's other tabs) so the CPU counted below is the viewer's.
  await new Promise((r) => setTimeout(r, 1000));
  if (profileDir) await cdp.send('Profiler.start');
  // The probe keeps the first pointerdown: the search and the tab were clicked before, so it
  // starts again here (before this, the figure ran from the click on the imaging tab).
  await page.evaluate('globalThis.__imgBench.click = 0; globalThis.__imgBench.renders.length = 0');
  const c0 = await cpu();
  await button.click();
  await page.waitForFunction(() => (globalThis as unknown as { __imgBench: { renders: number[] } }).__imgBench.renders.length > 0, undefined, { timeout: 60_000 });
  const c1 = await cpu();
  await saveProfile('first-image');
  const first = (await page.evaluate('globalThis.__imgBench.renders[0] - globalThis.__imgBench.click')) as number;
  // Where the wall time goes (resource timing of the first byte-route fetch after the click):
  // click → fetch start (React mount of the viewer, Cornerstone enable) → first byte (host:
  // vault read and audit) → last byte → image drawn (parse, decode, draw).
  const phases = (await page.evaluate(`(() => {
    const b = globalThis.__imgBench;
    const r = performance.getEntriesByType('resource').find((e) => e.name.includes('/imaging/') && e.startTime >= b.click);
    const mark = (n) => { const m = performance.getEntriesByName('imaging-viewer:' + n).filter((e) => e.startTime >= b.click).at(0); return m ? m.startTime - b.click : NaN; };
    const loaded = performance.getEntriesByName('imaging-viewer:loaded').filter((e) => e.startTime >= b.click).at(0);
    // Anything else fetched for the first image (a lazy chunk, a codec's wasm) would show here.
    const others = performance.getEntriesByType('resource').filter((e) => e.startTime >= b.click && e.startTime <= b.renders[0] && !e.name.includes('/imaging/')).length;
    return r ? { otherResources: others, mounted: mark('mounted'), fetchStart: r.startTime - b.click, firstByte: r.responseStart - b.click, lastByte: r.responseEnd - b.click,
      loaded: mark('loaded'), loaderMs: loaded && loaded.detail ? loaded.detail.loaderMs : NaN, displayed: mark('displayed'), drawn: b.renders[0] - b.click } : null;
  })()`)) as Record<string, number> | null;
  if (phases) {
    note(
      `viewer: first image phases, ms from the click: ${Object.entries(phases)
        .map(([k, v]) => `${k} ${v.toFixed(1)}`)
        .join(', ')} (loaderMs: the loader's fetch+parse+decode)`,
    );
  }
  const load = load1();
  const firstCpu = { page: c1.page - c0.page, host: c1.host - c0.host };
  note(
    `viewer: click to first image drawn ${first.toFixed(1)} ms (512×512 16-bit CT from the vault, decoded and drawn by the viewer); ` +
      `CPU Chromium ${firstCpu.page.toFixed(0)} ms + host ${firstCpu.host.toFixed(0)} ms (up to the render seen, prefetch started by then included); load ${load}`,
  );
  emit({
    bench: 'imaging',
    workload: 'first-image',
    n: 1,
    unit: 'ms',
    value: round(first),
    compare: { target: 150, 'chromium-cpu-ms': round(firstCpu.page), 'host-cpu-ms': round(firstCpu.host), 'load-avg-1m': load },
  });
  // Let the viewer settle (overlays, prefetch if any) before scrolling.
  await new Promise((r) => setTimeout(r, 500));
  const scrollFigure = async (
    workload: string,
    profile: string,
    text: string,
  ): Promise<void> => {
    if (profileDir) await cdp.send('Profiler.start');
    const c2 = await cpu();
    const scroll = (await page.evaluate(SCROLL.replace('__COUNT__', String(count)))) as { ms: number; index: number };
    const c3 = await cpu();
    await saveProfile(profile);
    const fps = (count - 1) / (scroll.ms / 1000);
    const loadScroll = load1();
    const perSlice = { page: (c3.page - c2.page) / (count - 1), host: (c3.host - c2.host) / (count - 1) };
    note(
      `viewer, ${text}: ${count - 1} slices scrolled in ${scroll.ms.toFixed(0)} ms (ended on image index ${scroll.index}); ` +
        `CPU per slice: Chromium ${perSlice.page.toFixed(1)} ms + host ${perSlice.host.toFixed(1)} ms; load ${loadScroll}`,
    );
    emit({
      bench: 'imaging',
      workload,
      n: count,
      unit: 'fps',
      value: round(fps),
      compare: { target: 30, 'chromium-cpu-ms-per-slice': round(perSlice.page), 'host-cpu-ms-per-slice': round(perSlice.host), 'load-avg-1m': loadScroll },
      note: text,
    });
  };
  await scrollFigure('stack-scroll-cold-fps', 'scroll-cold', 'cold scroll, images loaded on demand (fetch + decode of each slice as it is reached)');
  // The series loaded: every image of the stack decoded in Cornerstone's cache, then from the first image again.
  const viewport = page.locator('[role="application"][data-image-index]');
  await page.waitForFunction(
    (n) => Number(document.querySelector('[role="application"][data-image-index]')?.getAttribute('data-cached-count')) >= n,
    count,
    { timeout: 120_000 },
  );
  await viewport.press('Home');
  await page.waitForFunction(() => document.querySelector('[role="application"][data-image-index]')?.getAttribute('data-shown-index') === '0', undefined, { timeout: 30_000 });
  await new Promise((r) => setTimeout(r, 500));
  await scrollFigure('stack-scroll-loaded-fps', 'scroll-loaded', 'scroll, series loaded (all slices in the viewer cache: the scroll and cine rate)');
  await page.close();
}

export async function runImagingBench(options: ImagingBenchOptions): Promise<void> {
  const { emit, note } = options;
  const files = options.viewerOnly ? 0 : options.quick ? 20 : 300;
  const stack = options.quick ? 10 : 100;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-imaging-'));
  let host: Host | undefined;
  let browser: Browser | undefined;
  try {
    note(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} at start`);
    const folder = path.join(work, 'media', 'ct');
    const totalBytes = writeSeries(folder, 1, files);
    const stackFolder = path.join(work, 'media', 'stack');
    writeSeries(stackFolder, 2, stack, 512, 2);
    note(`series written: ${files} files, ${(totalBytes / 1e6).toFixed(1)} MB (512×512 16-bit CT, explicit VR LE)`);

    // Baseline: read and hash every file (the floor of an import that checks what it stores).
    const names = fs.readdirSync(folder);
    const b0 = performance.now();
    for (const n of names) createHash('sha256').update(fs.readFileSync(path.join(folder, n))).digest();
    const baselineMs = performance.now() - b0;

    host = createHost({ dataDir: path.join(work, 'data'), mode: 'browser', kdf: MIN_KDF });
    const call = caller(host);
    await call('vault:create', { passphrase: 'mesure banquise lampion orchidée' });
    await call('profile:setup-offline', { displayName: 'Dr Bench', rpps: RPPS });
    const { patient } = await call<{ patient: { id: string } }>('patients:save', {
      draft: { birthName: 'Morel', firstNames: ['Yves'], birthDate: '1955-05-05', sex: 'M', nir: INS, identityStatus: 'PROV', contact: { addressLines: [], phones: [] } },
    });
    if (files > 0) {
      const loadBefore = load1();
      const imported = await importFolder(call, folder, patient.id);
      if (imported.state !== 'done' || imported.imported !== files) throw new Error(`import ended ${imported.state} with ${imported.imported}/${files} files`);
      const seconds = imported.ms / 1000;
      const loadAfter = load1();
      note(`import: ${imported.ms.toFixed(0)} ms for ${files} files; read+sha256 alone ${baselineMs.toFixed(0)} ms; load ${loadBefore} → ${loadAfter}`);
      emit({
        bench: 'imaging',
        workload: 'import-files-per-s',
        n: files,
        unit: 'files/s',
        value: round(files / seconds),
        compare: { 'read-sha256': round(files / (baselineMs / 1000)), 'load-avg-1m': loadAfter },
      });
      emit({
        bench: 'imaging',
        workload: 'import-mb-per-s',
        n: files,
        unit: 'MB/s',
        value: round(totalBytes / 1e6 / seconds),
        compare: { 'read-sha256': round(totalBytes / 1e6 / (baselineMs / 1000)), 'load-avg-1m': loadAfter },
      });
    }

    const stackImport = await importFolder(call, stackFolder, patient.id);
    if (stackImport.state !== 'done') throw new Error(`stack import ended ${stackImport.state}`);
    const studies = await call<{ studies: { id: string; studyInstanceUid: string }[] }>('imaging:studies', { patientId: patient.id });
    const stackStudy = studies.studies.find((s) => s.studyInstanceUid === uid(2));
    if (!stackStudy) throw new Error('stack study not found');

    if (!fs.existsSync(CHROMIUM)) {
      note(`no Chromium at ${CHROMIUM}: first-image-bytes and stack-fetch-fps not measured`);
      return;
    }
    // The real renderer build (as bench:ui): the byte route's figures need only the origin, the viewer's the app.
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-renderer.mjs'), '--if-stale', '--outdir', RENDERER_DIR], { stdio: ['ignore', 'ignore', 'inherit'] });
    const server = await startBrowserMode({ host, rendererDir: RENDERER_DIR });
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      if (!options.viewerOnly) {
        const page = await browser.newPage();
        await page.goto(server.url);
        const paths = Array.from({ length: stack }, (_, i) => `/imaging/${stackStudy.id}/${uid(`2.1.${i + 1}`)}`);
        // In the page: the secret from the fragment, as the WebSocket transport reads it, in a header.
        const timings = (await page.evaluate(PAGE_FETCH.replace('__PATHS__', JSON.stringify(paths)))) as { first: number; again: number[]; stackMs: number };
        const load = load1();
        note(`first bytes ${timings.first.toFixed(1)} ms (first read of the study: audited), then ${timings.again.map((x) => x.toFixed(1)).join(', ')} ms; load ${load}`);
        emit({
          bench: 'imaging',
          workload: 'first-image-bytes',
          n: 1,
          unit: 'ms',
          value: round(timings.first),
          compare: { 'later-reads-median': round(median(timings.again)), target: 150, 'load-avg-1m': load },
        });
        emit({
          bench: 'imaging',
          workload: 'stack-fetch-fps',
          n: stack,
          unit: 'fps',
          value: round(stack / (timings.stackMs / 1000)),
          compare: { target: 30, 'load-avg-1m': load1() },
        });
        await page.close();
      }
      await viewerFigures(browser, host, server.url, patient.id, stackStudy.id, stack, emit, note);
    } finally {
      await server.close();
    }
  } finally {
    await browser?.close().catch(() => undefined);
    await host?.close().catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  }
}
