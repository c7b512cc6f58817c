/**
 * C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature), Ed25519 "cosignature/v1" (note signature type 0x04).
 *
 * A witness signs `cosignature/v1\ntime <T>\n` followed by the whole checkpoint body (extension lines included),
 * and its note signature is base64(keyID ‖ u64 T big-endian ‖ 64-byte Ed25519 signature), with key ID =
 * SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key)[:4]. T is POSIX seconds, non-zero, below 2^63.
 *
 * Keys use the signed-note text forms with type byte 0x04: vkey `<name>+<id>+base64(0x04 ‖ public key)` and skey
 * `PRIVATE+KEY+<name>+<id>+base64(0x04 ‖ seed)` (the skey form is ours; the spec defines only the vkey).
 * `cosignatureVerifier` plugs into note.ts openNote, so cosignatures are checked like any other note signature and
 * `lastVerifiedTimestamp` reports the time the witness signed. Pure: imports only node:crypto (through note.ts).
 */
import {
  ed25519PublicKey,
  ed25519RandomSeed,
  ed25519Sign,
  ed25519Verify,
  encodeBase64,
  formatKey,
  isValidKeyName,
  keyIdFor,
  NoteError,
  type NoteSigner,
  type NoteVerifier,
  noteVerifier,
  parseSignerKey,
  parseVerifierKey,
  SIG_TYPE_ED25519,
} from './note.js';

/** Signature type byte of Ed25519 cosignature/v1. */
export const SIG_TYPE_COSIGNATURE_V1 = 0x04;

const encoder = new TextEncoder();

/** The message a cosigner signs: `cosignature/v1\ntime <T>\n` ‖ checkpoint body. Throws RangeError on a bad T. */
export function cosignedMessage(checkpointBody: string, timestamp: number): Uint8Array {
  if (!Number.isSafeInteger(timestamp) || timestamp <= 0)
    throw new RangeError(`timestamp ${timestamp} is not a positive time`);
  return encoder.encode(`cosignature/v1\ntime ${timestamp}\n${checkpointBody}`);
}

/** A cosigner verifier: a NoteVerifier that also remembers the timestamp of the last signature it accepted. */
export interface CosignatureVerifier extends NoteVerifier {
  readonly publicKey: Uint8Array;
  /** POSIX seconds of the last signature `verify` accepted; undefined before any. */
  lastVerifiedTimestamp: number | undefined;
}

/**
 * A verifier for a cosignature/v1 vkey (type 0x04). `maxTimestamp` (POSIX seconds) refuses signatures from the
 * future. Throws NoteError ('malformed-key', 'unknown-key-type').
 */
export function cosignatureVerifier(vkey: string, maxTimestamp?: number): CosignatureVerifier {
  const k = parseVerifierKey(vkey);
  if (k.sigType !== SIG_TYPE_COSIGNATURE_V1) {
    throw new NoteError(
      'unknown-key-type',
      `verifier key type 0x${k.sigType.toString(16)} is not a cosignature/v1 key (0x04)`,
    );
  }
  if (k.key.length !== 32) throw new NoteError('malformed-key', 'an Ed25519 public key is 32 bytes');
  if (keyIdFor(k.name, SIG_TYPE_COSIGNATURE_V1, k.key) !== k.keyId) {
    throw new NoteError('malformed-key', 'the key ID does not match the key name and public key');
  }
  const publicKey = k.key;
  const v: CosignatureVerifier = {
    name: k.name,
    keyId: k.keyId,
    publicKey,
    lastVerifiedTimestamp: undefined,
    verify(message, signature) {
      if (signature.length !== 8 + 64) return false;
      const view = new DataView(signature.buffer, signature.byteOffset, signature.length);
      const t = view.getBigUint64(0);
      if (t === 0n || t >= 2n ** 63n || t > BigInt(Number.MAX_SAFE_INTEGER)) return false;
      const timestamp = Number(t);
      if (maxTimestamp !== undefined && timestamp > maxTimestamp) return false;
      const body = new TextDecoder().decode(message);
      if (!ed25519Verify(publicKey, cosignedMessage(body, timestamp), signature.subarray(8))) return false;
      v.lastVerifiedTimestamp = timestamp;
      return true;
    },
  };
  return v;
}

