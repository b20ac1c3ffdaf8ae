import { runImagingBench } from './imaging/run';

// `npm run bench:imaging [-- --quick] [-- --viewer-only]`; IMAGING_BENCH_PROFILE=<dir> saves the page's CPU profiles: one JSON line per figure on stdout, notes on stderr.
// Chromium at /usr/bin/chromium (or CHROMIUM_PATH) for the figures measured in the page.
const quick = process.argv.includes('--quick');
// --viewer-only: the viewer's figures alone (no import or byte-route figures), for profiling.
const viewerOnly = process.argv.includes('--viewer-only');
const started = performance.now();
await runImagingBench({
  quick,
  viewerOnly,
  emit: (line) => process.stdout.write(`${JSON.stringify(line)}\n`),
  note: (text) => process.stderr.write(`# ${text}\n`),
});
process.stderr.write(`# done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
// The host's worker threads and handles are closed; anything left (a timer of a library) must not keep the CLI alive.
process.exit(0);
