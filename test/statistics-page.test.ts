import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ENGINE } from './support/databases.js';
import { sampleSite, type TestSite } from './support/site.js';

let t: TestSite;
beforeAll(async () => {
  t = await sampleSite();
});
afterAll(async () => {
  await t?.close();
});

describe(`the statistics page (${TEST_ENGINE})`, () => {
  it('draws petitions by category, state and answer, and lists the largest, in Korean and English', async () => {
    const ko = await (await t.app.request('/statistics')).text();
    expect(ko).toContain('<html lang="ko"');
    expect(ko).toContain('분야별 청원');
    expect(ko).toMatch(/<svg[^>]*role="img"/);
    expect(ko).toContain('<table');
    expect(ko).toContain('텔레그램 n번방 용의자 신상공개');
    expect(ko).toContain('2,715,626');
    const en = await t.app.request('/statistics?lang=en');
    expect(en.headers.get('content-language')).toBe('en');
    const html = await en.text();
    expect(html).toContain('Petitions by category');
    expect(html).toMatch(/Figures over 2,\d{3} public petitions/);
    // every name has a line of its own above its bar (any length fits at 360 px), and every bar starts at the axis
    const figure = /<figure class="chart" id="stats-categories">[\s\S]*?<\/figure>/.exec(html)?.[0] ?? '';
    const names = [
      ...figure.matchAll(/<text class="chart-axis" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]+)<\/text>/g),
    ];
    const bars = [...figure.matchAll(/<rect class="chart-bar" x="([\d.]+)" y="([\d.]+)"/g)];
    expect(names.length).toBeGreaterThan(5);
    expect(bars.length).toBe(names.length);
    names.forEach((name, i) => {
      expect(Number(bars[i]?.[2])).toBeGreaterThan(Number(name[2]));
      expect(Number(bars[i]?.[1])).toBe(0);
    });
  });
});
