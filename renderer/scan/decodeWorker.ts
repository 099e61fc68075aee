// The decode worker: QR decoding off the UI thread. Start it with
//   new Worker(new URL('./decodeWorker.ts', import.meta.url), { type: 'module' })
import { decodeFrame } from './decodeFrame';
import { isFrameRequest, type FrameResult } from './decodeProtocol';

interface WorkerScope {
  onmessage: ((e: MessageEvent<unknown>) => void) | null;
  postMessage(message: FrameResult): void;
}

const scope = globalThis as unknown as WorkerScope;

scope.onmessage = (e) => {
  if (!isFrameRequest(e.data)) return;
  const { id, width, height, data, inverted } = e.data;
  const start = performance.now();
  const text = decodeFrame({ data, width, height }, { inverted });
  scope.postMessage({ type: 'result', id, text, ms: performance.now() - start });
};
