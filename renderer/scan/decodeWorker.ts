// The decode worker: QR decoding off the UI thread. Start it with
//   new Worker(new URL('./decodeWorker.ts', import.meta.url), { type: 'module' })
// The reader's WebAssembly is a file of this build, served by the same host as the page (vite's
// ?url import copies it into assets/), and is compiled as soon as the worker starts, while the camera
// is still opening. Compiling it needs 'wasm-unsafe-eval' in the CSP (src/host/security.ts).
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import { decodeFrame, loadDecoder } from './decodeFrame';
import { isFrameRequest, type DecoderFailure, type DecoderReady, type FrameResult } from './decodeProtocol';

interface WorkerScope {
  onmessage: ((e: MessageEvent<unknown>) => void) | null;
  postMessage(message: FrameResult | DecoderFailure | DecoderReady): void;
}

const scope = globalThis as unknown as WorkerScope;
const detailOf = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

let failed = false;
function fail(err: unknown): void {
  if (failed) return;
  failed = true;
  scope.postMessage({ type: 'failed', detail: detailOf(err) });
}

const ready = loadDecoder({ wasmUrl: new URL(wasmUrl, import.meta.url).href });
ready.then(() => scope.postMessage({ type: 'ready' }), fail);

scope.onmessage = (e) => {
  if (!isFrameRequest(e.data) || failed) return;
  const { id, width, height, data, inverted } = e.data;
  const start = performance.now();
  decodeFrame({ data, width, height }, { inverted }).then(
    (text) => scope.postMessage({ type: 'result', id, text, ms: performance.now() - start }),
    fail,
  );
};
