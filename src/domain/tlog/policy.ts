/**
 * C2SP tlog-policy (https://c2sp.org/tlog-policy): which logs and witnesses a verifier trusts, and the quorum of
 * witnesses a checkpoint needs.
 *
 *     log <vkey> [<url>]
 *     witness <name> <vkey> [<url>]
 *     group <name> all|any|<k> <member>...
 *     quorum <name>|none
 *
 * Lines split on spaces and tabs; blank lines and `#` comments are ignored; a group or the quorum may only name
 * witnesses and groups defined above it; a name is a member of one group at most once; duplicate log or witness
 * keys (the same public key) are refused; exactly one quorum line. `/log/key` serves this text for the site.
 *
 * `verifyCheckpoint` opens a signed checkpoint with a policy: signed by one of its logs, cosigned by enough of its
 * witnesses. Pure.
 */
import { type Checkpoint, parseCheckpoint } from './checkpoint.js';
import { type CosignatureVerifier, cosignatureVerifier, SIG_TYPE_COSIGNATURE_V1 } from './cosignature.js';
import {
  NoteError,
  type NoteVerifier,
  noteVerifier,
  openNote,
  parseVerifierKey,
  SIG_TYPE_ED25519,
  splitNote,
} from './note.js';

export class PolicyError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `policy line ${line}: ${message}`);
    this.name = 'PolicyError';
  }
}

export interface PolicyLog {
  vkey: string;
  /** The key name, which is the log's origin. */
  origin: string;
  url?: string;
}
export interface PolicyWitness {
  name: string;
  vkey: string;
  url?: string;
}
export interface PolicyGroup {
  name: string;
  threshold: number;
  members: string[];
}
export interface Policy {
  logs: PolicyLog[];
  witnesses: PolicyWitness[];
  groups: PolicyGroup[];
  /** A witness or group name, or 'none'. */
  quorum: string;
}

/**
 * Parses a policy file. Throws PolicyError (with the line number) on an unknown keyword, a bad vkey or key type, a
 * forward or unknown reference, a duplicate name, member or key, a threshold outside 1…n, or not exactly one quorum.
 */
export function parsePolicy(text: string): Policy {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: only tab and newline are allowed control characters
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text))
    throw new PolicyError('the policy has a control character');
  const logs: PolicyLog[] = [];
  const witnesses: PolicyWitness[] = [];
  const groups: PolicyGroup[] = [];
  const names = new Set<string>();
  const keys = new Set<string>();
  let quorum: string | undefined;
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const n = i + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const f = line.split(/[ \t]+/);
    const keyOf = (vkey: string, type: number, what: string) => {
      let k: ReturnType<typeof parseVerifierKey>;
      try {
        k = parseVerifierKey(vkey);
        if (type === SIG_TYPE_ED25519) noteVerifier(vkey);
        else cosignatureVerifier(vkey);
      } catch (e) {
        throw new PolicyError(`${what} key: ${(e as Error).message}`, n);
      }
      if (k.sigType !== type)
        throw new PolicyError(`${what} key has type 0x0${k.sigType}, expected 0x0${type}`, n);
      const id = Buffer.from(k.key).toString('hex');
      if (keys.has(id)) throw new PolicyError(`the same public key is listed twice`, n);
      keys.add(id);
      return k;
    };
    switch (f[0]) {
      case 'log': {
        if (f.length < 2 || f.length > 3) throw new PolicyError('log <vkey> [<url>]', n);
        const k = keyOf(f[1] as string, SIG_TYPE_ED25519, 'log');
        logs.push(
          f[2]
            ? { vkey: f[1] as string, origin: k.name, url: f[2] }
            : { vkey: f[1] as string, origin: k.name },
        );
        return;
      }
      case 'witness': {
        if (f.length < 3 || f.length > 4) throw new PolicyError('witness <name> <vkey> [<url>]', n);
        const name = f[1] as string;
        if (name === 'none' || names.has(name)) throw new PolicyError(`the name ${name} is taken`, n);
        keyOf(f[2] as string, SIG_TYPE_COSIGNATURE_V1, 'witness');
        names.add(name);
        witnesses.push(f[3] ? { name, vkey: f[2] as string, url: f[3] } : { name, vkey: f[2] as string });
        return;
      }
      case 'group': {
        if (f.length < 4) throw new PolicyError('group <name> all|any|<k> <member>...', n);
        const name = f[1] as string;
        if (name === 'none' || names.has(name)) throw new PolicyError(`the name ${name} is taken`, n);
        const members = f.slice(3);
        const seen = new Set<string>();
        for (const m of members) {
          if (m === 'none') throw new PolicyError('none cannot be a group member', n);
          if (!names.has(m)) throw new PolicyError(`${m} is not defined above`, n);
          if (seen.has(m)) throw new PolicyError(`${m} is listed twice`, n);
          seen.add(m);
        }
        const t = f[2] as string;
        let threshold: number;
        if (t === 'all') threshold = members.length;
        else if (t === 'any') threshold = 1;
        else if (/^[1-9][0-9]*$/.test(t)) threshold = Number(t);
        else throw new PolicyError(`the threshold ${t} is not all, any or a number`, n);
        if (threshold < 1 || threshold > members.length)
          throw new PolicyError(`the threshold ${t} is not within 1…${members.length}`, n);
        names.add(name);
        groups.push({ name, threshold, members });
        return;
      }
      case 'quorum': {
        if (f.length !== 2) throw new PolicyError('quorum <name>', n);
        if (quorum !== undefined) throw new PolicyError('a second quorum line', n);
        const q = f[1] as string;
        if (q !== 'none' && !names.has(q)) throw new PolicyError(`${q} is not defined above`, n);
        quorum = q;
        return;
      }
      default:
        throw new PolicyError(`unknown line "${f[0]}"`, n);
    }
  });
  if (quorum === undefined) throw new PolicyError('the policy has no quorum line');
  return { logs, witnesses, groups, quorum };
}

