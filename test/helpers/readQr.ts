// Reads back a QR code the product drew: a clean image (modules drawn here, or a screenshot of the
// screen), not a camera frame. zxing's finder-pattern search, which a camera frame needs, picks a
// false third corner inside the data of about 2–5 % of perfect, upright codes (a fixed text fails
// every time, and signed codes change with the clock, so a test using it fails now and then). A pure
// image needs no search: PURE_BARCODE reads the modules from the code's own corners. The camera path
// is tested in test/scan/decode.test.ts with turned, blurred frames, as a camera sees them.
import { BinaryBitmap, DecodeHintType, HybridBinarizer, QRCodeReader, RGBLuminanceSource } from '@zxing/library';

const PURE = new Map<DecodeHintType, unknown>([[DecodeHintType.PURE_BARCODE, true]]);

/** The text of the one upright QR code filling a grey image (one byte a pixel); throws when there is none. */
export function readPureQr(gray: Uint8ClampedArray, width: number, height: number): string {
  return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(gray, width, height))), PURE).getText();
}

/** The modules (`size`×`size`, dark where `dark(i)`) drawn as the desk draws them, 4-module quiet zone, then read back. */
export function readQrModules(size: number, dark: (i: number) => boolean, scale = 4): string {
  const side = (size + 8) * scale;
  const pixels = new Uint8ClampedArray(side * side).fill(255);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      if (dark(y * size + x)) for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) pixels[((y + 4) * scale + dy) * side + (x + 4) * scale + dx] = 0;
  return readPureQr(pixels, side, side);
}
