#!/usr/bin/env node
// Entry of `npm run bench`: runs the TypeScript sources through tsx's loader, as src/cli/bin.mjs does.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
