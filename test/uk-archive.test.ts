import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importArchiveFile } from '../src/commands/import-archive.js';
import type { DatabaseHandle } from '../src/db/connection.js';
import { createApp } from '../src/http/app.js';
import { createSite, type Site } from '../src/http/site.js';
import { writeDump } from '../src/open-data/dump.js';
import { archivedPetitionDetails } from '../src/repositories/open-data.js';
import { findArchivedPetition } from '../src/repositories/petitions.js';
import { freshDatabase, TEST_ENGINE } from './support/databases.js';
import { openPetition } from './support/factories.js';
import { HAS_SHARED_DATA, shared } from './support/shared-data.js';

const now = new Date('2026-12-04T06:00:00Z');
let h: DatabaseHandle;
let site: Site;
let app: Hono;
const dir = mkdtempSync(path.join(tmpdir(), 'cheongwon-uk-'));
beforeAll(async () => {
  h = await freshDatabase();
  site = await createSite({ db: h.db, deploymentProfile: 'cheongwadae', now: () => now, settingsTtlMs: 0 });
  app = createApp(site);
});
afterAll(async () => {
  site?.close();
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

const json = async (p: string) => {
  const res = await app.request(p);
  expect(res.status, p).toBe(200);
  return res.json() as Promise<any>;
};
const areaRows = (petitionId: string) =>
  h.db
    .selectFrom('archived_area_counts')
    .selectAll()
    .where('petition_id', '=', petitionId)
    .orderBy('scope')
    .orderBy('position')
    .execute();

/** A small UK petition document: 2 countries, 3 constituencies, 2 regions, both thresholds crossed. */
const ukDoc = (attrs: Record<string, unknown> = {}) => ({
  links: { self: 'https://petition.parliament.uk/petitions/700002.json' },
  data: {
    type: 'petition',
    id: 700002,
    attributes: {
      action: 'Keep the libraries open',
      background: 'Libraries matter.',
      additional_details: '',
      state: 'closed',
      signature_count: 150_000,
      created_at: '2023-12-18T12:50:03.518Z',
      opened_at: '2024-01-22T17:54:53.005Z',
      closed_at: '2024-07-22T23:00:00.000Z',
      response_threshold_reached_at: '2024-02-01T08:00:00.000Z',
      debate_threshold_reached_at: '2024-03-01T09:30:00.000Z',
      scheduled_debate_date: '2024-04-15',
      departments: [{ acronym: 'DCMS', name: 'Department for Culture, Media and Sport' }],
      creator_name: 'Somebody Private',
      government_response: null,
      debate: null,
      signatures_by_country: [
        { name: 'United Kingdom', code: 'GB', signature_count: 149_000 },
        { name: 'France', code: 'FR', signature_count: 1000 },
      ],
      signatures_by_constituency: [
        { name: 'Aldershot', ons_code: 'E14000530', mp: 'A. Member MP', signature_count: 90_000 },
        { name: 'Edinburgh East', ons_code: 'S14000022', mp: null, signature_count: 40_000 },
        { name: 'Cardiff Central', ons_code: 'W07000050', mp: null, signature_count: 19_000 },
      ],
      signatures_by_region: [
        { name: 'South East', ons_code: 'J', signature_count: 90_000 },
        { name: 'Scotland', ons_code: 'S', signature_count: 40_000 },
      ],
      ...attrs,
    },
  },
});

describe(`UK archived aggregates (${TEST_ENGINE})`, () => {
  it('stores threshold times, debate track, area counts and the other details; serves them in the API and on the page', async () => {
    const file = path.join(dir, 'uk_700002.json');
    writeFileSync(file, JSON.stringify(ukDoc()));
    const summary = await importArchiveFile(h.db, file, { now });
    expect(summary).toMatchObject({ inserted: 1, skipped: [] });
    const row = await findArchivedPetition(h.db, 'uk', '700002');
    expect(row).toMatchObject({
      response_threshold_reached_at: new Date('2024-02-01T08:00:00.000Z'),
      debate_threshold_reached_at: new Date('2024-03-01T09:30:00.000Z'),
      debate_state: 'scheduled',
    });
    const id = row?.id as string;
    expect((await areaRows(id)).map((r) => [r.scope, r.code, r.signature_count, r.mp])).toEqual([
      ['constituency', 'E14000530', 90_000, 'A. Member MP'],
      ['constituency', 'S14000022', 40_000, null],
      ['constituency', 'W07000050', 19_000, null],
      ['country', 'GB', 149_000, null],
      ['country', 'FR', 1000, null],
      ['region', 'J', 90_000, null],
      ['region', 'S', 40_000, null],
    ]);
    const details = await archivedPetitionDetails(h.db, id);
    expect(details).toMatchObject({
      scheduled_debate_date: '2024-04-15',
      departments: [{ acronym: 'DCMS', name: 'Department for Culture, Media and Sport' }],
    });
    expect(JSON.stringify(details)).not.toContain('Somebody');

    const byRegion = await json(`/api/v1/petitions/${id}/agreements/by-region`);
    expect(byRegion).toEqual({
      petition_id: Number(id),
      count_source: 'archive',
      source: 'archive',
      data: [
        { region: 'J', name_ko: null, name_en: 'South East', count: 90_000 },
        { region: 'S', name_ko: null, name_en: 'Scotland', count: 40_000 },
      ],
    });
    const byCountry = await json(`/api/v1/petitions/${id}/agreements/by-country`);
    expect(byCountry).toMatchObject({ source: 'archive', scope: 'country' });
    expect(byCountry.data).toEqual([
      { code: 'GB', name: 'United Kingdom', mp: null, count: 149_000 },
      { code: 'FR', name: 'France', mp: null, count: 1000 },
    ]);
    const byConstituency = await json(`/api/v1/petitions/${id}/agreements/by-constituency`);
    expect(byConstituency.data[0]).toEqual({
      code: 'E14000530',
      name: 'Aldershot',
      mp: 'A. Member MP',
      count: 90_000,
    });
    const detail = await json(`/api/v1/petitions/${id}`);
    expect(detail.thresholds).toEqual([
      { kind: 'response', agreements: 10_000, reached_at: '2024-02-01T08:00:00.000Z' },
      { kind: 'debate', agreements: 100_000, reached_at: '2024-03-01T09:30:00.000Z' },
    ]);

    const page = await (await app.request(`/petitions/${id}?lang=en`)).text();
    expect(page).toContain('Signatures by area, as the original site published them');
    expect(page).toContain('no individual signature behind them');
    expect(page).toContain('id="archived-by-region"');
    expect(page).toContain('Signatures by constituency (3 constituencies)');
    expect(page).toContain('<th scope="row">Aldershot</th><td>A. Member MP</td><td>90,000</td>');
    expect(page).toContain('Response threshold reached on');
    expect(page).toContain('Debate threshold reached on');

    // idempotent: the same file again changes nothing and duplicates nothing
    const again = await importArchiveFile(h.db, file, { now });
    expect(again).toMatchObject({ inserted: 0, merged: 0, unchanged: 1 });
    expect(await areaRows(id)).toHaveLength(7);
  });

  it('a live petition is marked "agreements" and has no countries or constituencies', async () => {
    const id = await openPetition(h.db);
    expect(await json(`/api/v1/petitions/${id}/agreements/by-region`)).toMatchObject({
      count_source: 'live',
      source: 'agreements',
      data: [],
    });
    expect(await json(`/api/v1/petitions/${id}/agreements/by-country`)).toEqual({
      petition_id: Number(id),
      source: 'agreements',
      scope: 'country',
      data: [],
    });
  });

  it('fills the aggregates of a UK petition imported before they were kept', async () => {
    const file = path.join(dir, 'uk_700003.json');
    const doc = ukDoc();
    doc.data.id = 700003;
    writeFileSync(file, JSON.stringify(doc));
    await importArchiveFile(h.db, file, { now });
    const row = await findArchivedPetition(h.db, 'uk', '700003');
    const id = row?.id as string;
    // what an import of the old code left: no area counts, no details, no crossing times, no debate track
    await h.db.deleteFrom('archived_area_counts').where('petition_id', '=', id).execute();
    await h.db.deleteFrom('archived_petition_details').where('petition_id', '=', id).execute();
    await h.db
      .updateTable('petitions')
      .set({ response_threshold_reached_at: null, debate_threshold_reached_at: null, debate_state: 'none' })
      .where('id', '=', id)
      .execute();
    const again = await importArchiveFile(h.db, file, { now });
    expect(again).toMatchObject({ inserted: 0, merged: 1 });
    expect(await areaRows(id)).toHaveLength(7);
    expect(await findArchivedPetition(h.db, 'uk', '700003')).toMatchObject({
      response_threshold_reached_at: new Date('2024-02-01T08:00:00.000Z'),
      debate_state: 'scheduled',
    });
    expect((await findArchivedPetition(h.db, 'uk', '700003'))?.debate_scheduled_on).not.toBeNull();
    expect(await archivedPetitionDetails(h.db, id)).not.toBeNull();
  });
});

describe.skipIf(!HAS_SHARED_DATA)(
  `the real UK files: nothing their source holds is dropped (${TEST_ENGINE})`,
  () => {
    for (const name of [
      'uk_241584_revoke_article_50_snapshot_2019-03-24.json',
      'uk_653440.json',
      'uk_653561.json',
    ]) {
      it(name, async () => {
        const file = shared(`uk/${name}`);
        const doc = JSON.parse(readFileSync(file, 'utf8'));
        const a = doc.data.attributes;
        const summary = await importArchiveFile(h.db, file, { now });
        expect(summary.skipped).toEqual([]);
        const row = await findArchivedPetition(h.db, 'uk', String(doc.data.id));
        const id = row?.id as string;
        expect(row?.archived_agreement_count).toBe(a.signature_count);
        expect(row?.response_threshold_reached_at?.toISOString() ?? null).toBe(
          a.response_threshold_reached_at,
        );
        expect(row?.debate_threshold_reached_at?.toISOString() ?? null).toBe(a.debate_threshold_reached_at);
        const rows = await areaRows(id);
        for (const [scope, list, code] of [
          ['country', a.signatures_by_country, 'code'],
          ['constituency', a.signatures_by_constituency, 'ons_code'],
          ['region', a.signatures_by_region ?? [], 'ons_code'],
        ] as const) {
          const stored = rows.filter((r) => r.scope === scope);
          expect(stored.map((r) => [r.code, r.name, r.signature_count])).toEqual(
            list.map((c: any) => [c[code], c.name, c.signature_count]),
          );
        }
        const byRegion = await json(`/api/v1/petitions/${id}/agreements/by-region`);
        expect(byRegion.source).toBe('archive');
        expect(byRegion.data).toHaveLength((a.signatures_by_region ?? []).length);
        const byConstituency = await json(`/api/v1/petitions/${id}/agreements/by-constituency`);
        expect(byConstituency.data).toHaveLength(a.signatures_by_constituency.length);
        expect(byConstituency.data.reduce((s: number, c: any) => s + c.count, 0)).toBe(
          a.signatures_by_constituency.reduce((s: number, c: any) => s + c.signature_count, 0),
        );
        const details = await archivedPetitionDetails(h.db, id);
        for (const key of [
          'moderation_threshold_reached_at',
          'government_response_at',
          'debate',
          'updated_at',
        ]) {
          expect(details, key).toHaveProperty(key, a[key]);
        }
        expect(JSON.stringify(details)).not.toContain(String(a.creator_name ?? 'no creator name'));
      });
    }
  },
);

describe(`UK archived aggregates in the open-data dump (${TEST_ENGINE})`, () => {
  const dumpDir = path.join(dir, 'dump');
  const dumpLines = () => {
    const [name] = readdirSync(dumpDir).filter((f) => f.endsWith('.jsonl.gz'));
    return gunzipSync(readFileSync(path.join(dumpDir, name as string)))
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '');
  };

  it('the dump carries the area counts marked "source": "archive", and importing it restores them', async () => {
    const file = path.join(dir, 'uk_700004.json');
    const doc = ukDoc();
    doc.data.id = 700004;
    writeFileSync(file, JSON.stringify(doc));
    await importArchiveFile(h.db, file, { now });
    const live = await openPetition(h.db);
    const manifest = await writeDump(h.db, { dir: dumpDir, now, profile: site.profile });
    const records = dumpLines().map((l) => JSON.parse(l));
    const uk = records.find((r) => r.archive?.source === 'uk' && r.archive.source_id === '700004');
    expect(uk.archived_area_counts).toEqual({
      source: 'archive',
      country: [
        { code: 'GB', name: 'United Kingdom', mp: null, count: 149_000 },
        { code: 'FR', name: 'France', mp: null, count: 1000 },
      ],
      constituency: [
        { code: 'E14000530', name: 'Aldershot', mp: 'A. Member MP', count: 90_000 },
        { code: 'S14000022', name: 'Edinburgh East', mp: null, count: 40_000 },
        { code: 'W07000050', name: 'Cardiff Central', mp: null, count: 19_000 },
      ],
      region: [
        { code: 'J', name: 'South East', mp: null, count: 90_000 },
        { code: 'S', name: 'Scotland', mp: null, count: 40_000 },
      ],
    });
    // a live petition's agreements are not archived aggregates: nothing to carry
    expect(records.find((r) => r.id === Number(live)).archived_area_counts).toBeNull();

    // the dump read back into another database brings them back, in the source's order
    const copy = await freshDatabase();
    try {
      const dumpFile = path.join(dumpDir, manifest.file);
      const summary = await importArchiveFile(copy.db, dumpFile, { now });
      expect(summary.skipped).toEqual([]);
      const ukIds = records
        .filter((r) => r.record === 'petition' && r.archived_area_counts !== null)
        .map((r) => r.archive.source_id);
      expect(ukIds).toContain('700004');
      for (const sourceId of ukIds) {
        const restored = await findArchivedPetition(copy.db, 'uk', sourceId);
        const rows = await copy.db
          .selectFrom('archived_area_counts')
          .select(['scope', 'position', 'code', 'name', 'mp', 'signature_count'])
          .where('petition_id', '=', restored?.id as string)
          .orderBy('scope')
          .orderBy('position')
          .execute();
        const original = await areaRows((await findArchivedPetition(h.db, 'uk', sourceId))?.id as string);
        expect(rows, sourceId).toEqual(
          original.map(({ scope, position, code, name, mp, signature_count }) => ({
            scope,
            position,
            code,
            name,
            mp,
            signature_count,
          })),
        );
      }
      // the same dump again adds nothing
      const again = await importArchiveFile(copy.db, dumpFile, { now });
      expect(again).toMatchObject({ inserted: 0, merged: 0 });
    } finally {
      await copy.close();
    }
  });

  it('a dump line with malformed area counts is reported by line and nothing of it is stored', async () => {
    const lines = dumpLines();
    const broken = JSON.parse(lines.find((l) => l.includes('"source_id":"700004"')) as string);
    broken.archived_area_counts.country[0].count = -5;
    const single = path.join(dir, 'broken-dump.jsonl');
    writeFileSync(single, `${lines[0]}\n${JSON.stringify(broken)}\n`);
    const copy = await freshDatabase();
    try {
      const summary = await importArchiveFile(copy.db, single, { now });
      expect(summary.inserted).toBe(0);
      expect(summary.skipped).toHaveLength(1);
      expect(summary.skipped[0]?.line).toBe(2);
      expect(summary.skipped[0]?.reason).toContain('archived_area_counts.country[0].count');
      broken.archived_area_counts.country[0].count = 1000;
      broken.archived_area_counts.source = 'agreements';
      writeFileSync(single, `${lines[0]}\n${JSON.stringify(broken)}\n`);
      const second = await importArchiveFile(copy.db, single, { now });
      expect(second.inserted).toBe(0);
      expect(second.skipped[0]?.reason).toContain('archived_area_counts.source');
      expect(await copy.db.selectFrom('archived_area_counts').selectAll().execute()).toEqual([]);
    } finally {
      await copy.close();
    }
  });
});
