/**
 * C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 signatures (signature type 0x01).
 *
 * A note is UTF-8 text ending in a newline, a blank line, then signature lines `— <name> base64(keyID ‖ sig)`.
 * Key ID = first 4 bytes of SHA-256(name ‖ 0x0A ‖ type ‖ public key). Keys travel as text:
 * - verifier key (vkey): `<name>+<hex key ID>+base64(0x01 ‖ 32-byte public key)`;
 * - signer key (skey): `PRIVATE+KEY+<name>+<hex key ID>+base64(0x01 ‖ 32-byte Ed25519 seed)` — the golang.org/x/mod
 *   sumdb/note form, so keys move between this code and Go tools.
 *
 * Other signature types (tlog-cosignature 0x04, …) plug in through the `NoteVerifier` interface: openNote checks any
 * verifier whose name and key ID match a signature line. Pure: imports only node:crypto.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
} from 'node:crypto';

/** Why a note, key or signature was refused. */
export type NoteErrorCode =
  | 'malformed-note'
  | 'malformed-key'
  | 'unknown-key-type'
  | 'no-verifiable-signature'
  | 'invalid-signature'
  | 'ambiguous-key';

export class NoteError extends Error {
  constructor(
    readonly code: NoteErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'NoteError';
  }
}

/** Signature type byte of plain Ed25519 note signatures. */
export const SIG_TYPE_ED25519 = 0x01;

/** Something that can check one kind of note signature by one key. */
export interface NoteVerifier {
  /** The key name in signature lines. */
  readonly name: string;
  /** The 32-bit key ID (unsigned). */
  readonly keyId: number;
  /** True when `signature` (the bytes after the key ID) is valid over `message` (the note text). */
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** Something that can sign notes with one key. */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  sign(message: Uint8Array): Uint8Array;
}

/** One signature line of a note. */
export interface NoteSignature {
  name: string;
  keyId: number;
  /** The signature bytes after the 4-byte key ID. */
  signature: Uint8Array;
  /** The whole base64 field, as it appeared. */
  base64: string;
}

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** Standard base64 decoding that refuses anything that does not re-encode to the same text. */
export function decodeBase64Strict(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return null;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
}

/** A key name is non-empty, has no Unicode spaces and no '+'. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u.test(name);
}

/** SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4] as an unsigned 32-bit number. */
export function keyIdFor(name: string, sigType: number, publicKey: Uint8Array): number {
  const digest = createHash('sha256')
    .update(encoder.encode(name))
    .update(new Uint8Array([0x0a, sigType]))
    .update(publicKey)
    .digest();
  return digest.readUInt32BE(0);
}

function hex8(id: number): string {
  return id.toString(16).padStart(8, '0');
}

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Ed25519 signature over `message` with a 32-byte seed (RFC 8032). */
export function ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array {
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return new Uint8Array(sign(null, message, key));
}

/** Ed25519 verification with a 32-byte public key; false (never throws) on a malformed key or signature. */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    const key = createPublicKey({
      key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]),
      format: 'der',
      type: 'spki',
    });
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}

/** The 32-byte Ed25519 public key of a 32-byte seed. */
export function ed25519PublicKey(seed: Uint8Array): Uint8Array {
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(spki.length - 32));
}

/** A fresh random 32-byte Ed25519 seed. */
export function ed25519RandomSeed(): Uint8Array {
  const { privateKey } = generateKeyPairSync('ed25519');
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  return new Uint8Array(der.subarray(der.length - 32));
}

/** Parsed text key: name, key ID, type byte and key material (public key or seed). */
export interface ParsedKey {
  name: string;
  keyId: number;
  sigType: number;
  key: Uint8Array;
}

function parseKeyParts(name: string, idHex: string, material: string, what: string): ParsedKey {
  if (!isValidKeyName(name))
    throw new NoteError('malformed-key', `${what}: the key name is empty or has a space or +`);
  if (!/^[0-9a-f]{8}$/.test(idHex))
    throw new NoteError('malformed-key', `${what}: the key ID is not 8 hex digits`);
  const bytes = decodeBase64Strict(material);
  if (!bytes || bytes.length < 2) throw new NoteError('malformed-key', `${what}: the key is not base64`);
  return { name, keyId: Number.parseInt(idHex, 16), sigType: bytes[0] as number, key: bytes.subarray(1) };
}

/**
 * Parses a vkey `<name>+<hex id>+<base64(type ‖ key)>` of any type (checks the shape only). Throws
 * NoteError('malformed-key').
 */
export function parseVerifierKey(vkey: string): ParsedKey {
  // name+id+material: the base64 material may itself hold '+', so cut only twice.
  const a = vkey.indexOf('+');
  const b = a < 0 ? -1 : vkey.indexOf('+', a + 1);
  if (a < 0 || b < 0) throw new NoteError('malformed-key', 'a verifier key has three parts joined by +');
  return parseKeyParts(vkey.slice(0, a), vkey.slice(a + 1, b), vkey.slice(b + 1), 'verifier key');
}

