/**
 * C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the note text of a signed tree head —
 *
 *     <origin>\n<decimal size, no leading zeros>\n<base64 root>\n[<extension line>\n…]
 *
 * The origin is non-empty; the root is 32 bytes; extension lines, if any, are non-empty. Signing and opening the
 * note are note.ts's; this file only formats and parses the body. Pure.
 */
import { HASH_SIZE, type Hash } from './merkle.js';
import { decodeBase64Strict, encodeBase64 } from './note.js';

export interface Checkpoint {
  origin: string;
  size: number;
  root: Hash;
  /** Opaque extension lines (not recommended by the spec; the petition logs use none). */
  extensions?: string[];
}

export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

/** The checkpoint body, newline-terminated. Throws CheckpointError on an empty origin, bad size or root. */
export function formatCheckpoint(c: Checkpoint): string {
  if (c.origin.length === 0 || c.origin.includes('\n'))
    throw new CheckpointError('the origin must be one non-empty line');
  if (!Number.isSafeInteger(c.size) || c.size < 0)
    throw new CheckpointError(`the size ${c.size} is not a tree size`);
  if (c.root.length !== HASH_SIZE) throw new CheckpointError('the root hash must be 32 bytes');
  const ext = c.extensions ?? [];
  for (const line of ext) {
    if (line.length === 0 || line.includes('\n'))
      throw new CheckpointError('an extension line must be one non-empty line');
  }
  return [c.origin, String(c.size), encodeBase64(c.root), ...ext].map((l) => `${l}\n`).join('');
}

/**
 * Parses a checkpoint body (the text of an opened note; a trailing signature block is NOT accepted here — open the
 * note first). Throws CheckpointError with a message saying which line is wrong.
 */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new CheckpointError('the checkpoint must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3)
    throw new CheckpointError('a checkpoint has at least three lines: origin, size, root');
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw new CheckpointError('the origin line is empty');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) throw new CheckpointError('the size line is not a decimal number');
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) throw new CheckpointError('the size is too large');
  const root = decodeBase64Strict(rootText);
  if (!root || root.length !== HASH_SIZE)
    throw new CheckpointError('the root line is not a base64 SHA-256 hash');
  for (const line of extensions)
    if (line.length === 0) throw new CheckpointError('an extension line is empty');
  return extensions.length > 0 ? { origin, size, root, extensions } : { origin, size, root };
}
