/**
 * Cheongwon's public log contract (issue 13, "The public contract") in one place, so the site that serves the logs
 * and `cheongwon verify` that checks them agree. docs/transparency-log.md explains it for people.
 *
 * - One log per petition, origin `<host>/petitions/<id>`, served under `/log/petitions/<id>/` (checkpoint, tiles,
 *   entry bundles, `proof/<index>`). Its checkpoints are signed by the site's *petitions key*, whose key name is
 *   `<host>/petitions` (one key signs every petition log; the origin line names the petition).
 * - One heads log, origin `<host>/heads`, served under `/log/heads/`: each entry is the body of a petition checkpoint
 *   (`origin\nsize\nroot\n`, UTF-8) as the site published it. Its checkpoints are signed by the *heads key* (key
 *   name = `<host>/heads`) and cosigned by witnesses.
 * - `/log/key` is a C2SP tlog-policy file: a `log` line for each of the two keys with the URL where that log family
 *   is served (`<PUBLIC_URL>/log/heads`, `<PUBLIC_URL>/log/petitions`), the `witness` lines and the `quorum` the heads
 *   checkpoint must meet. Any tlog-policy parser reads it; the verifier tells the two logs apart by those URLs (or,
 *   without URLs, by the key names ending in `/heads` and `/petitions`).
 * Pure.
 */
import { type Checkpoint, parseCheckpoint } from './checkpoint.js';
import { NoteError, noteVerifier, openNote, splitNote } from './note.js';
import {
  CheckpointVerificationError,
  formatPolicy,
  type Policy,
  PolicyError,
  type PolicyLog,
  parsePolicy,
  type VerifiedCheckpoint,
  verifyCheckpoint,
} from './policy.js';

/** Origin of a petition's log: `<host>/petitions/<id>`. `host` is the PUBLIC_URL host (and path, if any). */
export function petitionOrigin(host: string, petitionId: number | string): string {
  return `${host}/petitions/${petitionId}`;
}

/** Key name of the key that signs every petition log: `<host>/petitions`. */
export function petitionsKeyName(host: string): string {
  return `${host}/petitions`;
}

/** Origin (and key name) of the heads log: `<host>/heads`. */
export function headsOrigin(host: string): string {
  return `${host}/heads`;
}

/** The schema-less host part of a public URL (`https://cheongwon.example/` → `cheongwon.example`). */
export function logHost(publicUrl: string): string {
  const u = new URL(publicUrl);
  return `${u.host}${u.pathname.replace(/\/+$/, '')}`;
}

/** The site path prefix of a log by origin: `log/petitions/<id>` or `log/heads`; null for a foreign origin. */
export function logPathFor(origin: string, keys: LogKeys): string | null {
  if (origin === keys.heads.origin) return 'log/heads';
  const prefix = `${keys.petitions.origin}/`;
  if (origin.startsWith(prefix)) {
    const id = origin.slice(prefix.length);
    if (/^[0-9A-Za-z_-]+$/.test(id)) return `log/petitions/${id}`;
  }
  return null;
}

/** The parsed `/log/key`: the policy, and which of its logs is the heads log and which the petitions key. */
export interface LogKeys {
  policy: Policy;
  heads: PolicyLog;
  petitions: PolicyLog;
}

/** The text of `/log/key`. Throws PolicyError when a key or witness line is malformed. */
export function formatLogKeys(opts: {
  publicUrl: string;
  headsVkey: string;
  petitionsVkey: string;
  witnesses: Array<{ name: string; vkey: string; url?: string }>;
  /** Default: all witnesses must cosign when there are any, else none. */
  quorum?: { threshold: number | 'all' | 'any' } | 'none';
}): string {
  const base = opts.publicUrl.replace(/\/+$/, '');
  const policy: Policy = {
    logs: [
      { vkey: opts.headsVkey, origin: opts.headsVkey.split('+')[0] as string, url: `${base}/log/heads` },
      {
        vkey: opts.petitionsVkey,
        origin: opts.petitionsVkey.split('+')[0] as string,
        url: `${base}/log/petitions`,
      },
    ],
    witnesses: opts.witnesses.map((w) => (w.url ? { ...w } : { name: w.name, vkey: w.vkey })),
    groups: [],
    quorum: 'none',
  };
  if (opts.witnesses.length > 0 && opts.quorum !== 'none') {
    const t = opts.quorum?.threshold ?? 'all';
    const n = opts.witnesses.length;
    policy.groups.push({
      name: 'witnesses',
      threshold: t === 'all' ? n : t === 'any' ? 1 : t,
      members: opts.witnesses.map((w) => w.name),
    });
    policy.quorum = 'witnesses';
  }
  const text = `# Cheongwon transparency logs: heads log, petition logs, witnesses (C2SP tlog-policy)\n${formatPolicy(policy)}`;
  parseLogKeys(text); // refuse to publish what the verifier could not read
  return text;
}

