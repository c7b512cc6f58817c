/**
 * Measures the personal-data detector (src/moderation/personal-data.ts): builds the labelled set (real petition
 * texts + synthetic personal data, seeded), scores precision and recall per kind, prints the table and writes
 * docs/personal-data-detector.md.
 *
 * Three measurements: the hand-written labelled cases (data/personal-data: dev, held-out, second held-out), alone and
 * set into real petitions of each part's half of the archive; and the generated set (synthetic values in template
 * sentences inserted into real petitions).
 *
 * Usage: npm run eval:personal-data [-- --sample] [-- --no-write] [-- --detector FILE]
 *   --sample         read data/sample even when ../shared/data exists (Korean texts only)
 *   --no-write       print only; leave docs/personal-data-detector.md alone
 *   --detector FILE  measure another version of the detector (a module exporting detectPersonalData, e.g. an
 *                    older src/domain/personal-data.ts saved beside it); implies --no-write
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import type { PersonalDataFlag } from '../src/domain/personal-data.js';
import {
  type CaseEvaluation,
  type CasePart,
  casesInPetitions,
  evaluateCases,
  type KindScore,
  loadCases,
  loadReviewedReal,
} from '../src/moderation/personal-data-cases.js';
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

const PARTS: readonly CasePart[] = ['dev', 'heldout', 'heldout2', 'heldout3'];
/** Seed of the draw of real petitions for the cases set into them. */
const IN_PETITIONS = { seed: 20261207, untouched: 1500 };

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = new Set(argv);
  const detectorFile = args.has('--detector') ? argv[argv.indexOf('--detector') + 1] : undefined;
  if (args.has('--detector') && !detectorFile) throw new Error('--detector needs a file');
  const detect: ((text: string) => PersonalDataFlag[]) | undefined = detectorFile
    ? (await import(path.resolve(detectorFile))).detectPersonalData
    : undefined;
  const origin: TextOrigin | undefined = args.has('--sample') ? 'sample' : undefined;
  process.stderr.write('Reading petition texts…\n');
  const loaded = await loadPetitionTexts(origin);
  const reviewed = loadReviewedReal();
  const alone = PARTS.map((part) => evaluateCases(part, loadCases(part), detect));
  const inPetitions = PARTS.map((part) =>
    evaluateCases(
      part,
      casesInPetitions(part, loadCases(part), loaded.texts, IN_PETITIONS),
      detect,
      reviewed,
    ),
  );
  const cases = renderCases(alone, inPetitions, reviewed.size);
  const opts = DEFAULT_LABELLED_SET;
  const set = buildLabelledSet(loaded.texts, opts);
  const bar = new cliProgress.SingleBar(
    { format: 'detecting {bar} {value}/{total} texts', stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar.start(set.length, 0);
  const e = evaluate(set, {
    detect,
    onProgress: (done) => (done % 50 === 0 || done === set.length) && bar.update(done),
  });
  bar.stop();
  const available = {
    ko: loaded.texts.filter((t) => t.lang === 'ko').length,
    en: loaded.texts.filter((t) => t.lang === 'en').length,
  };
  const results = `${cases}\n\n### The generated set\n\n${renderResults(e, loaded.origin, available)}`;
  process.stdout.write(`${results}\n`);
  if (!args.has('--no-write') && !detect) {
    const doc = readFileSync(DOC, 'utf8');
    const a = doc.indexOf(MARK_START);
    const b = doc.indexOf(MARK_END);
    if (a < 0 || b < a) throw new Error(`${DOC} lacks the results markers`);
    writeFileSync(DOC, `${doc.slice(0, a + MARK_START.length)}\n\n${results}\n\n${doc.slice(b)}`);
    process.stderr.write(`Wrote ${path.relative(process.cwd(), DOC)}\n`);
  }
}

const fmt = (x: number | null) => (x === null ? '—' : x.toFixed(3));

/** One row per kind: recall (found/gold) and precision (true/flags) for each part. */
function kindTable(evals: readonly CaseEvaluation[], labels: readonly string[]): string {
  const head = labels.map((l) => `${l} recall | ${l} precision`).join(' | ');
  const rows = (evals[0]?.kinds ?? []).map((k0) => {
    const cells = evals.map((e) => {
      const k = e.kinds.find((x) => x.kind === k0.kind) as KindScore;
      return `${fmt(k.recall)} (${k.found}/${k.gold}) | ${fmt(k.precision)} (${k.truePositives}/${k.flags})`;
    });
    return `| ${k0.kind} | ${cells.join(' | ')} |`;
  });
  return [`| kind | ${head} |`, `|---|${'---:|---:|'.repeat(evals.length)}`, ...rows].join('\n');
}

function mistakesList(evals: readonly CaseEvaluation[]): string {
  const lines: string[] = [];
  for (const e of evals)
    for (const m of e.mistakes) {
      const where = m.ref
        ? `${e.part}, ${m.ref}${m.line ? `, case line ${m.line}` : ''}`
        : `${e.part}.txt:${m.line}`;
      // Real petitions' own text is never repeated: only the kind, the place and the span's length are shown.
      const shown = m.ref && m.what === 'false_positive' ? `${m.span.length} characters` : `\`${m.span}\``;
      lines.push(`- ${m.what === 'missed' ? 'missed' : 'false positive'} ${m.kind} (${where}): ${shown}`);
    }
  return lines.length > 0 ? lines.join('\n') : '- none';
}

function renderCases(
  alone: readonly CaseEvaluation[],
  inPetitions: readonly CaseEvaluation[],
  reviewed: number,
): string {
  const labels = ['dev', 'held-out', 'held-out 2', 'held-out 3'];
  const count = (e: CaseEvaluation) => `${e.cases - e.negatives} positive and ${e.negatives} negative cases`;
  return [
    `### The hand-written cases, each alone`,
    '',
    `data/personal-data: ${alone.map((e, i) => `${labels[i]} ${count(e)}`).join('; ')}. Recall (found/marked) and precision (true/flags) per kind.`,
    '',
    kindTable(alone, labels),
    '',
    'Mistakes:',
    '',
    mistakesList(alone),
    '',
    '### The hand-written cases set into real petitions',
    '',
    `Each positive case in its own real petition of its part's half of the archive (dev: one half by a hash of the petition's reference; the held-out parts: the other), plus ${IN_PETITIONS.untouched} untouched petitions of that half (seed ${IN_PETITIONS.seed}). A flag on the real text counts as true only when it is listed in data/personal-data/reviewed-real.tsv as personal data (${reviewed} findings reviewed by hand as personal); every other finding there is a false positive. The held-out parts draw the same untouched petitions.`,
    '',
    kindTable(inPetitions, labels),
    '',
    'Mistakes (on real text only the span’s length is shown):',
    '',
    mistakesList(inPetitions),
  ].join('\n');
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