/** Parses an skey `PRIVATE+KEY+<name>+<hex id>+<base64(type ‖ seed)>` (shape only). Throws NoteError. */
export function parseSignerKey(skey: string): ParsedKey {
  if (!skey.startsWith('PRIVATE+KEY+')) {
    throw new NoteError('malformed-key', 'a signer key has the form PRIVATE+KEY+name+id+key');
  }
  try {
    return parseVerifierKey(skey.slice('PRIVATE+KEY+'.length));
  } catch (e) {
    throw new NoteError('malformed-key', (e as Error).message.replace('verifier key', 'signer key'));
  }
}

/** Formats a key as `<name>+<hex id>+base64(type ‖ key)` (prefix with `PRIVATE+KEY+` for a signer key). */
export function formatKey(name: string, keyId: number, sigType: number, key: Uint8Array): string {
  const material = new Uint8Array(key.length + 1);
  material[0] = sigType;
  material.set(key, 1);
  return `${name}+${hex8(keyId)}+${encodeBase64(material)}`;
}

/**
 * A verifier for an Ed25519 (type 0x01) vkey. Throws NoteError('malformed-key') on a bad shape, wrong key length or a
 * key ID that does not match the name and key, NoteError('unknown-key-type') for another type.
 */
export function noteVerifier(vkey: string): NoteVerifier {
  const k = parseVerifierKey(vkey);
  if (k.sigType !== SIG_TYPE_ED25519) {
    throw new NoteError(
      'unknown-key-type',
      `verifier key type 0x${k.sigType.toString(16)} is not Ed25519 (0x01)`,
    );
  }
  if (k.key.length !== 32) throw new NoteError('malformed-key', 'an Ed25519 public key is 32 bytes');
  if (keyIdFor(k.name, SIG_TYPE_ED25519, k.key) !== k.keyId) {
    throw new NoteError('malformed-key', 'the key ID does not match the key name and public key');
  }
  const publicKey = k.key;
  return {
    name: k.name,
    keyId: k.keyId,
    verify: (message, signature) => ed25519Verify(publicKey, message, signature),
  };
}

/** A signer for an Ed25519 skey. Throws NoteError as noteVerifier does. */
export function noteSigner(skey: string): NoteSigner {
  const k = parseSignerKey(skey);
  if (k.sigType !== SIG_TYPE_ED25519) {
    throw new NoteError(
      'unknown-key-type',
      `signer key type 0x${k.sigType.toString(16)} is not Ed25519 (0x01)`,
    );
  }
  if (k.key.length !== 32) throw new NoteError('malformed-key', 'an Ed25519 seed is 32 bytes');
  const seed = k.key;
  if (keyIdFor(k.name, SIG_TYPE_ED25519, ed25519PublicKey(seed)) !== k.keyId) {
    throw new NoteError('malformed-key', 'the key ID does not match the key name and public key');
  }
  return { name: k.name, keyId: k.keyId, sign: (message) => ed25519Sign(seed, message) };
}

/**
 * A new Ed25519 key pair for signing notes under `name` (a schema-less URL such as the log origin). `seed` (32
 * bytes) makes it deterministic, for tests. Throws NoteError('malformed-key') on an invalid name.
 */
export function generateSignerKey(name: string, seed?: Uint8Array): { skey: string; vkey: string } {
  if (!isValidKeyName(name))
    throw new NoteError('malformed-key', 'the key name is empty or has a space or +');
  const s = seed ?? ed25519RandomSeed();
  if (s.length !== 32) throw new NoteError('malformed-key', 'an Ed25519 seed is 32 bytes');
  const pub = ed25519PublicKey(s);
  const id = keyIdFor(name, SIG_TYPE_ED25519, pub);
  return {
    skey: `PRIVATE+KEY+${formatKey(name, id, SIG_TYPE_ED25519, s)}`,
    vkey: formatKey(name, id, SIG_TYPE_ED25519, pub),
  };
}

/** The vkey of an Ed25519 skey. */
export function verifierKeyOf(skey: string): string {
  const signer = noteSigner(skey);
  const k = parseSignerKey(skey);
  return formatKey(signer.name, signer.keyId, SIG_TYPE_ED25519, ed25519PublicKey(k.key));
}

function checkText(text: string): void {
  if (text.length === 0 || !text.endsWith('\n'))
    throw new NoteError('malformed-note', 'the note text must end with a newline');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the rule is exactly "no control characters but newline"
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) {
    throw new NoteError('malformed-note', 'the note has a control character other than newline');
  }
}

