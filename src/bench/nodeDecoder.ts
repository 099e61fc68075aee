// The camera's QR decoder (renderer/scan/decodeFrame.ts) in Node, for the bench and the tests: the
// browser fetches zxing_reader.wasm from the desk's own host; here its bytes are read from the package.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadDecoder } from '../../renderer/scan/decodeFrame';

/** The path of the reader's WebAssembly in node_modules. */
export const READER_WASM = createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');

let loaded: Promise<void> | null = null;

/** Loads the decoder once per process from the package's file. */
export function loadDecoderInNode(): Promise<void> {
  if (!loaded) {
    const bytes = readFileSync(READER_WASM);
    loaded = loadDecoder({ wasmBinary: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
  }
  return loaded;
}
