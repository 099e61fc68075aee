// The backup file (docs/backup.md): one file a person can copy to a USB stick. A magic line, a
// one-line JSON header (whose terminal it is, when, its audit head, the recovery wrap of the key),
// the database exactly as `VACUUM INTO` wrote it (encrypted with the database's own key), and a
// SHA-256 of everything before it. The checksum tells a damaged or cut file from a wrong key
// before any key is tried; the cipher's page HMACs and integrity_check still stand behind it.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { DeskError } from '../contract/errors';
import { recoveryWrapSchema } from './recoveryKey';

const MAGIC = Buffer.from('LOYALTY-DESK-BACKUP 1\n', 'utf8');
const TRAILER_BYTES = 32;
const MAX_HEADER_BYTES = 16 * 1024;
const CHUNK = 1024 * 1024;

const hash64 = z.string().regex(/^[0-9a-f]{64}$/);
const id = z.string().regex(/^[A-Za-z0-9_.:-]{1,80}$/);
export const backupHeaderSchema = z
  .object({
    v: z.literal(1),
    /** `daily` backups are rotated (docs/backup.md); `manual` ones are kept until a person removes them. */
    kind: z.enum(['daily', 'manual']),
    createdAt: z.int().nonnegative(),
    storeId: id,
    terminalId: id,
    schemaVersion: z.int().nonnegative(),
    /** The audit head in the copy: after a restore, HQ re-anchors the terminal's chain here. */
    audit: z.object({ seq: z.int().nonnegative(), hash: hash64 }).strict(),
    /** The highest outbox seq the copy holds or has held. */
    outboxSeq: z.int().nonnegative(),
    bodyBytes: z.int().positive(),
    recovery: recoveryWrapSchema.nullable(),
  })
  .strict();
export type BackupHeader = z.infer<typeof backupHeaderSchema>;

function readAt(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

/** Writes header + body (read from `bodyPath`) + checksum into `out` (created new, 0600), synced. */
export function writeBackupFile(out: string, header: BackupHeader, bodyPath: string): void {
  const head = Buffer.concat([MAGIC, Buffer.from(`${JSON.stringify(header)}\n`, 'utf8')]);
  const sha = createHash('sha256');
  const fd = openSync(out, 'wx', 0o600);
  const src = openSync(bodyPath, 'r');
  try {
    const write = (b: Buffer) => {
      sha.update(b);
      let done = 0;
      while (done < b.length) done += writeSync(fd, b, done, b.length - done);
    };
    write(head);
    let copied = 0;
    // Bounded by the body's size: each round copies at least one byte or stops.
    while (copied < header.bodyBytes) {
      const chunk = readAt(src, Math.min(CHUNK, header.bodyBytes - copied), copied);
      if (chunk.length === 0) throw new DeskError('BACKUP_FAILED', { cause: 'other' });
      write(chunk);
      copied += chunk.length;
    }
    const digest = sha.digest();
    writeSync(fd, digest, 0, digest.length);
    fsyncSync(fd);
  } finally {
    closeSync(src);
    closeSync(fd);
  }
}

/**
 * Reads the header and checks the whole file against its checksum, handing the body's chunks to
 * `onBody` as they pass (a restore writes them to its temporary copy). Not a backup at all:
 * BACKUP_NOT_A_BACKUP; cut short, changed or a header that does not parse: BACKUP_DAMAGED.
 */
export function readBackupFile(path: string, onBody?: (chunk: Buffer) => void): BackupHeader {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw new DeskError('BACKUP_NOT_FOUND', { path });
  }
  try {
    const size = fstatSync(fd).size;
    if (!readAt(fd, MAGIC.length, 0).equals(MAGIC)) throw new DeskError('BACKUP_NOT_A_BACKUP', { path });
    const first = readAt(fd, Math.min(MAX_HEADER_BYTES, size - MAGIC.length), MAGIC.length);
    const nl = first.indexOf(0x0a);
    if (nl < 0) throw new DeskError('BACKUP_DAMAGED', { path, sqlite: 'backup header' });
    let header: BackupHeader;
    try {
      header = backupHeaderSchema.parse(JSON.parse(first.subarray(0, nl).toString('utf8')));
    } catch {
      throw new DeskError('BACKUP_DAMAGED', { path, sqlite: 'backup header' });
    }
    const bodyAt = MAGIC.length + nl + 1;
    if (size !== bodyAt + header.bodyBytes + TRAILER_BYTES) throw new DeskError('BACKUP_DAMAGED', { path, sqlite: 'backup size' });
    const sha = createHash('sha256');
    sha.update(readAt(fd, bodyAt, 0));
    // Bounded by the body's size, as in writeBackupFile.
    for (let at = 0; at < header.bodyBytes; ) {
      const chunk = readAt(fd, Math.min(CHUNK, header.bodyBytes - at), bodyAt + at);
      if (chunk.length === 0) throw new DeskError('BACKUP_DAMAGED', { path, sqlite: 'backup size' });
      sha.update(chunk);
      onBody?.(chunk);
      at += chunk.length;
    }
    if (!sha.digest().equals(readAt(fd, TRAILER_BYTES, bodyAt + header.bodyBytes))) throw new DeskError('BACKUP_DAMAGED', { path, sqlite: 'backup checksum' });
    return header;
  } finally {
    closeSync(fd);
  }
}
