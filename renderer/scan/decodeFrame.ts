// One camera frame in, the QR code's text out (or null). No DOM, so it runs in a Web Worker, in Node
// tests and in the bench. The reader is zxing-cpp compiled to WebAssembly (zxing-wasm): @zxing/library's
// finder search missed 2–4 % of perfect upright codes in one frame and most small tilted ones, where
// zxing-cpp read them all, in about half the time (docs/scan.md, "Camera").
//
// The WebAssembly module is loaded once by loadDecoder, from our own host (a URL the bundler gave
// the worker) or from bytes (Node). zxing-wasm's default would fetch it from a CDN: the stores are
// offline and the CSP allows 'self' only, so decodeFrame refuses to run before loadDecoder.
import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';

/** The fields of an ImageData that decoding needs (RGBA, 4 bytes a pixel). */
export interface FrameData {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

export interface DecodeOptions {
  /** Also read light-on-dark codes (phones in dark mode); costs a second pass when nothing is found. */
  inverted?: boolean;
}

/** Where the zxing_reader.wasm comes from: a URL on this host (browser) or its bytes (Node). */
export type DecoderSource = { wasmUrl: string } | { wasmBinary: ArrayBuffer };

const MAX_SIDE = 4096;

let ready: Promise<void> | null = null;

/**
 * Compiles the reader; rejects when the file cannot be fetched or compiled (a missing asset, a CSP
 * without 'wasm-unsafe-eval'), so the camera can say it cannot scan rather than stay silent.
 */
export function loadDecoder(source: DecoderSource): Promise<void> {
  // Every file the module asks for is named by us, so nothing is ever looked up on the default CDN.
  const locateFile = 'wasmUrl' in source ? () => source.wasmUrl : (path: string) => path;
  const overrides = 'wasmBinary' in source ? { locateFile, wasmBinary: source.wasmBinary } : { locateFile };
  ready = prepareZXingModule({ overrides, fireImmediately: true }).then(() => undefined);
  return ready;
}

const READ: ReaderOptions = { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 1, tryInvert: false };
const READ_INVERTED: ReaderOptions = { ...READ, tryInvert: true };

/**
 * Decodes the QR code in an RGBA frame; null when there is none (or the frame is not a frame).
 * Rejects when the decoder was never loaded or failed to load: that is not "no code in sight".
 */
export async function decodeFrame(frame: FrameData, options: DecodeOptions = {}): Promise<string | null> {
  if (!ready) throw new Error('loadDecoder was not called');
  await ready;
  const { width, height, data } = frame;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 21 || height < 21) return null;
  if (width > MAX_SIDE || height > MAX_SIDE || !(data instanceof Uint8ClampedArray) || data.length !== width * height * 4) return null;
  // zxing-wasm reads any {data, width, height} as pixels; it takes the grey level itself.
  const found = await readBarcodes({ data, width, height, colorSpace: 'srgb' } as ImageData, options.inverted ? READ_INVERTED : READ);
  const first = found[0];
  return first?.isValid && first.text !== '' ? first.text : null;
}
