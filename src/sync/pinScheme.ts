// The staff PIN scheme both ends share (docs/store.md): scrypt (N=2^14, r=8, p=1, 32 bytes) under
// the store's salt. HQ hashes the PINs it is given and sends the store's salt with the hashes, so
// terminals never see a PIN and one hash still finds one person (test/sync checks this matches
// the terminal's own hashPin).
import { randomBytes, scryptSync } from 'node:crypto';

const SCRYPT = { N: 1 << 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

export function hashStaffPin(pin: string, saltBase64: string): string {
  return scryptSync(pin, Buffer.from(saltBase64, 'base64'), 32, SCRYPT).toString('base64');
}

export function newPinSalt(): string {
  return randomBytes(16).toString('base64');
}
