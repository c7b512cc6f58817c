/**
 * A C2SP tlog-witness (https://c2sp.org/tlog-witness): checks that each new checkpoint of the logs it follows
 * extends the last one it cosigned, and cosigns it (cosignature/v1, Ed25519).
 *
 * `addCheckpoint` implements `POST <prefix>/add-checkpoint` exactly, answering:
 * - 200 with the cosignature line(s), after the new state is persisted;
 * - 400 malformed body (old-size line, proof lines, more than 63 of them, the checkpoint note), or old size larger
 *   than the checkpoint's size;
 * - 404 unknown origin;
 * - 403 no signature by a trusted key for the origin, or a trusted key's signature that fails;
 * - 409 old size ≠ the size last cosigned (0 if never), body `<size>\n`, Content-Type `text/x.tlog.size`;
 * - 422 a size-0 checkpoint whose root is not the empty-tree hash, a proof given from old size 0, equal sizes with
 *   different roots, or a consistency proof that does not verify.
 * Checks and the state update run one request at a time, so two racing requests cannot roll the state back.
 *
 * `latestCheckpoint` serves the monitor retrieval `GET <prefix>/<sha256(origin) hex>/checkpoint`.
 */
import { createHash } from 'node:crypto';
import { parseCheckpoint } from '../domain/tlog/checkpoint.js';
import { cosignCheckpoint, cosigner } from '../domain/tlog/cosignature.js';
import {
  emptyRoot,
  type Hash,
  hashEquals,
  MerkleProofError,
  verifyConsistency,
} from '../domain/tlog/merkle.js';
import {
  decodeBase64Strict,
  encodeBase64,
  NoteError,
  noteVerifier,
  openNote,
  splitNote,
} from '../domain/tlog/note.js';

/** What the witness remembers per log: the latest checkpoint it cosigned. */
export interface WitnessedLog {
  size: number;
  /** base64 root hash. */
  root: string;
  /** The checkpoint note as received, followed by this witness's cosignature (served to monitors). */
  note: string;
}

/** Where the witness keeps its state. `update` must be atomic (the file store writes a temp file and renames). */
export interface WitnessStateStore {
  get(origin: string): WitnessedLog | undefined;
  set(origin: string, entry: WitnessedLog): Promise<void>;
}

/** One log this witness follows: its origin and the vkeys trusted to sign its checkpoints. */
export interface WitnessedLogConfig {
  origin: string;
  vkeys: string[];
}

export interface WitnessOptions {
  /** The witness's cosigner skey (`PRIVATE+KEY+<name>+<id>+…`, type 0x04). */
  skey: string;
  logs: WitnessedLogConfig[];
  state: WitnessStateStore;
  /** Current time in ms (injected for tests). */
  now?: () => number;
  /** Called for each refused request that carried a valid log signature — possible evidence of misbehaviour. */
  onRefusal?: (origin: string, status: number, reason: string, body: string) => void;
}

/** An HTTP answer: status, body, content type. */
export interface WitnessResponse {
  status: 200 | 400 | 403 | 404 | 409 | 422;
  body: string;
  contentType: string;
}

const TEXT = 'text/plain; charset=utf-8';
const answer = (status: WitnessResponse['status'], body: string, contentType = TEXT): WitnessResponse => ({
  status,
  body: body.endsWith('\n') ? body : `${body}\n`,
  contentType,
});

/** The largest add-checkpoint body accepted (bytes): 63 proof lines and a note with many cosignatures fit easily. */
export const MAX_ADD_CHECKPOINT_BODY = 64 * 1024;

export class Witness {
  readonly name: string;
  readonly vkey: string;
  private readonly skey: string;
  private readonly logs = new Map<string, ReturnType<typeof noteVerifier>[]>();
  private readonly state: WitnessStateStore;
  private readonly now: () => number;
  private readonly onRefusal: WitnessOptions['onRefusal'];
  private queue: Promise<unknown> = Promise.resolve();

