// One HQ (seeded with demo members) behind a cutting proxy for a describe block: started before its
// tests, stopped after them, with a scratch folder for the terminals' files.
import { afterAll, beforeAll } from 'vitest';
import { tempDir } from '../helpers/demoDb';
import { seedHq, startTestHq, type Backend, type TestHq } from '../hq/harness';
import { startCutProxy, type CutProxy } from './cutProxy';

export interface HqBehindProxy {
  hq: TestHq;
  proxy: CutProxy;
  dir: string;
}

export function useHqBehindCutProxy(backend: Backend, prefix: string, members: number): HqBehindProxy {
  const tmp = tempDir(prefix);
  const env = { dir: tmp.dir } as HqBehindProxy;
  beforeAll(async () => {
    env.hq = await startTestHq(backend);
    await seedHq(env.hq, tmp.dir, members);
    env.proxy = await startCutProxy(Number(new URL(env.hq.url).port));
  }, 60_000);
  afterAll(async () => {
    await env.proxy?.close();
    await env.hq?.stop();
    tmp.cleanup();
  });
  return env;
}
