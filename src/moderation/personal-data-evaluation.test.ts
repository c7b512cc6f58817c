/**
 * The detector's recall on the bundled real sample (data/sample, Korean Blue House petitions) with synthetic
 * personal data inserted: the targets, asserted as correctness (not timed). The full measurement on
 * ../shared/data is `npm run eval:personal-data` (docs/personal-data-detector.md).
 */
import { describe, expect, it } from 'vitest';
import {
  buildLabelledSet,
  DEFAULT_LABELLED_SET,
  evaluate,
  loadPetitionTexts,
  type PetitionText,
} from './personal-data-evaluation.js';

describe('evaluation on the bundled sample', () => {
  it('finds ≥ 98% of inserted resident numbers, phones, emails and cards, and lists its false positives', async () => {
    const { origin, texts } = await loadPetitionTexts('sample');
    expect(origin).toBe('sample');
    expect(texts.length).toBeGreaterThan(1000);
    const set = buildLabelledSet(texts, DEFAULT_LABELLED_SET);
    const e = evaluate(set);
    const recall = Object.fromEntries(e.families.map((f) => [f.family, f.recall]));
    for (const family of ['rrn', 'phone', 'email', 'card'])
      expect(recall[family], `${family} recall`).toBeGreaterThanOrEqual(0.98);
    for (const f of e.families) expect(f.gold, `${f.family} is measured`).toBeGreaterThan(50);
    expect(e.untouched).toBeGreaterThan(0);
    // Every false positive is reported with a context that shows detections masked, never raw.
    for (const v of Object.values(e.falsePositives))
      for (const ex of v?.examples ?? []) expect(ex.context).toContain('⟦');
  });

  it('builds the same labelled set from the same seed, with gold spans on the inserted values', () => {
    const texts: PetitionText[] = Array.from({ length: 40 }, (_, i) => ({
      ref: `t:${i}`,
      lang: i % 4 === 0 ? 'en' : 'ko',
      text: `청원 ${i}\n\n첫 문장입니다. 둘째 문장입니다.\n셋째 줄.`,
    }));
    const opts = { ...DEFAULT_LABELLED_SET, korean: 30, english: 10 };
    const a = buildLabelledSet(texts, opts);
    expect(buildLabelledSet(texts, opts)).toEqual(a);
    expect(buildLabelledSet(texts, { ...opts, seed: 1 })).not.toEqual(a);
    for (const t of a) for (const g of t.gold) expect(g.sentence).toContain(t.text.slice(g.start, g.end));
  });
});
