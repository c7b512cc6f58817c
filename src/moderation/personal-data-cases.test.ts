/**
 * The hand-written labelled cases (data/personal-data) and the issue-14 target on them: recall and precision
 * ≥ 0.98 for every kind, pooled over the dev and the three held-out parts, each case alone. These tests fail when a
 * change to the detector makes any kind drop below the target. The measurement on real petitions is
 * `npm run eval:personal-data` (docs/personal-data-detector.md).
 */
import { describe, expect, it } from 'vitest';
import { detectPersonalData, PERSONAL_DATA_KINDS } from '../domain/personal-data.js';
import { cardIssuer, luhnValid, rrnCheckDigitValid } from '../domain/personal-data-numbers.js';
import {
  CASE_TARGET,
  type CasePart,
  casesInPetitions,
  evaluateCases,
  kindsBelowTarget,
  loadCases,
  parseCases,
  petitionHalf,
  reviewedKey,
} from './personal-data-cases.js';

const PARTS: readonly CasePart[] = ['dev', 'heldout', 'heldout2', 'heldout3'];
const evals = PARTS.map((part) => evaluateCases(part, loadCases(part)));

describe('the labelled cases', () => {
  it('parse marks into spans and fill check-digit placeholders validly (or invalidly on purpose)', () => {
    const [c] = parseCases(
      'dev',
      '# comment\n\n주민번호 [[rrn:{rrn-ok}]], 새 번호 [[rrn:{rrn bad}]], 카드 [[card:{card-visa}]], [[bank_account:{iban}]]\n',
    );
    expect(c?.line).toBe(3);
    expect(c?.lang).toBe('ko');
    const spans = (c?.gold ?? []).map((g) => c?.text.slice(g.start, g.end) ?? '');
    expect(spans[0]).toMatch(/^\d{6}-\d{7}$/);
    expect(rrnCheckDigitValid((spans[0] ?? '').replace('-', ''))).toBe(true);
    expect(spans[1]).toMatch(/^\d{6} \d{7}$/);
    expect(rrnCheckDigitValid((spans[1] ?? '').replace(' ', ''))).toBe(false);
    const card = (spans[2] ?? '').replaceAll('-', '');
    expect(luhnValid(card) && cardIssuer(card)).toBe('visa');
    expect(spans[3]).toMatch(/^GB\d{2}( [A-Z0-9]{4}){4} \d{2}$/);
    // The same line gives the same numbers on every run; parsing is deterministic.
    expect(parseCases('dev', c?.text ?? '')).toEqual(parseCases('dev', c?.text ?? ''));
  });

  it('refuses an unknown kind or unbalanced markup, naming the line', () => {
    expect(() => parseCases('dev', 'ok\n[[phone:010-1234-5678]]')).toThrow(/line 2: unknown kind "phone"/);
    expect(() => parseCases('dev', '[[email:a@b.com')).toThrow(/line 1: unbalanced/);
  });

  it('have positives of every kind and hard negatives in each part, and no sentence in two parts', () => {
    const seen = new Map<string, CasePart>();
    for (const e of evals) {
      expect(e.negatives, `${e.part} negatives`).toBeGreaterThanOrEqual(25);
      for (const k of e.kinds) expect(k.gold, `${e.part} ${k.kind}`).toBeGreaterThanOrEqual(3);
    }
    for (const part of PARTS)
      for (const c of loadCases(part)) {
        expect(seen.get(c.text), `line ${c.line} of ${part}`).toBeUndefined();
        seen.set(c.text, part);
      }
  });
});

describe('the issue-14 target', () => {
  it(`keeps recall and precision ≥ ${CASE_TARGET} for every kind, pooled over dev and the three held-out parts`, () => {
    expect(kindsBelowTarget(evals)).toEqual([]);
  });

  it('keeps every kind of every part at ≥ 0.95 (one slip in twenty), so no part hides behind the pool', () => {
    for (const e of evals) expect(kindsBelowTarget([e], 0.95), e.part).toEqual([]);
  });

  it('fails when a kind drops: a detector that loses e-mails or flags every 피해자 word is caught', () => {
    const noEmail = PARTS.map((p) =>
      evaluateCases(p, loadCases(p), (t) => detectPersonalData(t).filter((f) => f.kind !== 'email')),
    );
    expect(kindsBelowTarget(noEmail)).toEqual([{ kind: 'email', measure: 'recall', value: 0 }]);
    const greedy = PARTS.map((p) =>
      evaluateCases(p, loadCases(p), (t) => {
        const extra = [...t.matchAll(/피해자 ([가-힣]{2,3})/g)].map((m) => {
          const start = (m.index as number) + 4;
          return {
            kind: 'victim_name' as const,
            start,
            end: start + (m[1] as string).length,
            text: m[1] as string,
            mask: '',
            confidence: 'review' as const,
          };
        });
        const flags = detectPersonalData(t);
        return [...flags, ...extra.filter((x) => !flags.some((f) => f.start < x.end && x.start < f.end))];
      }),
    );
    expect(kindsBelowTarget(greedy).map((b) => `${b.kind}:${b.measure}`)).toEqual(['victim_name:precision']);
  });

  it('reports the exact span a moderator sees for nearly every found case', () => {
    for (const e of evals)
      for (const k of e.kinds)
        expect(k.exact / Math.max(1, k.found), `${e.part} ${k.kind}`).toBeGreaterThanOrEqual(0.9);
  });
});

describe('cases set into real petitions', () => {
  it('uses one half of the archive for dev and the other for the held-out parts, and shifts the spans', () => {
    const texts = Array.from({ length: 60 }, (_, i) => ({
      ref: `t:${i}`,
      lang: 'ko' as const,
      text: `청원 ${i}\n\n첫 문장입니다. 둘째 문장입니다.`,
    }));
    for (const part of PARTS) {
      const set = casesInPetitions(part, loadCases(part).slice(0, 30), texts, { seed: 1, untouched: 5 });
      for (const c of set) {
        expect(petitionHalf(c.ref ?? '')).toBe(part === 'dev' ? 'dev' : 'heldout');
        for (const g of c.gold) expect(PERSONAL_DATA_KINDS).toContain(g.kind);
      }
      const original = loadCases(part)
        .slice(0, 30)
        .filter((c) => c.gold.length > 0);
      const moved = set.filter((c) => c.gold.length > 0);
      expect(moved.map((c) => c.gold.map((g) => c.text.slice(g.start, g.end)))).toEqual(
        original.map((c) => c.gold.map((g) => c.text.slice(g.start, g.end))),
      );
      expect(set.filter((c) => c.gold.length === 0 && c.line === 0)).toHaveLength(5);
    }
  });

  it('counts a reviewed real finding as true and keeps only a hash of it', () => {
    const text = '연락처 010-2345-6789 입니다.';
    const c = { part: 'dev' as const, line: 0, ref: 'cwd:1', lang: 'ko' as const, text, gold: [] };
    expect(evaluateCases('dev', [c]).kinds.find((k) => k.kind === 'phone_mobile')?.precision).toBe(0);
    const key = reviewedKey('cwd:1', 'phone_mobile', '010-2345-6789');
    expect(key).toMatch(/^cwd:1\tphone_mobile\t[0-9a-f]{16}$/);
    const scored = evaluateCases('dev', [c], undefined, new Set([key]));
    expect(scored.kinds.find((k) => k.kind === 'phone_mobile')).toMatchObject({ precision: 1, reviewed: 1 });
  });
});
