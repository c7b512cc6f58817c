/**
 * Measures the personal-data detector (src/moderation/personal-data.ts): builds the labelled set (real petition
 * texts + synthetic personal data, seeded), scores precision and recall per kind, prints the table and writes
 * docs/personal-data-detector.md.
 *
 * Usage: npm run eval:personal-data [-- --sample] [-- --no-write]
 *   --sample    read data/sample even when ../shared/data exists (Korean texts only)
 *   --no-write  print only; leave docs/personal-data-detector.md alone
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import {
  buildLabelledSet,
  DEFAULT_LABELLED_SET,
  type Evaluation,
  evaluate,
  familyTable,
  loadPetitionTexts,
  type TextOrigin,
} from '../src/moderation/personal-data-evaluation.js';

const DOC = fileURLToPath(new URL('../docs/personal-data-detector.md', import.meta.url));
const MARK_START = '<!-- results:start (written by npm run eval:personal-data) -->';
const MARK_END = '<!-- results:end -->';

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const origin: TextOrigin | undefined = args.has('--sample') ? 'sample' : undefined;
  process.stderr.write('Reading petition texts…\n');
  const loaded = await loadPetitionTexts(origin);
  const opts = DEFAULT_LABELLED_SET;
  const set = buildLabelledSet(loaded.texts, opts);
  const bar = new cliProgress.SingleBar(
    { format: 'detecting {bar} {value}/{total} texts', stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar.start(set.length, 0);
  const e = evaluate(set, {
    onProgress: (done) => (done % 50 === 0 || done === set.length) && bar.update(done),
  });
  bar.stop();
  const available = {
    ko: loaded.texts.filter((t) => t.lang === 'ko').length,
    en: loaded.texts.filter((t) => t.lang === 'en').length,
  };
  const results = renderResults(e, loaded.origin, available);
  process.stdout.write(`${results}\n`);
  if (!args.has('--no-write')) {
    const doc = readFileSync(DOC, 'utf8');
    const a = doc.indexOf(MARK_START);
    const b = doc.indexOf(MARK_END);
    if (a < 0 || b < a) throw new Error(`${DOC} lacks the results markers`);
    writeFileSync(DOC, `${doc.slice(0, a + MARK_START.length)}\n\n${results}\n\n${doc.slice(b)}`);
    process.stderr.write(`Wrote ${path.relative(process.cwd(), DOC)}\n`);
  }
}

function renderResults(e: Evaluation, origin: TextOrigin, available: { ko: number; en: number }): string {
  const o = DEFAULT_LABELLED_SET;
  const goldTotal = e.families.reduce((s, f) => s + f.gold, 0);
  const lines: string[] = [];
  lines.push(
    `Texts from ${origin === 'shared' ? '`../shared/data`' : '`data/sample`'} (${available.ko} Korean, ${available.en} English petitions with a body); ` +
      `seed ${o.seed}; ${e.texts} texts drawn (up to ${o.korean} Korean, ${o.english} English), ${e.untouched} left untouched; ` +
      `${goldTotal} synthetic spans inserted; ${(e.characters / 1e6).toFixed(1)} M characters. ` +
      `Detection took ${Math.round(e.detectMs)} ms in all (${(((e.characters / e.detectMs) * 1000) / 1e6).toFixed(1)} M characters/s on this machine).`,
  );
  lines.push('', familyTable(e), '');
  lines.push('Recall by written form (forms below 1.000 only):', '');
  const weak = Object.entries(e.forms)
    .filter(([, v]) => v.found < v.gold)
    .sort(([a], [b]) => a.localeCompare(b));
  if (weak.length === 0) lines.push('- every form at 1.000');
  for (const [form, v] of weak) lines.push(`- ${form}: ${v.found}/${v.gold}`);
  lines.push('', 'Missed synthetic values (first 12):', '');
  for (const m of e.missed.slice(0, 12)) lines.push(`- ${m.form}: \`${m.value}\` in “${m.sentence}”`);
  if (e.missed.length === 0) lines.push('- none');
  lines.push('', '### False positives by kind', '');
  lines.push(
    'Flags on text that was not inserted. Contexts are truncated and every detection in them is shown masked (⟦⟧ marks the one counted), so no personal data from the archive is repeated here.',
    '',
  );
  const kinds = Object.entries(e.falsePositives).sort(([, a], [, b]) => (b?.count ?? 0) - (a?.count ?? 0));
  if (kinds.length === 0) lines.push('None.');
  for (const [kind, v] of kinds) {
    if (!v) continue;
    lines.push(`- **${kind}**: ${v.count}`);
    for (const ex of v.examples)
      lines.push(`  - (${ex.confidence}, ${ex.ref}) ${ex.context.replaceAll('|', '\\|')}`);
  }
  return lines.join('\n');
}

await main();
