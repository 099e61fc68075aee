// `npm run bench`: the benchmark's own entry (not a `loyalty-desk` command, so no product module
// imports src/bench). Same flags and output as the former `loyalty-desk bench`: --members N,
// --only AREAS, --quick, --keep, --db FILE | --data DIR; progress on stderr, one JSON line on stdout;
// exit 0 on success, 2 on refused input, 1 on failure.
import { DeskError } from '../contract/errors';
import { createTranslator, DEFAULT_LANG, isLang } from '../i18n';
import { parseFlags } from '../cli/args';
import type { CliIo } from '../cli/command';
import { runBench } from './run';

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  now: () => Date.now(),
};

const STRINGS = ['db', 'data', 'lang', 'now', 'members', 'only'] as const;
const BOOLEANS = ['quick', 'keep'] as const;

export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  let tr = createTranslator(DEFAULT_LANG);
  try {
    const { flags } = parseFlags(argv, STRINGS, BOOLEANS);
    if (flags.lang !== undefined) {
      if (typeof flags.lang !== 'string' || !isLang(flags.lang)) throw new DeskError('INVALID_INPUT', { detailKey: 'flag.lang' });
      tr = createTranslator(flags.lang);
    }
    const value = await runBench(flags, io.err);
    io.out(JSON.stringify({ ok: true, ...value }));
    return 0;
  } catch (err) {
    if (err instanceof DeskError) {
      io.out(JSON.stringify({ ok: false, error: { code: err.code, message: tr.error(err.code, err.params), params: err.params } }));
      return 2;
    }
    const detail = err instanceof Error ? err.message : String(err);
    io.out(JSON.stringify({ ok: false, error: { code: 'INTERNAL', message: tr.error('INTERNAL', { detail }) } }));
    io.err(err instanceof Error && err.stack ? err.stack : detail);
    return 1;
  }
}
