import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointError, formatCheckpoint, parseCheckpoint } from './checkpoint.js';
import { leafHash } from './merkle.js';
import {
  generateSignerKey,
  NoteError,
  noteSigner,
  noteVerifier,
  openNote,
  signNote,
  verifierKeyOf,
} from './note.js';

const v = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../test/fixtures/tlog/note/vectors.json'), 'utf8'),
) as {
  go: Record<string, string | string[] | number>;
  c2sp: Record<string, string>;
};
const go = v.go as {
  peterSkey: string;
  peterVkey: string;
  enochVkey: string;
  text: string;
  peterSig: string;
  enochSig: string;
  badVkeys: string[];
  treeText: string;
  treeSize: number;
  treeRootIsLeafHashOf: string;
};

describe('signed-note keys (golang.org/x/mod sumdb/note vectors)', () => {
  it('accepts the published keys and derives the vkey from the skey', () => {
    expect(noteVerifier(go.peterVkey).keyId).toBe(0xc74f20a3);
    expect(noteSigner(go.peterSkey).name).toBe('PeterNeumann');
    expect(verifierKeyOf(go.peterSkey)).toBe(go.peterVkey);
  });

  it('refuses every truncation and every one-character change of a vkey', () => {
    const k = go.peterVkey;
    for (let i = 0; i <= k.length; i++) {
      for (let j = i + 1; j <= k.length; j++) {
        if (i === 0 && j === k.length) continue;
        expect(() => noteVerifier(k.slice(i, j)), k.slice(i, j)).toThrow(NoteError);
      }
    }
    for (let i = 0; i < k.length; i++) {
      const changed = k.slice(0, i) + String.fromCharCode(k.charCodeAt(i) + 1) + k.slice(i + 1);
      expect(() => noteVerifier(changed), changed).toThrow(NoteError);
    }
    for (const bad of go.badVkeys) expect(() => noteVerifier(bad)).toThrow(NoteError);
  });

  it('refuses every truncation and one-character change of an skey', () => {
    const k = go.peterSkey;
    for (let i = 0; i < k.length; i++) {
      const changed = k.slice(0, i) + String.fromCharCode(k.charCodeAt(i) + 1) + k.slice(i + 1);
      expect(() => noteSigner(changed), changed).toThrow(NoteError);
      expect(() => noteSigner(k.slice(0, i)), k.slice(0, i)).toThrow(NoteError);
    }
  });

  it('generates key pairs whose key ID is SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4]', () => {
    const { skey, vkey } = generateSignerKey('cheongwon.example/petitions/6');
    expect(skey).toMatch(/^PRIVATE\+KEY\+cheongwon\.example\/petitions\/6\+[0-9a-f]{8}\+/);
    expect(verifierKeyOf(skey)).toBe(vkey);
    const note = signNote('hello\n', skey);
    expect(openNote(note, [vkey]).text).toBe('hello\n');
    expect(() => generateSignerKey('has space')).toThrow(NoteError);
    expect(() => generateSignerKey('a+b')).toThrow(NoteError);
  });
});

describe('signing and opening notes', () => {
  it('signs exactly as Go does (Ed25519 is deterministic)', () => {
    expect(signNote(go.text, go.peterSkey)).toBe(`${go.text}\n${go.peterSig}`);
  });

  it('opens the C2SP example note', () => {
    const out = openNote(v.c2sp.exampleNote as string, [v.c2sp.exampleVkey as string]);
    expect(out.text).toBe('This is an example message.\n');
    expect(out.verifiedBy.map((x) => x.name)).toEqual(['example.com/foo']);
  });

  it('verifies known keys, ignores unknown ones, and refuses a note no known key signed', () => {
    const note = `${go.text}\n${go.peterSig}${go.enochSig}`;
    const one = openNote(note, [go.peterVkey]);
    expect(one.verifiedBy.map((x) => x.name)).toEqual(['PeterNeumann']);
    expect(one.signatures.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
    const two = openNote(note, [go.peterVkey, go.enochVkey]);
    expect(two.verifiedBy.map((x) => x.name)).toEqual(['PeterNeumann', 'EnochRoot']);
    expect(() => openNote(note, [])).toThrow(/no verifiable signatures/);
    try {
      openNote(note, []);
    } catch (e) {
      expect((e as NoteError).code).toBe('no-verifiable-signature');
    }
    expect(() => openNote(`${go.text}\n${go.enochSig}`, [go.enochVkey, go.peterVkey, go.enochVkey])).toThrow(
      /ambiguous key EnochRoot\+af0cfe78/,
    );
  });

  it('refuses a changed signature of a known key, a changed text, and malformed notes', () => {
    const sig = go.peterSig;
    const broken = `${go.text}\n${sig.slice(0, 60)}ABCD${sig.slice(60)}`;
    expect(() => openNote(broken, [go.peterVkey])).toThrow(
      /invalid signature for key PeterNeumann\+c74f20a3/,
    );
    const changedText = `${go.text.replace('answer', 'answers')}\n${sig}`;
    expect(() => openNote(changedText, [go.peterVkey])).toThrow(NoteError);
    const malformed = [
      `${go.text}${sig}`, // no blank line
      `${go.text}\n${sig.slice(0, -1)}`, // no final newline
      `${go.text}\n`, // no signatures
      `${go.text}\n${sig.repeat(101)}`, // too many
      `${go.text.replace('\n', '\t\n')}\n${sig}`, // control character
      `${go.text}\n— PeterNeumann\n`, // no base64
      `${go.text}\n— Peter+Neumann ${sig.split(' ')[2]}`, // bad name
    ];
    for (const m of malformed) {
      expect(() => openNote(m, [go.peterVkey]), JSON.stringify(m.slice(-40))).toThrow(NoteError);
    }
    expect(() => openNote(new Uint8Array([0xff, 0x0a, 0x0a]), [go.peterVkey])).toThrow(/UTF-8/);
  });
});

describe('checkpoints (C2SP tlog-checkpoint)', () => {
  it('parses and formats the spec example and the Go tree note', () => {
    const c = parseCheckpoint(v.c2sp.checkpointBody as string);
    expect(c.origin).toBe('example.com/behind-the-sofa');
    expect(c.size).toBe(20852163);
    expect(formatCheckpoint(c)).toBe(v.c2sp.checkpointBody);
    const tree = parseCheckpoint(go.treeText);
    expect(tree.size).toBe(go.treeSize);
    expect(Buffer.from(tree.root)).toEqual(
      Buffer.from(leafHash(new TextEncoder().encode(go.treeRootIsLeafHashOf))),
    );
  });

  it('keeps extension lines and refuses malformed bodies', () => {
    const body = `${v.c2sp.checkpointBody}ext one\n`;
    expect(parseCheckpoint(body).extensions).toEqual(['ext one']);
    expect(formatCheckpoint(parseCheckpoint(body))).toBe(body);
    const root = 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=';
    for (const bad of [
      `o\n01\n${root}\n`,
      `o\n-1\n${root}\n`,
      `o\n0xab\n${root}\n`,
      `\n1\n${root}\n`,
      `o\n1\n${root}`,
      'o\n1\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBTOOBIG=\n',
      `o\n1\n${root}\n\n`,
      'o\n1\n',
    ]) {
      expect(() => parseCheckpoint(bad), JSON.stringify(bad)).toThrow(CheckpointError);
    }
  });
});
