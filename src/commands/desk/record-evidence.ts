import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { sealBytes } from '../../desk/secrets.js';
import { retentionEnd } from '../../domain/desk/retention.js';
import { parseTakedownUrl } from '../../domain/desk/takedowns.js';
import { DomainError } from '../../domain/errors.js';
import type { Actor } from '../../domain/staff.js';
import { deskSettings, takedownById } from '../../repositories/desk.js';
import { appendAudit } from '../../repositories/writes/audit.js';
import { insertEvidence } from '../../repositories/writes/desk.js';

/** The largest capture the desk takes (bytes). */
export const MAX_CAPTURE_BYTES = 20 * 1024 * 1024;

/**
 * Appends an evidence record: the URL, when it was captured, the SHA-256 of the capture (computed here from the
 * bytes, so it is what was actually received) and who recorded it. The bytes themselves are kept only while the
 * operator's capture storage is on (`desk_settings.capture_storage`, off by default) — then AES-256-GCM-encrypted
 * — and otherwise forgotten after hashing. The record can never be changed (a trigger refuses it). Audited.
 * @param input.capturedAt when the capture was taken (UTC), default `now`
 * @returns the record id, the SHA-256 hex and whether the content was stored
 * @throws DomainError('takedown_not_found'), ('invalid_parameter') for an empty or too large capture or a bad URL
 */
export async function recordEvidence(
  db: Kysely<Database>,
  input: {
    takedownId: string;
    url?: string;
    capture: Uint8Array;
    capturedAt?: Date;
    secret: string;
    actor: Actor;
    now: Date;
  },
): Promise<{ evidenceId: string; sha256: string; stored: boolean }> {
  if (input.capture.byteLength === 0 || input.capture.byteLength > MAX_CAPTURE_BYTES) {
    throw new DomainError('invalid_parameter', '캡처 파일은 1바이트 이상 20 MiB 이하입니다.', {
      fields: { capture: '1 byte to 20 MiB' },
    });
  }
  const sha256 = createHash('sha256').update(input.capture).digest('hex');
  return db.transaction().execute(async (trx) => {
    const t = await takedownById(trx, input.takedownId);
    if (!t) throw new DomainError('takedown_not_found', '그런 삭제 요청이 없습니다.');
    const url = input.url?.trim() ? parseTakedownUrl(input.url).url : t.url;
    const settings = await deskSettings(trx);
    const capturedAt = input.capturedAt ?? input.now;
    const evidenceId = await insertEvidence(trx, {
      takedown_id: t.id,
      url,
      captured_at: capturedAt,
      sha256,
      recorded_by: input.actor.name,
      staff_id: input.actor.staffId,
      content_enc: settings.capture_storage ? sealBytes(input.capture, input.secret, 'desk evidence') : null,
      purge_after: retentionEnd(input.now),
    });
    await appendAudit(trx, {
      at: input.now,
      staffId: input.actor.staffId,
      actor: input.actor.name,
      action: 'desk.evidence.record',
      subjectType: 'desk_evidence',
      subjectId: evidenceId,
      after: { takedownId: t.id, sha256, stored: settings.capture_storage },
    });
    return { evidenceId, sha256, stored: settings.capture_storage };
  });
}
