// Camera frames with a QR code in them, made the hard way a camera makes them: the code drawn by
// the `qrcode` package, turned, blurred, noisy, low in contrast, in a 640×480 frame. For tests of the
// decoder end to end and for the bench; never used at the desk.
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { mulberry32 } from './prng';

export interface GrayImage {
  width: number;
  height: number;
  /** One byte a pixel, 0 black … 255 white. */
  gray: Uint8Array;
}

export interface RgbaFrame {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export interface FrameOptions {
  width?: number;
  height?: number;
  /** Rotation of the code in degrees (any angle). */
  angleDeg?: number;
  /** Where the code's centre lands, as a fraction of the frame (0.5 = middle). */
  at?: [number, number];
  /** Box-blur radius in pixels, applied twice (close to a Gaussian). */
  blur?: number;
  /** Standard deviation of added Gaussian noise, in grey levels. */
  noise?: number;
  /** Ink and paper grey levels: a phone screen or a worn card is far from 0 and 255. */
  ink?: number;
  paper?: number;
  seed?: number;
}

/** The code as a PNG, exactly as `qrcode` writes it (margin 4, `scale` pixels a module). */
export function qrPng(text: string, scale: number): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale });
}

export function pngToGray(png: Buffer): GrayImage {
  const img = PNG.sync.read(png);
  const gray = new Uint8Array(img.width * img.height);
  for (let i = 0; i < gray.length; i++) gray[i] = (img.data[i * 4]! + 2 * img.data[i * 4 + 1]! + img.data[i * 4 + 2]!) >> 2;
  return { width: img.width, height: img.height, gray };
}

/** The code drawn from `qrcode`'s module matrix without a PNG round trip (fast, for the bench). */
export function qrGray(text: string, scale: number, margin = 4): GrayImage {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const side = (modules.size + 2 * margin) * scale;
  const gray = new Uint8Array(side * side).fill(255);
  for (let r = 0; r < modules.size; r++) {
    for (let c = 0; c < modules.size; c++) {
      if (!modules.get(r, c)) continue;
      for (let y = 0; y < scale; y++) gray.fill(0, ((r + margin) * scale + y) * side + (c + margin) * scale, ((r + margin) * scale + y) * side + (c + margin + 1) * scale);
    }
  }
  return { width: side, height: side, gray };
}

function boxBlur(src: Float32Array, w: number, h: number, r: number): Float32Array {
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  const span = 2 * r + 1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let k = -r; k <= r; k++) sum += src[y * w + Math.min(w - 1, Math.max(0, x + k))]!;
      tmp[y * w + x] = sum / span;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let k = -r; k <= r; k++) sum += tmp[Math.min(h - 1, Math.max(0, y + k)) * w + x]!;
      out[y * w + x] = sum / span;
    }
  }
  return out;
}

/** Puts the code into a camera-sized frame: turned about its centre, over a shaded counter top. */
export function frameWith(code: GrayImage, o: FrameOptions = {}): RgbaFrame {
  const width = o.width ?? 640;
  const height = o.height ?? 480;
  const [fx, fy] = o.at ?? [0.5, 0.5];
  const cx = fx * width;
  const cy = fy * height;
  const ink = o.ink ?? 30;
  const paper = o.paper ?? 225;
  const a = ((o.angleDeg ?? 0) * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const rand = mulberry32(o.seed ?? 1);
  let px: Float32Array = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Inverse rotation: where in the code image this frame pixel comes from (bilinear).
      const dx = x + 0.5 - cx;
      const dy = y + 0.5 - cy;
      const sx = cos * dx + sin * dy + code.width / 2 - 0.5;
      const sy = -sin * dx + cos * dy + code.height / 2 - 0.5;
      const background = 90 + (60 * x) / width + (30 * y) / height;
      if (sx < 0 || sy < 0 || sx >= code.width - 1 || sy >= code.height - 1) {
        px[y * width + x] = background;
        continue;
      }
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const tx = sx - x0;
      const ty = sy - y0;
      const g = (i: number, j: number) => code.gray[(y0 + j) * code.width + x0 + i]! / 255;
      const v = (g(0, 0) * (1 - tx) + g(1, 0) * tx) * (1 - ty) + (g(0, 1) * (1 - tx) + g(1, 1) * tx) * ty;
      px[y * width + x] = ink + (paper - ink) * v;
    }
  }
  // Sensor noise first, then the lens and the camera's own smoothing blur it: a webcam's noise is
  // soft grain, not independent salt and pepper.
  const sigma = o.noise ?? 0;
  if (sigma > 0) {
    for (let i = 0; i < px.length; i++) {
      // Box–Muller from the seeded generator, so a frame is the same on every run.
      px[i] = px[i]! + sigma * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    }
  }
  const r = o.blur ?? 0;
  if (r > 0) px = boxBlur(boxBlur(px, width, height, r), width, height, r);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < px.length; i++) {
    const v = px[i]!;
    data[i * 4] = v;
    data[i * 4 + 1] = v;
    data[i * 4 + 2] = v;
    data[i * 4 + 3] = 255;
  }
  return { width, height, data };
}