/** One signature line for `text` by `signer`: `— <name> <base64(keyID ‖ sig)>\n`. */
export function signatureLine(text: string, signer: NoteSigner): string {
  const sig = signer.sign(encoder.encode(text));
  const bytes = new Uint8Array(4 + sig.length);
  new DataView(bytes.buffer).setUint32(0, signer.keyId);
  bytes.set(sig, 4);
  return `— ${signer.name} ${encodeBase64(bytes)}\n`;
}

/**
 * Signs `text` (which must end in a newline and hold no control characters but newline) with each key, returning
 * the signed note: text, blank line, one signature line per key. Keys are skeys or NoteSigners (e.g. a cosigner).
 * Throws NoteError('malformed-note') on bad text.
 */
export function signNote(text: string, ...keys: Array<string | NoteSigner>): string {
  checkText(text);
  if (keys.length === 0) throw new NoteError('malformed-note', 'a note needs at least one signature');
  const lines = keys.map((k) => signatureLine(text, typeof k === 'string' ? noteSigner(k) : k));
  return `${text}\n${lines.join('')}`;
}

/** The most signatures openNote accepts on one note (C2SP asks for at least 16). */
export const MAX_NOTE_SIGNATURES = 100;

/** Splits a signed note into text and signature lines without verifying anything. Throws NoteError. */
export function splitNote(note: string | Uint8Array): { text: string; signatures: NoteSignature[] } {
  let s: string;
  if (typeof note === 'string') {
    s = note;
  } else {
    try {
      s = strictDecoder.decode(note);
    } catch {
      throw new NoteError('malformed-note', 'the note is not valid UTF-8');
    }
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: signed-note forbids control characters but newline
  if (/[\u0000-\u0009\u000b-\u001f]/.test(s)) {
    throw new NoteError('malformed-note', 'the note has a control character other than newline');
  }
  if (!s.endsWith('\n')) throw new NoteError('malformed-note', 'the note does not end with a newline');
  const split = s.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('malformed-note', 'the note has no blank line before its signatures');
  const text = s.slice(0, split + 1);
  const block = s.slice(split + 2);
  const signatures: NoteSignature[] = [];
  for (const line of block.slice(0, -1).split('\n')) {
    const m = /^— (\S+) (\S+)$/u.exec(line);
    if (!m) throw new NoteError('malformed-note', 'a signature line is not "— <name> <base64>"');
    const name = m[1] as string;
    const base64 = m[2] as string;
    if (!isValidKeyName(name)) throw new NoteError('malformed-note', 'a signature has an invalid key name');
    const bytes = decodeBase64Strict(base64);
    if (!bytes || bytes.length < 5)
      throw new NoteError('malformed-note', 'a signature is not base64 of key ID and bytes');
    const keyId = new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getUint32(0);
    signatures.push({ name, keyId, signature: bytes.subarray(4), base64 });
    if (signatures.length > MAX_NOTE_SIGNATURES)
      throw new NoteError('malformed-note', 'the note has too many signatures');
  }
  if (signatures.length === 0) throw new NoteError('malformed-note', 'the note has no signatures');
  return { text, signatures };
}

/**
 * Opens a signed note: checks every signature whose name and key ID match a given verifier (vkey text or
 * NoteVerifier), ignores signatures from unknown keys, and returns the text with all signature lines and the
 * verifiers that verified it (each at most once, in the order given). Throws NoteError:
 * 'malformed-note' (shape, UTF-8, control characters, too many signatures), 'malformed-key' / 'unknown-key-type'
 * (a bad vkey), 'ambiguous-key' (two verifiers share name and ID), 'invalid-signature' (a known key's signature
 * fails — the whole note is refused), 'no-verifiable-signature' (no known key signed it).
 */
export function openNote(
  note: string | Uint8Array,
  verifiers: ReadonlyArray<string | NoteVerifier>,
): { text: string; signatures: NoteSignature[]; verifiedBy: NoteVerifier[] } {
  const known = verifiers.map((v) => (typeof v === 'string' ? noteVerifier(v) : v));
  const byKey = new Map<string, NoteVerifier>();
  for (const v of known) {
    const key = `${v.name}+${hex8(v.keyId)}`;
    if (byKey.has(key)) throw new NoteError('ambiguous-key', `ambiguous key ${key}`);
    byKey.set(key, v);
  }
  const { text, signatures } = splitNote(note);
  const message = encoder.encode(text);
  const verified = new Set<NoteVerifier>();
  for (const sig of signatures) {
    const v = byKey.get(`${sig.name}+${hex8(sig.keyId)}`);
    if (!v) continue;
    if (!v.verify(message, sig.signature)) {
      throw new NoteError('invalid-signature', `invalid signature for key ${sig.name}+${hex8(sig.keyId)}`);
    }
    verified.add(v);
  }
  if (verified.size === 0)
    throw new NoteError('no-verifiable-signature', 'note has no verifiable signatures');
  return { text, signatures, verifiedBy: known.filter((v) => verified.has(v)) };
}
