import { runImagingBench } from './imaging/run';

// `npm run bench:imaging [-- --quick]`: one JSON line per figure on stdout, notes on stderr.
// Chromium at /usr/bin/chromium (or CHROMIUM_PATH) for the figures measured in the page.
const quick = process.argv.includes('--quick');
const started = performance.now();
await runImagingBench({
  quick,
  emit: (line) => process.stdout.write(`${JSON.stringify(line)}\n`),
  note: (text) => process.stderr.write(`# ${text}\n`),
});
process.stderr.write(`# done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
// The host's worker threads and handles are closed; anything left (a timer of a library) must not keep the CLI alive.
process.exit(0);
