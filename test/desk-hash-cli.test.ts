/**
 * `cheongwon desk hash FILE…`: one line `<pdq hex> <quality> <file>` per image, in order, comparable with any PDQ
 * implementation (Meta's C++ hashes of its ≤ 512 px test images, bit for bit); broken files reported, exit 1.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { registerDeskCommands } from '../src/cli/desk.js';
import { DIHEDRAL_NAMES } from '../src/domain/pdq/pdq.js';
import { HAS_SHARED_DATA, shared } from './support/shared-data.js';

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const program = new Command().exitOverride();
  registerDeskCommands(
    program,
    (line) => out.push(line),
    (line) => err.push(line),
  );
  await program.parseAsync(['desk', 'hash', ...args], { from: 'user' });
  return { out, err, exitCode: process.exitCode };
}

afterEach(() => {
  process.exitCode = undefined;
});

describe.skipIf(!HAS_SHARED_DATA)('cheongwon desk hash', () => {
  it('prints "<pdq hex> <quality> <file>" per image, in the order given, equal to the C++ reference for ≤ 512 px', async () => {
    const a = shared('pdq/bridge-mods/square-128x128.jpg');
    const b = shared('pdq/misc/wee.jpg');
    const c = shared('pdq/bridge-mods/shrink-a-lot.jpg');
    const { out, err, exitCode } = await run(a, b, c);
    expect(err).toEqual([]);
    expect(exitCode).toBeUndefined();
    expect(out).toEqual([
      `d8f8f1eec0f4a84f0e37022a078f63f0b36e2ed596621e1d33e6239c4e9c9b22 100 ${a}`,
      `6227401f601ff4ccafcc9fad4b0d95d371a2eb7265a3285234d228ca94deeb2d 100 ${b}`,
      `d0f8f1ccc0f4a84d0a370a3a228f67f0b36e2ed5b6623e1d33e6339c4e9c9b22 100 ${c}`,
    ]);
  });

  it('--dihedral prints the 8 transforms, named, the original first', async () => {
    const a = shared('pdq/bridge-mods/square-128x128.jpg');
    const { out } = await run('--dihedral', a);
    expect(out).toHaveLength(8);
    expect(out[0]).toBe(`d8f8f1eec0f4a84f0e37022a078f63f0b36e2ed596621e1d33e6239c4e9c9b22 100 ${a} original`);
    expect(out.map((l) => l.split(' ')[3])).toEqual([...DIHEDRAL_NAMES]);
  });

  it('reports a file that is not an image and a missing file, hashes the rest, and exits 1', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'desk-hash-'));
    const text = path.join(dir, 'notes.jpg');
    writeFileSync(text, 'not an image');
    const good = shared('pdq/misc/wee.jpg');
    const { out, err, exitCode } = await run(text, good, path.join(dir, 'missing.png'));
    expect(out).toEqual([`6227401f601ff4ccafcc9fad4b0d95d371a2eb7265a3285234d228ca94deeb2d 100 ${good}`]);
    expect(err).toHaveLength(2);
    expect(err[0]).toMatch(/^cheongwon: .*notes\.jpg: /);
    expect(err[1]).toMatch(/^cheongwon: .*missing\.png: /);
    expect(exitCode).toBe(1);
  });
});
