import { runStorageBench } from './storage/run';

// `npm run bench:storage [-- --quick]`: one JSON line per figure on stdout, notes on stderr.
const quick = process.argv.includes('--quick');
const started = performance.now();
await runStorageBench({
  quick,
  emit: (line) => process.stdout.write(`${JSON.stringify(line)}\n`),
  note: (text) => process.stderr.write(`# ${text}\n`),
});
process.stderr.write(`# done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
