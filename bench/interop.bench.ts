import { runInteropBench } from './interop/run';

// `npm run bench:interop [-- --quick]`: one JSON line per figure on stdout, notes (machine load) on stderr.
const quick = process.argv.includes('--quick');
const started = performance.now();
await runInteropBench({
  quick,
  emit: (line) => process.stdout.write(`${JSON.stringify(line)}\n`),
  note: (text) => process.stderr.write(`# ${text}\n`),
});
process.stderr.write(`# done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
// The storage worker and its handles are closed; a library timer left behind must not keep the CLI alive.
process.exit(0);
