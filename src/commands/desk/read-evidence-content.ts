import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { openBytes } from '../../desk/secrets.js';
import { DomainError } from '../../domain/errors.js';
import type { Actor } from '../../domain/staff.js';
import { evidenceContent } from '../../repositories/desk.js';
import { appendAudit } from '../../repositories/writes/audit.js';

/**
 * A desk officer opens the stored content of an evidence record (only kept while capture storage was on). Every
 * read is audited in the same transaction, before the bytes are returned.
 * @returns the decrypted bytes
 * @throws DomainError('not_found') when there is no such record or no content was stored for it
 */
export async function readEvidenceContent(
  db: Kysely<Database>,
  input: { evidenceId: string; secret: string; actor: Actor; now: Date },
): Promise<Buffer> {
  return db.transaction().execute(async (trx) => {
    const e = await evidenceContent(trx, input.evidenceId);
    if (!e?.content_enc) throw new DomainError('not_found', '저장된 캡처 내용이 없습니다.');
    await appendAudit(trx, {
      at: input.now,
      staffId: input.actor.staffId,
      actor: input.actor.name,
      action: 'desk.evidence.read_content',
      subjectType: 'desk_evidence',
      subjectId: e.id,
    });
    return openBytes(e.content_enc, input.secret, 'desk evidence');
  });
}
