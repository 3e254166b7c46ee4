import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Diagnostic } from '../diagnostics.js';
import { diagnosticAt } from './located.js';
import { MAX_DOCUMENT_BYTES } from './yaml/limits.js';
import { LineIndex } from './yaml/positions.js';
import { tooLargeDiagnostic } from './yaml/strict-yaml.js';

/**
 * A manifest or config file as read from disk: its text, or a finding that stops it being parsed.
 * `sha256()` hashes the exact bytes (the apply journal keys on it); it is empty for a file rejected
 * as too large, which is never read in full.
 */
export type SourceFile =
  | { kind: 'text'; text: string; sha256: () => string }
  | { kind: 'rejected'; diagnostic: Diagnostic; text: string; sha256: () => string };

// node:crypto takes milliseconds to load and `handover validate` never needs a hash: load it on the
// first hash only.
const requireBuiltin = createRequire(import.meta.url);

function hashOnDemand(bytes: Uint8Array): () => string {
  let hex: string | undefined;
  return () => {
    if (hex === undefined) {
      const { createHash } = requireBuiltin('node:crypto') as typeof import('node:crypto');
      hex = createHash('sha256').update(bytes).digest('hex');
    }
    return hex;
  };
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a parent is not a directory',
  ELOOP: 'it is a symbolic link: a manifest must be a regular file, committed as such',
  EINVAL: 'not a regular file',
  ENXIO: 'not a regular file',
};

/** A one-line reason for a filesystem error, for "cannot read FILE: …" (exit 2). */
export function unreadableReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? (REASONS[code] ?? `cannot be read (${code})`) : 'cannot be read';
}

function fileError(message: string, code: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(message);
  error.code = code;
  return error;
}

/**
 * Reads a file for validation, checking its size before loading it into memory.
 * Throws the filesystem error when it cannot be opened or is not a regular file.
 */
export function readSourceFile(path: string, displayPath: string): SourceFile {
  // O_NOFOLLOW: a symbolic link is refused (ELOOP), not read through; O_NONBLOCK: a FIFO cannot hang the
  // run before fstat refuses it. Neither changes how a regular file reads.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw fileError(`${path} is a directory`, 'EISDIR');
    if (!stats.isFile()) throw fileError(`${path} is not a regular file`, 'EINVAL');
    // Read at most one byte past the limit: a file that grows while being read is still caught.
    const buffer = Buffer.alloc(Math.min(stats.size, MAX_DOCUMENT_BYTES) + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > MAX_DOCUMENT_BYTES || stats.size > MAX_DOCUMENT_BYTES) {
      return {
        kind: 'rejected',
        text: '',
        sha256: () => '',
        diagnostic: tooLargeDiagnostic(displayPath, Math.max(stats.size, length)),
      };
    }
    return sourceFromBytes(buffer.subarray(0, length), displayPath);
  } finally {
    closeSync(fd);
  }
}

/**
 * The same reading of bytes that came from elsewhere (apply reads a manifest from the git object at the
 * merged commit, never through the working tree): the size limit, UTF-8, the hash of exactly these bytes.
 */
export function sourceFromBytes(bytes: Uint8Array, displayPath: string): SourceFile {
  if (bytes.length > MAX_DOCUMENT_BYTES)
    return {
      kind: 'rejected',
      text: '',
      sha256: () => '',
      diagnostic: tooLargeDiagnostic(displayPath, bytes.length),
    };
  const sha256 = hashOnDemand(bytes);
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    return { kind: 'text', text, sha256 };
  } catch {
    const lossy = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    const offset = Math.max(0, lossy.indexOf('\ufffd'));
    return {
      kind: 'rejected',
      text: lossy,
      sha256,
      diagnostic: diagnosticAt(
        displayPath,
        new LineIndex(lossy).position(offset),
        'text.encoding',
        'the file is not valid UTF-8 from here on: save it as UTF-8',
      ),
    };
  }
}
