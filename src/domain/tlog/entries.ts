/**
 * The petition-log entry format and the count rule (issue 13, "Entries — no personal data, nothing linkable").
 *
 * Each leaf of a petition's log is one binary entry; its first byte is the kind, integers are big-endian:
 *
 * | kind | name          | body                                                                   | bytes |
 * | ---- | ------------- | ---------------------------------------------------------------------- | ----- |
 * | 0x01 | agreement     | tag (32: HMAC-SHA256(K_p, signer key)) ‖ commitment (32: SHA-256(secret)) | 65  |
 * | 0x02 | invalidation  | target leaf index (u64) ‖ statement leaf index (u64) ‖ reason code (u16) | 19  |
 * | 0x03 | reinstatement | target leaf index (u64) ‖ statement leaf index (u64)                     | 17    |
 * | 0x04 | statement     | SHA-256 of the published statement text (32) ‖ agreements it invalidates (u64) | 41 |
 * | 0x05 | close         | final count (u64)                                                       | 9     |
 *
 * No time, region, name or address is ever in an entry. The tag is keyed by a per-petition secret K_p (destroyed
 * when the petition's signer data is anonymised), so a tag cannot be tested against a guessed signer later; the
 * commitment lets a signer holding the 16-byte receipt secret find their own leaf.
 *
 * The count rule (deriveCount): count = agreements − invalidated + reinstated, from the entries alone; all tags
 * distinct; an invalidation targets an earlier, currently counted agreement and names an earlier statement; a
 * reinstatement targets an earlier, currently invalidated agreement; invalidations naming one statement never
 * exceed the number it declares; the last close entry equals the count, and nothing after it changes the count.
 * Pure: imports only node:crypto.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

export const ENTRY_AGREEMENT = 0x01;
export const ENTRY_INVALIDATION = 0x02;
export const ENTRY_REINSTATEMENT = 0x03;
export const ENTRY_STATEMENT = 0x04;
export const ENTRY_CLOSE = 0x05;

/** Length in bytes of each kind of entry, kind byte included. */
export const ENTRY_LENGTHS: Readonly<Record<number, number>> = {
  [ENTRY_AGREEMENT]: 65,
  [ENTRY_INVALIDATION]: 19,
  [ENTRY_REINSTATEMENT]: 17,
  [ENTRY_STATEMENT]: 41,
  [ENTRY_CLOSE]: 9,
};

/** Receipt secrets are 16 random bytes (made in the signer's browser, or by the server without script). */
export const RECEIPT_SECRET_SIZE = 16;

/**
 * Reason classes of an invalidation (the u16 reason code). Public: they say which class of rule removed an
 * agreement, never the raw data behind it. Unknown codes decode fine (the name is then `reason-<n>`).
 */
export const INVALIDATION_REASONS: Readonly<Record<number, string>> = {
  1: 'duplicate-person',
  2: 'automated-agreements',
  3: 'disposable-email',
  4: 'identity-provider-abuse',
  5: 'blocked-network',
  6: 'staff-error',
  65535: 'other',
};

/** The name of a reason code: INVALIDATION_REASONS or `reason-<code>`. */
export function reasonName(code: number): string {
  return INVALIDATION_REASONS[code] ?? `reason-${code}`;
}

export interface AgreementEntry {
  kind: 'agreement';
  tag: Uint8Array;
  commitment: Uint8Array;
}
export interface InvalidationEntry {
  kind: 'invalidation';
  target: number;
  statement: number;
  reason: number;
}
export interface ReinstatementEntry {
  kind: 'reinstatement';
  target: number;
  statement: number;
}
export interface StatementEntry {
  kind: 'statement';
  statementHash: Uint8Array;
  invalidates: number;
}
export interface CloseEntry {
  kind: 'close';
  count: number;
}
export type LogEntry = AgreementEntry | InvalidationEntry | ReinstatementEntry | StatementEntry | CloseEntry;

export class EntryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EntryError';
  }
}

function u64(view: DataView, at: number): number {
  const big = view.getBigUint64(at);
  if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new EntryError('a number in the entry is too large');
  return Number(big);
}

