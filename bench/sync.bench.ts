import { runSyncBench } from './sync-run';

// `npm run bench:sync [-- --quick] [-- --engine=sqlite|postgres] [-- --initial-only=N]`: one JSON line per figure on stdout, notes on stderr.
const quick = process.argv.includes('--quick');
const engine = process.argv.find((a) => a.startsWith('--engine='))?.slice('--engine='.length);
if (engine !== undefined && engine !== 'sqlite' && engine !== 'postgres') throw new Error(`--engine=sqlite|postgres, not ${engine}`);
const initialOnly = process.argv.find((a) => a.startsWith('--initial-only='))?.slice('--initial-only='.length);
const started = performance.now();
await runSyncBench({
  quick,
  ...(engine ? { engines: [engine] } : {}),
  ...(initialOnly ? { initialOnly: Number(initialOnly) } : {}),
  emit: (line) => process.stdout.write(`${JSON.stringify(line)}\n`),
  note: (text) => process.stderr.write(`# ${text}\n`),
});
process.stderr.write(`# done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
