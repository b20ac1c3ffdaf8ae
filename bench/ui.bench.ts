import { runUiBench } from './ui/run';

// `npm run bench:ui [-- --quick]`: one JSON line per figure on stdout, notes on stderr.
// Drives Debian's Chromium (/usr/bin/chromium, or CHROMIUM_PATH) through browser mode.
const quick = process.argv.includes('--quick');
const started = performance.now();
await runUiBench({
  quick,
  emit: (line) => process.stdout.write(`${JSON.stringify(line)}\n`),
  note: (text) => process.stderr.write(`# ${text}\n`),
});
process.stderr.write(`# done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
