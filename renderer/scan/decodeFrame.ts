// One camera frame in, the QR code's text out (or null). Pure: no DOM, so it runs in a Web Worker,
// in Node tests and in the bench. @zxing/library's core classes only; its browser readers need the
// DOM and pause 500 ms between attempts, so the caller drives frames itself (cameraScanner.ts).
import {
  BarcodeFormat,
  BinaryBitmap,
  DecodeHintType,
  HybridBinarizer,
  InvertedLuminanceSource,
  MultiFormatReader,
  RGBLuminanceSource,
  type LuminanceSource,
} from '@zxing/library';

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

const MAX_SIDE = 4096;

let reader: MultiFormatReader | null = null;
function qrReader(): MultiFormatReader {
  if (!reader) {
    reader = new MultiFormatReader();
    const hints = new Map<DecodeHintType, unknown>([
      [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.QR_CODE]],
      [DecodeHintType.TRY_HARDER, true],
    ]);
    reader.setHints(hints);
  }
  return reader;
}

// One luminance buffer reused across frames of the same size: no garbage per frame.
let luma = new Uint8ClampedArray(0);

function luminance(frame: FrameData): Uint8ClampedArray {
  const n = frame.width * frame.height;
  if (luma.length !== n) luma = new Uint8ClampedArray(n);
  const d = frame.data;
  for (let i = 0, j = 0; i < n; i++, j += 4) luma[i] = (d[j]! + 2 * d[j + 1]! + d[j + 2]!) >> 2;
  return luma;
}

function attempt(source: LuminanceSource): string | null {
  try {
    return qrReader().decodeWithState(new BinaryBitmap(new HybridBinarizer(source))).getText();
  } catch {
    // NotFound, Checksum and Format exceptions all mean "no readable code in this frame".
    return null;
  } finally {
    qrReader().reset();
  }
}

/** Decodes the QR code in an RGBA frame; null when there is none (or the frame is not a frame). */
export function decodeFrame(frame: FrameData, options: DecodeOptions = {}): string | null {
  const { width, height, data } = frame;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 21 || height < 21) return null;
  if (width > MAX_SIDE || height > MAX_SIDE || !(data instanceof Uint8ClampedArray) || data.length !== width * height * 4) return null;
  const source = new RGBLuminanceSource(luminance(frame), width, height);
  return attempt(source) ?? (options.inverted ? attempt(new InvertedLuminanceSource(source)) : null);
}
