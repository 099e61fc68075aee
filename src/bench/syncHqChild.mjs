#!/usr/bin/env node
// The sync bench's HQ in its own process (forked by syncHq.ts): loads the TypeScript sources
// through tsx (benchmarks run from source), then seeds and serves until the parent asks it to close.
import { register } from 'tsx/esm/api';

register();
const { runBenchHqChild } = await import('./syncHq.ts');
await runBenchHqChild(process.argv.slice(2));