/** Formats a policy as text (one line per log, witness, group; the quorum last). */
export function formatPolicy(p: Policy): string {
  const lines: string[] = [];
  for (const l of p.logs) lines.push(['log', l.vkey, l.url].filter(Boolean).join(' '));
  for (const w of p.witnesses) lines.push(['witness', w.name, w.vkey, w.url].filter(Boolean).join(' '));
  for (const g of p.groups) lines.push(['group', g.name, String(g.threshold), ...g.members].join(' '));
  lines.push(`quorum ${p.quorum}`);
  return `${lines.join('\n')}\n`;
}

/** True when the witnesses named in `cosigned` (by their policy names) satisfy the policy's quorum. */
export function quorumMet(p: Policy, cosigned: ReadonlySet<string>): boolean {
  if (p.quorum === 'none') return true;
  const groups = new Map(p.groups.map((g) => [g.name, g]));
  const memo = new Map<string, boolean>();
  const met = (name: string): boolean => {
    const hit = memo.get(name);
    if (hit !== undefined) return hit;
    const g = groups.get(name);
    const ok = g ? g.members.filter(met).length >= g.threshold : cosigned.has(name);
    memo.set(name, ok);
    return ok;
  };
  return met(p.quorum);
}

/** Why verifyCheckpoint refused a checkpoint. */
export type CheckpointRefusal =
  | 'malformed'
  | 'unknown-log'
  | 'bad-log-signature'
  | 'bad-witness-signature'
  | 'no-quorum';

export class CheckpointVerificationError extends Error {
  constructor(
    readonly code: CheckpointRefusal,
    message: string,
    readonly details: { witnesses?: string[] } = {},
  ) {
    super(message);
    this.name = 'CheckpointVerificationError';
  }
}

/** A checkpoint that passed verifyCheckpoint. */
export interface VerifiedCheckpoint {
  checkpoint: Checkpoint;
  /** The checkpoint body (note text). */
  body: string;
  /** The log key that signed it. */
  log: PolicyLog;
  /** Policy names of the witnesses whose cosignatures verified, with their timestamps (POSIX seconds). */
  witnesses: Array<{ name: string; timestamp: number }>;
}

/**
 * Opens a signed checkpoint note under a policy: the note must be signed by a policy log whose key name equals the
 * origin (`origin` narrows further: e.g. the petition a user asked about), every cosignature from a policy witness
 * must verify, and the verified witnesses must meet the quorum. `nowSeconds` refuses cosignatures from the future.
 * Throws CheckpointVerificationError: 'malformed', 'unknown-log' (no policy log for this origin),
 * 'bad-log-signature' (no valid signature by the log, or an invalid one), 'bad-witness-signature' (a known witness's
 * cosignature does not verify), 'no-quorum'.
 */
export function verifyCheckpoint(
  note: string,
  p: Policy,
  opts: { origin?: string; nowSeconds?: number; extraLogs?: PolicyLog[] } = {},
): VerifiedCheckpoint {
  let body: string;
  let checkpoint: Checkpoint;
  try {
    body = splitNote(note).text;
    checkpoint = parseCheckpoint(body);
  } catch (e) {
    throw new CheckpointVerificationError(
      'malformed',
      `the checkpoint is malformed: ${(e as Error).message}`,
    );
  }
  if (opts.origin !== undefined && checkpoint.origin !== opts.origin) {
    throw new CheckpointVerificationError(
      'unknown-log',
      `the checkpoint is for ${checkpoint.origin}, not ${opts.origin}`,
    );
  }
  const logs = [...p.logs, ...(opts.extraLogs ?? [])].filter((l) => l.origin === checkpoint.origin);
  if (logs.length === 0) {
    throw new CheckpointVerificationError(
      'unknown-log',
      `no trusted log key for origin ${checkpoint.origin}`,
    );
  }
  const logVerifiers = logs.map((l) => noteVerifier(l.vkey));
  let signedBy: NoteVerifier;
  try {
    signedBy = openNote(note, logVerifiers).verifiedBy[0] as NoteVerifier;
  } catch (e) {
    const msg = e instanceof NoteError ? e.message : String(e);
    throw new CheckpointVerificationError('bad-log-signature', `the log's signature does not verify: ${msg}`);
  }
  const log = logs[logVerifiers.indexOf(signedBy)] as PolicyLog;
  const witnesses: Array<{ name: string; timestamp: number }> = [];
  for (const w of p.witnesses) {
    const v: CosignatureVerifier = cosignatureVerifier(w.vkey, opts.nowSeconds);
    try {
      openNote(note, [v]);
    } catch (e) {
      if (e instanceof NoteError && e.code === 'no-verifiable-signature') continue;
      throw new CheckpointVerificationError(
        'bad-witness-signature',
        `witness ${w.name}: ${(e as Error).message}`,
        {
          witnesses: [w.name],
        },
      );
    }
    witnesses.push({ name: w.name, timestamp: v.lastVerifiedTimestamp as number });
  }
  if (!quorumMet(p, new Set(witnesses.map((w) => w.name)))) {
    throw new CheckpointVerificationError(
      'no-quorum',
      `the witness quorum (${p.quorum}) is not met: cosigned by ${witnesses.length === 0 ? 'no witness' : witnesses.map((w) => w.name).join(', ')}`,
      { witnesses: witnesses.map((w) => w.name) },
    );
  }
  return { checkpoint, body, log, witnesses };
}