function putU64(view: DataView, at: number, n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new EntryError(`${what} ${n} is not a whole number`);
  view.setBigUint64(at, BigInt(n));
}

function bytes32(b: Uint8Array, what: string): Uint8Array {
  if (b.length !== 32) throw new EntryError(`${what} must be 32 bytes, not ${b.length}`);
  return b;
}

function blank(kind: number): { out: Uint8Array; view: DataView } {
  const out = new Uint8Array(ENTRY_LENGTHS[kind] as number);
  out[0] = kind;
  return { out, view: new DataView(out.buffer) };
}

/** 0x01 ‖ tag ‖ commitment (65 bytes). Throws EntryError unless both are 32 bytes. */
export function encodeAgreementEntry(e: { tag: Uint8Array; commitment: Uint8Array }): Uint8Array {
  const { out } = blank(ENTRY_AGREEMENT);
  out.set(bytes32(e.tag, 'the tag'), 1);
  out.set(bytes32(e.commitment, 'the commitment'), 33);
  return out;
}

/** 0x02 ‖ target ‖ statement ‖ reason (19 bytes). */
export function encodeInvalidationEntry(e: {
  target: number;
  statement: number;
  reason: number;
}): Uint8Array {
  const { out, view } = blank(ENTRY_INVALIDATION);
  putU64(view, 1, e.target, 'the target index');
  putU64(view, 9, e.statement, 'the statement index');
  if (!Number.isInteger(e.reason) || e.reason < 0 || e.reason > 0xffff)
    throw new EntryError('the reason code is a u16');
  view.setUint16(17, e.reason);
  return out;
}

/** 0x03 ‖ target ‖ statement (17 bytes). */
export function encodeReinstatementEntry(e: { target: number; statement: number }): Uint8Array {
  const { out, view } = blank(ENTRY_REINSTATEMENT);
  putU64(view, 1, e.target, 'the target index');
  putU64(view, 9, e.statement, 'the statement index');
  return out;
}

/** 0x04 ‖ SHA-256(statement text) ‖ number invalidated (41 bytes). */
export function encodeStatementEntry(e: { statementHash: Uint8Array; invalidates: number }): Uint8Array {
  const { out, view } = blank(ENTRY_STATEMENT);
  out.set(bytes32(e.statementHash, 'the statement hash'), 1);
  putU64(view, 33, e.invalidates, 'the number invalidated');
  return out;
}

/** 0x05 ‖ final count (9 bytes). */
export function encodeCloseEntry(count: number): Uint8Array {
  const { out, view } = blank(ENTRY_CLOSE);
  putU64(view, 1, count, 'the final count');
  return out;
}

/** Encodes any decoded entry back to bytes. */
export function encodeEntry(e: LogEntry): Uint8Array {
  switch (e.kind) {
    case 'agreement':
      return encodeAgreementEntry(e);
    case 'invalidation':
      return encodeInvalidationEntry(e);
    case 'reinstatement':
      return encodeReinstatementEntry(e);
    case 'statement':
      return encodeStatementEntry(e);
    case 'close':
      return encodeCloseEntry(e.count);
  }
}

/**
 * Decodes one entry. Throws EntryError on an empty entry, an unknown kind, a wrong length, or a number above
 * 2^53 − 1. Agreement and statement fields are views into `bytes`.
 */