  /** Throws NoteError on a bad skey or log vkey. */
  constructor(opts: WitnessOptions) {
    const c = cosigner(opts.skey);
    this.name = c.name;
    this.vkey = c.vkey;
    this.skey = opts.skey;
    for (const l of opts.logs) this.logs.set(l.origin, l.vkeys.map(noteVerifier));
    this.state = opts.state;
    this.now = opts.now ?? Date.now;
    this.onRefusal = opts.onRefusal;
  }

  /** The origins this witness follows. */
  origins(): string[] {
    return [...this.logs.keys()];
  }

  /** Handles one add-checkpoint request body. Never throws for bad input: every refusal is an answer. */
  addCheckpoint(body: string): Promise<WitnessResponse> {
    const run = this.queue.then(() => this.handle(body));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The latest cosigned checkpoint of the log whose origin hashes (SHA-256, lowercase hex) to `originHash`. */
  latestCheckpoint(originHash: string): string | undefined {
    for (const origin of this.logs.keys()) {
      if (createHash('sha256').update(origin).digest('hex') === originHash)
        return this.state.get(origin)?.note;
    }
    return undefined;
  }

  private async handle(body: string): Promise<WitnessResponse> {
    // Old size line, proof lines, empty line, checkpoint.
    const lines = body.split('\n');
    const oldMatch = /^old (0|[1-9][0-9]*)$/.exec(lines[0] ?? '');
    if (!oldMatch) return answer(400, 'the first line must be "old <size>"');
    const oldSize = Number(oldMatch[1]);
    if (!Number.isSafeInteger(oldSize)) return answer(400, 'the old size is too large');
    const proof: Hash[] = [];
    let i = 1;
    for (; i < lines.length && lines[i] !== ''; i++) {
      const h = decodeBase64Strict(lines[i] as string);
      if (h?.length !== 32) return answer(400, `consistency proof line ${i} is not a base64 SHA-256 hash`);
      proof.push(h);
    }
    if (i >= lines.length) return answer(400, 'no empty line before the checkpoint');
    if (proof.length > 63) return answer(400, 'more than 63 consistency proof lines');
    const note = lines.slice(i + 1).join('\n');
    let text: string;
    let origin: string;
    let size: number;
    let root: Hash;
    try {
      text = splitNote(note).text;
      ({ origin, size, root } = parseCheckpoint(text));
    } catch (e) {
      return answer(400, `the checkpoint is malformed: ${(e as Error).message}`);
    }
    const verifiers = this.logs.get(origin);
    if (!verifiers) return answer(404, `unknown log origin ${origin}`);
    try {
      openNote(note, verifiers);
    } catch (e) {
      if (e instanceof NoteError && e.code === 'malformed-note') return answer(400, e.message);
      return answer(
        403,
        `the checkpoint is not signed by a trusted key of ${origin}: ${(e as Error).message}`,
      );
    }
    const refuse = (
      status: WitnessResponse['status'],
      reason: string,
      contentType?: string,
    ): WitnessResponse => {
      this.onRefusal?.(origin, status, reason, body);
      return answer(status, reason, contentType);
    };
    if (oldSize > size) return refuse(400, `old size ${oldSize} is larger than the checkpoint size ${size}`);
    const known = this.state.get(origin);
    const knownSize = known?.size ?? 0;
    if (oldSize !== knownSize) return refuse(409, `${knownSize}`, 'text/x.tlog.size');
    if (size === 0 && !hashEquals(root, emptyRoot()))
      return refuse(422, 'a checkpoint of size 0 must have the empty-tree root');
    if (oldSize === 0) {
      if (proof.length !== 0) return refuse(422, 'a consistency proof from size 0 must be empty');
    } else {
      const knownRoot = decodeBase64Strict(known?.root ?? '') as Hash;
      try {
        verifyConsistency(oldSize, size, knownRoot, root, proof);
      } catch (e) {
        if (e instanceof MerkleProofError) {
          return refuse(
            422,
            `the checkpoint is not consistent with the one cosigned at size ${oldSize}: ${e.message}`,
          );
        }
        throw e;
      }
    }
    const timestamp = Math.max(1, Math.floor(this.now() / 1000));
    const line = cosignCheckpoint(text, this.skey, timestamp);
    await this.state.set(origin, { size, root: encodeBase64(root), note: `${note}${line}` });
    return answer(200, line);
  }
}
