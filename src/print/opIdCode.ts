// The operation id as a Code128 barcode. A UUID's 36 characters in code set B need ~440 modules,
// wider than the paper at a scannable module width; its 128 bits as 40 decimal digits in code set C
// need 266, which fit 80 mm paper at 2 dots a module. The QR carries the id as it is.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function barcodeDigitsForOpId(opId: string): string | null {
  if (!UUID.test(opId)) return null;
  return BigInt(`0x${opId.replace(/-/g, '')}`).toString(10).padStart(40, '0');
}

export function opIdFromBarcodeDigits(digits: string): string | null {
  if (!/^\d{1,40}$/.test(digits)) return null;
  const n = BigInt(digits);
  if (n >= 1n << 128n) return null;
  const hex = n.toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