export function decodeEntry(bytes: Uint8Array): LogEntry {
  if (bytes.length === 0) throw new EntryError('the entry is empty');
  const kind = bytes[0] as number;
  const want = ENTRY_LENGTHS[kind];
  if (want === undefined) throw new EntryError(`unknown entry kind 0x${kind.toString(16).padStart(2, '0')}`);
  if (bytes.length !== want)
    throw new EntryError(`an entry of kind 0x0${kind} is ${want} bytes, not ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  switch (kind) {
    case ENTRY_AGREEMENT:
      return { kind: 'agreement', tag: bytes.subarray(1, 33), commitment: bytes.subarray(33, 65) };
    case ENTRY_INVALIDATION:
      return {
        kind: 'invalidation',
        target: u64(view, 1),
        statement: u64(view, 9),
        reason: view.getUint16(17),
      };
    case ENTRY_REINSTATEMENT:
      return { kind: 'reinstatement', target: u64(view, 1), statement: u64(view, 9) };
    case ENTRY_STATEMENT:
      return { kind: 'statement', statementHash: bytes.subarray(1, 33), invalidates: u64(view, 33) };
    default:
      return { kind: 'close', count: u64(view, 1) };
  }
}

/** SHA-256(receipt secret): the commitment in an agreement entry. Throws EntryError unless the secret is 16 bytes. */
export function receiptCommitment(secret: Uint8Array): Uint8Array {
  if (secret.length !== RECEIPT_SECRET_SIZE) throw new EntryError('a receipt secret is 16 bytes');
  return new Uint8Array(createHash('sha256').update(secret).digest());
}

/** A fresh receipt secret (16 random bytes) for a signer without script. */
export function newReceiptSecret(): Uint8Array {
  return new Uint8Array(randomBytes(RECEIPT_SECRET_SIZE));
}

/** A fresh per-petition tag key K_p (32 random bytes). */
export function newTagKey(): Uint8Array {
  return new Uint8Array(randomBytes(32));
}

/** HMAC-SHA256(K_p, UTF-8 signer key): the agreement tag. Throws EntryError on an empty key. */
export function agreementTag(key: Uint8Array, signerKey: string): Uint8Array {
  if (key.length === 0) throw new EntryError('the tag key is empty');
  return new Uint8Array(createHmac('sha256', key).update(signerKey, 'utf8').digest());
}

/** SHA-256 of a published statement's text (UTF-8), for a statement entry. */
export function statementHash(text: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(text, 'utf8').digest());
}

/** One way in which a log breaks the count rule. `index` is the leaf index of the offending entry. */
export interface CountProblem {
  index: number;
  code:
    | 'malformed-entry'
    | 'duplicate-tag'
    | 'invalidation-target-not-agreement'
    | 'invalidation-target-not-counted'
    | 'reinstatement-target-not-invalidated'
    | 'statement-reference-not-statement'
    | 'statement-overrun'
    | 'agreement-after-close'
    | 'close-mismatch'
    | 'count-changed-after-close';
  message: string;
}

/** What a log's entries say, by the count rule. */
export interface DerivedCount {
  /** agreements − invalidated + reinstated. */
  count: number;
  agreements: number;
  invalidated: number;
  reinstated: number;
  statements: number;
  /** The count in the last close entry, when there is one. */
  closedAt?: number;
  /** Leaf index of the last close entry. */
  closeIndex?: number;
  /** Empty when the log keeps every rule. */
  problems: CountProblem[];
}

/**
 * A set of 32-byte tags in typed arrays (open addressing, linear probing) — 2.7 million tags take ~120 MB as
 * strings in a Set but ~90 MB here, and no garbage. Slots are mixed with a per-run random seed so a log cannot be
 * crafted to make the verifier slow.
 */
class TagSet {
  private tags: Uint8Array;
  private hashes: Uint32Array; // each stored tag's mixed hash, so growing never re-reads the tags
  private slots: Int32Array; // 0 = empty, else ordinal + 1
  private count = 0;
  private readonly seed = randomBytes(4).readUInt32LE(0) | 1;

  /** `expected`: how many tags will be added (sizes the table once; it still grows past it). */
  constructor(expected = 1024) {
    const cap = Math.max(1024, expected);
    this.tags = new Uint8Array(32 * cap);
    this.hashes = new Uint32Array(cap);
    let slots = 2048;
    while (slots < cap * 2) slots *= 2;
    this.slots = new Int32Array(slots);
  }

  private mix(tag: Uint8Array, at: number): number {
    let h = this.seed;
    for (let i = 0; i < 32; i += 4) {
      const w =
        (tag[at + i] as number) |
        ((tag[at + i + 1] as number) << 8) |
        ((tag[at + i + 2] as number) << 16) |
        ((tag[at + i + 3] as number) << 24);
      h = Math.imul(h ^ w, 0x9e3779b1);
      h ^= h >>> 15;
    }
    return h >>> 0;
  }

  private equalsStored(ordinal: number, tag: Uint8Array, at: number): boolean {
    const base = ordinal * 32;
    for (let i = 0; i < 32; i++) if (this.tags[base + i] !== tag[at + i]) return false;
    return true;
  }

  /** Adds the 32-byte tag at `bytes[at…at+32)`; false when it was already there. */
  add(bytes: Uint8Array, at = 0): boolean {
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    const hash = this.mix(bytes, at);
    let s = hash & (this.slots.length - 1);
    for (;;) {
      const v = this.slots[s] as number;
      if (v === 0) break;
      if (this.equalsStored(v - 1, bytes, at)) return false;
      s = (s + 1) & (this.slots.length - 1);
    }
    if ((this.count + 1) * 32 > this.tags.length) {
      const bigger = new Uint8Array(this.tags.length * 2);
      bigger.set(this.tags);
      this.tags = bigger;
      const moreHashes = new Uint32Array(this.hashes.length * 2);
      moreHashes.set(this.hashes);
      this.hashes = moreHashes;
    }
    this.hashes[this.count] = hash;
    for (let i = 0; i < 32; i++) this.tags[this.count * 32 + i] = bytes[at + i] as number;
    this.count += 1;
    this.slots[s] = this.count;
    return true;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let o = 0; o < this.count; o++) {
      let s = (this.hashes[o] as number) & mask;
      while (this.slots[s] !== 0) s = (s + 1) & mask;
      this.slots[s] = o + 1;
    }
  }
}

// Per-leaf state for deriveCount: 0 other, 1 counted agreement, 2 invalidated agreement, 3 statement.
const COUNTED = 1;
const INVALIDATED = 2;
const STATEMENT = 3;

/**
 * The count rule applied incrementally: `add` each entry in leaf order (raw bytes or decoded), then `result()`.
 * Never throws on bad entries: a malformed entry is a problem. Memory: one byte per leaf plus ~34 bytes per
 * agreement. deriveCount is the one-call form.
 */
export class CountRule {
  private state: Uint8Array;
  private readonly declared = new Map<number, number>();
  private readonly applied = new Map<number, number>();
  private readonly tags: TagSet;
  private readonly problems: CountProblem[] = [];
  private agreements = 0;
  private invalidated = 0;
  private reinstated = 0;
  private statements = 0;
  private closedAt: number | undefined;
  private closeIndex: number | undefined;
  private countAtClose = 0;
  private index = 0;

  /** `expectedSize`: the number of entries to come, when known (sizes the tables once). */
  constructor(expectedSize = 1024) {
    this.state = new Uint8Array(Math.max(1024, expectedSize));
    this.tags = new TagSet(expectedSize);
  }

  /** Entries added so far. */
  get size(): number {
    return this.index;
  }

  /** The count so far (agreements − invalidated + reinstated). */
  get count(): number {
    return this.agreements - this.invalidated + this.reinstated;
  }

  private problem(code: CountProblem['code'], message: string): void {
    this.problems.push({ index: this.index, code, message });
  }

  /** Adds the next entry (leaf `size`). */
  add(raw: Uint8Array | LogEntry): void {
    const index = this.index;
    const state = this.ensure(index);
    if (
      raw instanceof Uint8Array &&
      raw.length === 65 &&
      raw[0] === ENTRY_AGREEMENT &&
      this.closeIndex === undefined
    ) {
      // Fast path for the common entry: no decoded object per agreement.
      if (this.tags.add(raw, 1)) {
        state[index] = COUNTED;
        this.agreements += 1;
      } else {
        this.problem('duplicate-tag', `leaf ${index}: the same signer's tag appears twice`);
      }
      this.index += 1;
      return;
    }
    let e: LogEntry;
    if (raw instanceof Uint8Array) {
      try {
        e = decodeEntry(raw);
      } catch (err) {
        this.problem('malformed-entry', `leaf ${index}: ${(err as Error).message}`);
        this.index += 1;
        return;
      }
    } else {
      e = raw;
    }
    this.apply(e, index, state);
    this.index += 1;
  }

  private ensure(index: number): Uint8Array {
    if (index >= this.state.length) {
      const bigger = new Uint8Array(this.state.length * 2);
      bigger.set(this.state);
      this.state = bigger;
    }
    return this.state;
  }

  private apply(e: LogEntry, index: number, state: Uint8Array): void {
    switch (e.kind) {
      case 'agreement':
        if (this.closeIndex !== undefined)
          this.problem('agreement-after-close', `leaf ${index}: an agreement after the close`);
        if (!this.tags.add(e.tag)) {
          this.problem('duplicate-tag', `leaf ${index}: the same signer's tag appears twice`);
          return; // a duplicate is not counted
        }
        state[index] = COUNTED;
        this.agreements += 1;
        return;
      case 'invalidation': {
        const target = e.target < index ? state[e.target] : undefined;
        if (target !== COUNTED && target !== INVALIDATED) {
          this.problem(
            'invalidation-target-not-agreement',
            `leaf ${index}: invalidates leaf ${e.target}, not an earlier agreement`,
          );
          return;
        }
        if (e.statement >= index || state[e.statement] !== STATEMENT) {
          this.problem(
            'statement-reference-not-statement',
            `leaf ${index}: names leaf ${e.statement}, not an earlier statement`,
          );
          return;
        }
        if (target === INVALIDATED) {
          this.problem(
            'invalidation-target-not-counted',
            `leaf ${index}: leaf ${e.target} is already invalidated`,
          );
          return;
        }
        const n = (this.applied.get(e.statement) ?? 0) + 1;
        this.applied.set(e.statement, n);
        if (n > (this.declared.get(e.statement) ?? 0)) {
          this.problem(
            'statement-overrun',
            `leaf ${index}: statement ${e.statement} declared ${this.declared.get(e.statement)} invalidations`,
          );
        }
        state[e.target] = INVALIDATED;
        this.invalidated += 1;
        return;
      }
      case 'reinstatement':
        if (e.target >= index || state[e.target] !== INVALIDATED) {
          this.problem(
            'reinstatement-target-not-invalidated',
            `leaf ${index}: leaf ${e.target} is not an invalidated agreement`,
          );
          return;
        }
        if (e.statement >= index || state[e.statement] !== STATEMENT) {
          this.problem(
            'statement-reference-not-statement',
            `leaf ${index}: names leaf ${e.statement}, not an earlier statement`,
          );
          return;
        }
        state[e.target] = COUNTED;
        this.reinstated += 1;
        return;
      case 'statement':
        state[index] = STATEMENT;
        this.declared.set(index, e.invalidates);
        this.statements += 1;
        return;
      case 'close': {
        const count = this.count;
        if (e.count !== count) {
          this.problem(
            'close-mismatch',
            `leaf ${index}: the close says ${e.count}, the entries say ${count}`,
          );
        }
        this.closedAt = e.count;
        this.closeIndex = index;
        this.countAtClose = count;
        return;
      }
    }
  }

  /** What the entries added so far say. */
  result(): DerivedCount {
    const count = this.count;
    const problems = [...this.problems];
    if (this.closeIndex !== undefined && count !== this.countAtClose) {
      problems.push({
        index: this.closeIndex,
        code: 'count-changed-after-close',
        message: `the count changed from ${this.countAtClose} to ${count} after the close at leaf ${this.closeIndex} without a new close entry`,
      });
    }
    const out: DerivedCount = {
      count,
      agreements: this.agreements,
      invalidated: this.invalidated,
      reinstated: this.reinstated,
      statements: this.statements,
      problems,
    };
    if (this.closedAt !== undefined) out.closedAt = this.closedAt;
    if (this.closeIndex !== undefined) out.closeIndex = this.closeIndex;
    return out;
  }
}

/**
 * Applies the count rule (module comment) to a log's entries in leaf order — raw bytes or decoded entries — and
 * returns the count and every rule broken (`problems`, empty for an honest log). Never throws on bad entries.
 */
export function deriveCount(entries: Iterable<Uint8Array | LogEntry>): DerivedCount {
  const rule = new CountRule();
  for (const e of entries) rule.add(e);
  return rule.result();
}
