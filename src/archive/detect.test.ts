import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../domain/errors.js';
import { detectFormat } from './detect.js';
import { detectFileFormat } from './parse-file.js';
import type { ArchiveFormat } from './record.js';

const DATA_DIR = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const HAVE_DATA = existsSync(DATA_DIR);

function errorOf(f: () => unknown): DomainError {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('detectFormat (content only)', () => {
  it.each<[string, ArchiveFormat]>([
    [
      '{"petition_id": 1, "time": "t", "begin": "2020-01-01", "agree": 3}\n{"petition_id": 2',
      'cwd-korkeep-jsonl',
    ],
    ['{"category": "x", "num_agree": 1, "petition_idx": "5"}\n', 'cwd-lovit-jsonl'],
    [
      'num,category,start-days,end-days,person,progress,title,count,petition_overview,petition_answer\r\r\n1',
      'cwd-answers-csv',
    ],
    ['id,category,title,expiryDate,numOfAgrees\n449459.0,a,b,2021-01-20,319\n', 'cwd-list-csv'],
    ['rowno,category,title,content,count,start,end\r\n1,"', 'assembly-csv'],
    [',id,url,title,content,statement,tags,signs,createdDate,Month,Day,Year,CD,FCD\r\n66,lwQW9', 'wtp-csv'],
    [
      '{"links":{},"data":{"type":"petition","id":1,"attributes":{"action":"a","signature_count":5}}}',
      'uk-json',
    ],
    [
      '{\n  "data": {\n    "id": 1,\n    "attributes": {\n      "action": "x",\n      "signature_count": 12,\n',
      'uk-json',
    ],
    ['{"data":[{"id":1,"attributes":{"signature_count":1}}]}', 'uk-json'],
  ])('%#: %s…', (head, format) => {
    expect(detectFormat(head)).toBe(format);
    expect(detectFormat(Buffer.from(head, 'utf8'))).toBe(format);
  });

  it('works on a BOM-prefixed and on a gzipped head (even when the gzip head is cut short)', () => {
    const text = `\uFEFFid,category,title,expiryDate,numOfAgrees\n${'1.0,a,b,2021-01-20,3\n'.repeat(5000)}`;
    expect(detectFormat(Buffer.from(text, 'utf8'))).toBe('cwd-list-csv');
    const gz = gzipSync(Buffer.from(text, 'utf8'));
    expect(detectFormat(gz)).toBe('cwd-list-csv');
    expect(detectFormat(gz.subarray(0, 200))).toBe('cwd-list-csv');
  });

  it('skips an undecodable first JSON line and decides by the next one', () => {
    expect(detectFormat('{"petition_id": 1, "agr\n{"petition_id": 2, "agree": 1}\n')).toBe(
      'cwd-korkeep-jsonl',
    );
  });

  it('throws unknown_format naming what it saw', () => {
    const csv = errorOf(() => detectFormat('name,age\nkim,3\n'));
    expect(csv.code).toBe('unknown_format');
    expect(csv.message).toContain('"name,age"');
    expect(csv.message).toContain('["name","age"]');

    const jsonl = errorOf(() => detectFormat('{"foo": 1, "bar": 2}\n'));
    expect(jsonl.code).toBe('unknown_format');
    expect(jsonl.message).toContain('["foo","bar"]');

    const empty = errorOf(() => detectFormat(''));
    expect(empty.code).toBe('unknown_format');
    expect(empty.message).toContain('empty');

    const json = errorOf(() => detectFormat('[1, 2, 3]'));
    expect(json.code).toBe('unknown_format');
    expect(json.message).toContain('[1, 2, 3]');
  });
});

describe.skipIf(!HAVE_DATA)(
  `detectFileFormat on the real files under misleading names${HAVE_DATA ? '' : ` (skipped: ${DATA_DIR} not found)`}`,
  () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'cheongwon-detect-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it.each<[string, string, ArchiveFormat]>([
      ['cwd/cwd_2020_korkeep.jsonl', 'petitions.csv', 'cwd-korkeep-jsonl'],
      ['cwd/cwd_lovit_petitions_2019-04.jsonl', 'uk_1.json', 'cwd-lovit-jsonl'],
      ['cwd/cwd_answered_briefing_gyunggyung.csv', 'data.jsonl', 'cwd-answers-csv'],
      ['cwd/cwd_2019-2021_list_choi-jiwoo.csv.gz', 'list.json', 'cwd-list-csv'],
      ['assembly/na_petitions-assembly-dataset_jeongkyu.csv', 'wtp.csv.gz', 'assembly-csv'],
      ['uk/uk_241584_revoke_article_50_snapshot_2019-03-24.json', 'korkeep.jsonl', 'uk-json'],
      ['uk/uk_653440.json', 'noext', 'uk-json'],
      ['us/us_wtp_dataset_1K.csv', 'assembly.csv', 'wtp-csv'],
    ])('%s copied to %s', async (src, name, format) => {
      const p = join(dir, name);
      await copyFile(join(DATA_DIR, src), p);
      expect(await detectFileFormat(p)).toBe(format);
    });

    it('detects a plain file that was gzipped under a .csv name', async () => {
      const p = join(dir, 'really-gzip.csv');
      const { readFile } = await import('node:fs/promises');
      await writeFile(p, gzipSync(await readFile(join(DATA_DIR, 'cwd/cwd_lovit_petitions_2019-06.jsonl'))));
      expect(await detectFileFormat(p)).toBe('cwd-lovit-jsonl');
    });
  },
);
