/**
 * The witness's files: its configuration, its key file and its state file.
 *
 * Configuration (text, one directive per line, `#` comments):
 *
 *     name witness.example.org/cheongwon      # the witness's key name (a schema-less URL)
 *     key witness.key                         # the key file, relative to this file (default witness.key)
 *     state witness-state.json                # the state file, relative to this file (default witness-state.json)
 *     log cheongwon.example/heads+1a2b3c4d+AW… # a log to witness: its Ed25519 vkey; the key name is its origin
 *
 * The key file holds the witness's skey (cosignature/v1) on one line, mode 0600; it is generated on first run.
 * The state file is JSON `{ "<origin>": { size, root, note } }`, replaced atomically (write a temporary file, fsync,
 * rename, fsync the directory) so a crash leaves the old state or the new one, never a torn file.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { generateCosignerKey } from '../domain/tlog/cosignature.js';
import { isValidKeyName, parseVerifierKey } from '../domain/tlog/note.js';
import type { WitnessedLog, WitnessedLogConfig, WitnessStateStore } from './witness.js';

export class WitnessConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WitnessConfigError';
  }
}

export interface WitnessConfig {
  name: string;
  keyFile: string;
  stateFile: string;
  logs: WitnessedLogConfig[];
}

/** Parses a configuration file's text; relative paths resolve against `dir`. Throws WitnessConfigError. */
export function parseWitnessConfig(text: string, dir: string): WitnessConfig {
  let name: string | undefined;
  let keyFile = path.join(dir, 'witness.key');
  let stateFile = path.join(dir, 'witness-state.json');
  const logs = new Map<string, string[]>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const [word, ...rest] = line.split(/[ \t]+/);
    const where = `configuration line ${i + 1}`;
    if (rest.length !== 1) throw new WitnessConfigError(`${where}: "${word}" takes one value`);
    const value = rest[0] as string;
    switch (word) {
      case 'name':
        if (!isValidKeyName(value))
          throw new WitnessConfigError(`${where}: the name must have no spaces or +`);
        name = value;
        break;
      case 'key':
        keyFile = path.resolve(dir, value);
        break;
      case 'state':
        stateFile = path.resolve(dir, value);
        break;
      case 'log': {
        let origin: string;
        try {
          const k = parseVerifierKey(value);
          if (k.sigType !== 1) throw new Error('a log key is an Ed25519 note key (type 0x01)');
          origin = k.name;
        } catch (e) {
          throw new WitnessConfigError(`${where}: ${(e as Error).message}`);
        }
        logs.set(origin, [...(logs.get(origin) ?? []), value]);
        break;
      }
      default:
        throw new WitnessConfigError(`${where}: unknown directive "${word}" (name, key, state, log)`);
    }
  });
  if (!name) throw new WitnessConfigError('the configuration has no "name" line');
  return { name, keyFile, stateFile, logs: [...logs].map(([origin, vkeys]) => ({ origin, vkeys })) };
}

/** Reads and parses a configuration file. Throws WitnessConfigError (also when the file is missing). */
export function readWitnessConfig(file: string): WitnessConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new WitnessConfigError(
      `cannot read the witness configuration ${file} (create one with "cheongwon witness init")`,
    );
  }
  return parseWitnessConfig(text, path.dirname(path.resolve(file)));
}

/** Writes `data` to `file` atomically: temporary file, fsync, rename, fsync of the directory. */
export function writeFileAtomic(file: string, data: string, mode = 0o644): void {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  try {
    const dfd = openSync(dir, 'r');
    fsyncSync(dfd);
    closeSync(dfd);
  } catch {
    // Some file systems cannot fsync a directory; the rename is still atomic.
  }
}

/**
 * The witness's skey from its key file, generating the key (mode 0600) on first run. Returns the skey and whether
 * it was just made. Throws WitnessConfigError when the file holds a key for another name.
 */
export function loadOrCreateWitnessKey(keyFile: string, name: string): { skey: string; created: boolean } {
  if (existsSync(keyFile)) {
    const skey = readFileSync(keyFile, 'utf8').trim();
    const keyName = skey.split('+')[2];
    if (keyName !== name) {
      throw new WitnessConfigError(`the key in ${keyFile} is for "${keyName}", not "${name}"`);
    }
    return { skey, created: false };
  }
  const { skey } = generateCosignerKey(name);
  writeFileAtomic(keyFile, `${skey}\n`, 0o600);
  return { skey, created: true };
}

/** A state store over a JSON file, replaced atomically on each update. Throws WitnessConfigError on a corrupt file. */
export function fileStateStore(stateFile: string): WitnessStateStore {
  let state: Record<string, WitnessedLog> = {};
  if (existsSync(stateFile)) {
    try {
      state = JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, WitnessedLog>;
    } catch (e) {
      throw new WitnessConfigError(`the state file ${stateFile} is not valid JSON: ${(e as Error).message}`);
    }
  }
  return {
    get: (origin) => state[origin],
    set: async (origin, entry) => {
      const next = { ...state, [origin]: entry };
      writeFileAtomic(stateFile, `${JSON.stringify(next, null, 2)}\n`);
      state = next;
    },
  };
}
