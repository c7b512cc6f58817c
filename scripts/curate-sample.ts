/**
 * Builds data/sample/ — the real Blue House archive subset that ships with the repository and is loaded into an
 * empty database at first start. Lines are copied byte-for-byte from the archives in ../shared/data (see its
 * MANIFEST.md for sources and licences) and gzipped; the selection is deterministic, so running this again on the
 * same sources gives the same files.
 *
 * Selection:
 *  - 2020 (korkeep crawl): every petition whose title or text names the Telegram Room-N case (n번방, 박사방,
 *    텔레그램, 조주빈), every answered petition (status 브리핑), and a spread over categories × months: in each
 *    (category, month) cell the 10 most agreed petitions plus 6 at evenly spaced ranks below them;
 *  - 2017-08 and 2019-04..06 (lovit crawl): per month, the 80 most agreed plus 40 at evenly spaced ranks;
 *  - 2017-09..2018-11 answered petitions with their official answers (gyunggyung CSV): the whole file.
 *
 * Usage: npm run sample:curate [-- SHARED_DATA_DIR]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const shared = path.resolve(process.argv[2] ?? '../shared/data');
const out = path.resolve('data/sample');
const ROOM_N = /n번방|박사방|텔레그램|조주빈/i;

interface Line {
  raw: string;
  json: Record<string, unknown>;
}

function readJsonLines(file: string): Line[] {
  return readFileSync(path.join(shared, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((raw) => ({ raw, json: JSON.parse(raw) as Record<string, unknown> }));
}

/** The `top` largest by `count`, then `spread` more at evenly spaced ranks among the rest. */
function topAndSpread(lines: Line[], count: (l: Line) => number, top: number, spread: number): Line[] {
  const sorted = [...lines].sort((a, b) => count(b) - count(a) || a.raw.localeCompare(b.raw));
  const picked = sorted.slice(0, top);
  const rest = sorted.slice(top);
  if (rest.length > 0) {
    const step = rest.length / spread;
    for (let i = 0; i < spread && Math.floor(i * step) < rest.length; i++)
      picked.push(rest[Math.floor(i * step)] as Line);
  }
  return picked;
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k) ?? [];
    list.push(item);
    groups.set(k, list);
  }
  return groups;
}

function write(name: string, lines: Line[], order: (l: Line) => number): void {
  const unique = [...new Map(lines.map((l) => [l.raw, l])).values()].sort((a, b) => order(a) - order(b));
  const body = `${unique.map((l) => l.raw).join('\n')}\n`;
  writeFileSync(path.join(out, name), gzipSync(body, { level: 9 }));
  console.log(`${name}: ${unique.length} petitions, ${(body.length / 1e6).toFixed(1)} MB of text`);
}

mkdirSync(out, { recursive: true });

const y2020 = readJsonLines('cwd/cwd_2020_korkeep.jsonl');
const agree2020 = (l: Line) => Number(l.json.agree);
const picked2020 = y2020.filter(
  (l) =>
    ROOM_N.test(String(l.json.title)) || ROOM_N.test(String(l.json.content)) || l.json.status === '브리핑',
);
for (const cell of groupBy(y2020, (l) => `${l.json.category}|${String(l.json.begin).slice(0, 7)}`).values()) {
  picked2020.push(...topAndSpread(cell, agree2020, 10, 6));
}
write('cwd-2020-korkeep.jsonl.gz', picked2020, (l) => Number(l.json.petition_id));

for (const month of ['2017-08', '2019-04', '2019-05', '2019-06']) {
  const lines = readJsonLines(`cwd/cwd_lovit_petitions_${month}.jsonl`);
  write(
    `cwd-${month}-lovit.jsonl.gz`,
    topAndSpread(lines, (l) => Number(l.json.num_agree), 80, 40),
    (l) => Number(l.json.petition_idx),
  );
}

const answers = readFileSync(path.join(shared, 'cwd/cwd_answered_briefing_gyunggyung.csv'));
writeFileSync(path.join(out, 'cwd-2017-2018-answers.csv.gz'), gzipSync(answers, { level: 9 }));
console.log(`cwd-2017-2018-answers.csv.gz: the whole file, ${(answers.length / 1e6).toFixed(1)} MB`);