/** Parses `/log/key`. Throws PolicyError when it is not a policy or lacks the heads or the petitions key. */
export function parseLogKeys(text: string): LogKeys {
  const policy = parsePolicy(text);
  const find = (suffix: string) =>
    policy.logs.find((l) => l.url?.replace(/\/+$/, '').endsWith(`/log/${suffix}`)) ??
    policy.logs.find((l) => l.origin.endsWith(`/${suffix}`));
  const heads = find('heads');
  const petitions = find('petitions');
  if (!heads) throw new PolicyError('the log keys name no heads log (a log line for <PUBLIC_URL>/log/heads)');
  if (!petitions)
    throw new PolicyError('the log keys name no petitions key (a log line for <PUBLIC_URL>/log/petitions)');
  return { policy, heads, petitions };
}

/** The heads-log entry for a petition checkpoint: its body, UTF-8. */
export function headsEntry(checkpointBody: string): Uint8Array {
  parseCheckpoint(checkpointBody); // only checkpoint bodies go in
  return new TextEncoder().encode(checkpointBody);
}

/** Reads a heads-log entry back as a checkpoint. Throws CheckpointError on anything else. */
export function parseHeadsEntry(entry: Uint8Array): ReturnType<typeof parseCheckpoint> {
  return parseCheckpoint(new TextDecoder('utf-8', { fatal: false }).decode(entry));
}

/**
 * Opens a petition checkpoint: signed by the petitions key, origin `<petitions key name>/<id>` (and, when given,
 * `petitionId`). Petition checkpoints carry no cosignatures: they are witnessed through the heads log.
 * Throws CheckpointVerificationError ('malformed', 'unknown-log', 'bad-log-signature').
 */
export function verifyPetitionCheckpoint(
  note: string,
  keys: LogKeys,
  petitionId?: number | string,
): { checkpoint: Checkpoint; body: string } {
  let body: string;
  let checkpoint: Checkpoint;
  try {
    body = splitNote(note).text;
    checkpoint = parseCheckpoint(body);
  } catch (e) {
    throw new CheckpointVerificationError(
      'malformed',
      `the petition checkpoint is malformed: ${(e as Error).message}`,
    );
  }
  const prefix = `${keys.petitions.origin}/`;
  const id = checkpoint.origin.startsWith(prefix) ? checkpoint.origin.slice(prefix.length) : null;
  if (id === null || (petitionId !== undefined && id !== String(petitionId))) {
    const want = petitionId === undefined ? `${prefix}<id>` : `${prefix}${petitionId}`;
    throw new CheckpointVerificationError(
      'unknown-log',
      `the checkpoint is for ${checkpoint.origin}, not ${want}`,
    );
  }
  try {
    openNote(note, [noteVerifier(keys.petitions.vkey)]);
  } catch (e) {
    const msg = e instanceof NoteError ? e.message : String(e);
    throw new CheckpointVerificationError(
      'bad-log-signature',
      `the petition checkpoint's signature does not verify: ${msg}`,
    );
  }
  return { checkpoint, body };
}

/** Opens a heads checkpoint: heads key signature and the witness quorum of /log/key (policy.ts verifyCheckpoint). */
export function verifyHeadsCheckpoint(note: string, keys: LogKeys, nowSeconds?: number): VerifiedCheckpoint {
  return verifyCheckpoint(
    note,
    keys.policy,
    nowSeconds === undefined ? { origin: keys.heads.origin } : { origin: keys.heads.origin, nowSeconds },
  );
}
