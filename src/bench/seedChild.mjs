#!/usr/bin/env node
// Runs `loyalty-desk seed …` in this process (the same main() as bin.mjs), then reports this
// process's peak RSS on stderr as one line: BENCH_MAX_RSS_KB=<n>. Used when /usr/bin/time is absent.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(['seed', ...process.argv.slice(2)]);
process.stderr.write(`BENCH_MAX_RSS_KB=${process.resourceUsage().maxRSS}\n`);