/**
 * A verifier for any vkey this project understands: Ed25519 note keys (0x01, logs) and cosignature/v1 keys (0x04,
 * witnesses). Throws NoteError for other types.
 */
export function anyVerifier(vkey: string, maxTimestamp?: number): NoteVerifier {
  const k = parseVerifierKey(vkey);
  if (k.sigType === SIG_TYPE_ED25519) return noteVerifier(vkey);
  if (k.sigType === SIG_TYPE_COSIGNATURE_V1) return cosignatureVerifier(vkey, maxTimestamp);
  throw new NoteError('unknown-key-type', `verifier key type 0x${k.sigType.toString(16)} is not supported`);
}

/** A new cosigner key pair under `name` (e.g. `witness.example.org/w1`); `seed` makes it deterministic. */
export function generateCosignerKey(name: string, seed?: Uint8Array): { skey: string; vkey: string } {
  if (!isValidKeyName(name))
    throw new NoteError('malformed-key', 'the key name is empty or has a space or +');
  const s = seed ?? ed25519RandomSeed();
  if (s.length !== 32) throw new NoteError('malformed-key', 'an Ed25519 seed is 32 bytes');
  const pub = ed25519PublicKey(s);
  const id = keyIdFor(name, SIG_TYPE_COSIGNATURE_V1, pub);
  return {
    skey: `PRIVATE+KEY+${formatKey(name, id, SIG_TYPE_COSIGNATURE_V1, s)}`,
    vkey: formatKey(name, id, SIG_TYPE_COSIGNATURE_V1, pub),
  };
}

/** A cosigner from its skey. Throws NoteError ('malformed-key', 'unknown-key-type'). */
export function cosigner(skey: string): { name: string; keyId: number; vkey: string; seed: Uint8Array } {
  const k = parseSignerKey(skey);
  if (k.sigType !== SIG_TYPE_COSIGNATURE_V1) {
    throw new NoteError(
      'unknown-key-type',
      `signer key type 0x${k.sigType.toString(16)} is not a cosignature/v1 key`,
    );
  }
  if (k.key.length !== 32) throw new NoteError('malformed-key', 'an Ed25519 seed is 32 bytes');
  const pub = ed25519PublicKey(k.key);
  if (keyIdFor(k.name, SIG_TYPE_COSIGNATURE_V1, pub) !== k.keyId) {
    throw new NoteError('malformed-key', 'the key ID does not match the key name and public key');
  }
  return {
    name: k.name,
    keyId: k.keyId,
    vkey: formatKey(k.name, k.keyId, SIG_TYPE_COSIGNATURE_V1, pub),
    seed: k.key,
  };
}

/**
 * The cosignature line `— <name> base64(keyID ‖ T ‖ sig)\n` over a checkpoint body at time `timestamp` (POSIX
 * seconds). Throws NoteError on a bad skey, RangeError on a bad timestamp.
 */
export function cosignCheckpoint(checkpointBody: string, skey: string, timestamp: number): string {
  const c = cosigner(skey);
  const sig = ed25519Sign(c.seed, cosignedMessage(checkpointBody, timestamp));
  const bytes = new Uint8Array(4 + 8 + 64);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, c.keyId);
  view.setBigUint64(4, BigInt(timestamp));
  bytes.set(sig, 12);
  return `— ${c.name} ${encodeBase64(bytes)}\n`;
}

/** A NoteSigner producing cosignatures at a fixed time (for note.ts signNote). */
export function cosignatureSigner(skey: string, timestamp: number): NoteSigner {
  const c = cosigner(skey);
  return {
    name: c.name,
    keyId: c.keyId,
    sign: (message) => {
      const sig = ed25519Sign(c.seed, cosignedMessage(new TextDecoder().decode(message), timestamp));
      const out = new Uint8Array(8 + 64);
      new DataView(out.buffer).setBigUint64(0, BigInt(timestamp));
      out.set(sig, 8);
      return out;
    },
  };
}

/** The timestamp inside a cosignature's bytes (after the key ID), without verifying it; null if malformed. */
export function cosignatureTimestamp(signature: Uint8Array): number | null {
  if (signature.length !== 8 + 64) return null;
  const t = new DataView(signature.buffer, signature.byteOffset, signature.length).getBigUint64(0);
  return t === 0n || t > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(t);
}
