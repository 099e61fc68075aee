// `npm run build:electron`: bundles electron/main.ts and electron/preload.ts into dist/electron/.
import { join } from 'node:path';
import { buildElectron } from '../src/host/electronBinary';

const out = await buildElectron(join(import.meta.dirname, '..'));
process.stdout.write(`${out}\n`);
