import { describe, expect, it } from 'vitest';
import { notificationMail, REVIEW_DECISION_NOTICES } from './notifications.js';

const base = {
  kind: 'creator.review_decision' as const,
  displayName: '김민지',
  petitionTitle: '학교 앞 횡단보도 설치',
  petitionUrl: 'https://cheongwon.example/petitions/7',
  unsubscribeUrl: 'https://cheongwon.example/notifications/unsubscribe?r=c7&t=x',
};

describe('the review decision mail to a creator', () => {
  it('says each decision in Korean and English, with the public reason or label', () => {
    const subjects = new Set<string>();
    for (const decision of REVIEW_DECISION_NOTICES) {
      for (const locale of ['ko', 'en'] as const) {
        const mail = notificationMail({ ...base, locale, decision, reason: '[일부 숨김: 피해자 보호]' });
        subjects.add(mail.subject);
        expect(mail.text).toContain(
          locale === 'ko' ? '사유: [일부 숨김: 피해자 보호]' : 'Reason: [일부 숨김',
        );
        expect(mail.text).toContain(base.petitionUrl);
        expect(mail.html).not.toMatch(/<img|<script/i);
      }
    }
    expect(subjects.size).toBe(REVIEW_DECISION_NOTICES.length * 2); // every decision and language its own subject
  });
});
