// A camera for Chromium's fake capture device (--use-file-for-fake-video-capture): a Y4M file
// (YUV4MPEG2, 4:2:0, 640×480) whose frames show a real QR of a member code, drawn by the `qrcode`
// package (PNG → grey) and placed, slightly shifted and noisy frame to frame, as a held phone would be.
import { writeFileSync } from 'node:fs';
import { frameWith, pngToGray, qrPng } from '../../src/bench/syntheticFrames';

export const FAKE_CAMERA_FLAGS = (file: string) => ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${file}`];

export async function writeQrY4m(file: string, code: string, o: { frames?: number; scale?: number } = {}): Promise<void> {
  const width = 640;
  const height = 480;
  const img = pngToGray(await qrPng(code, o.scale ?? 5));
  if (img.width > height - 10) throw new Error(`the QR (${img.width}px) does not fit a ${width}×${height} frame: use a smaller scale`);
  const frames = o.frames ?? 4;
  const chroma = (width / 2) * (height / 2);
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`, 'ascii')];
  for (let k = 0; k < frames; k++) {
    const rgba = frameWith(img, { width, height, at: [0.5 + 0.004 * k, 0.5 - 0.003 * k], noise: 3, seed: 7 + k });
    const y = Buffer.alloc(width * height);
    // Full-range luma (C420jpeg): the grey level is Y; the picture has no colour (U = V = 128).
    for (let i = 0; i < y.length; i++) y[i] = (rgba.data[i * 4]! + 2 * rgba.data[i * 4 + 1]! + rgba.data[i * 4 + 2]!) >> 2;
    parts.push(Buffer.from('FRAME\n', 'ascii'), y, Buffer.alloc(chroma * 2, 128));
  }
  writeFileSync(file, Buffer.concat(parts));
}
