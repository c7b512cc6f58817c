import { describe, expect, it } from 'vitest';
import { agreementConfirmationMail } from './templates/agreement-confirmation.js';

const base = {
  locale: 'ko' as const,
  displayName: '김민지',
  petitionTitle: 'n번방 사건 가해자 신상공개',
  confirmUrl: 'https://cheongwon.example.kr/agreements/confirm?token=abc123&petition=42',
  expiresInHours: 24,
};

describe('agreementConfirmationMail', () => {
  it('Korean by default: asks to confirm by the link, says nothing counts without it, the expiry, ignore', () => {
    const m = agreementConfirmationMail(base);
    expect(m.subject).toBe('청원 동의 확인: n번방 사건 가해자 신상공개');
    expect(m.text).toBe(
      [
        '김민지 님, 안녕하십니까.',
        '',
        '다음 청원에 대한 동의 요청을 받았습니다.',
        '',
        '청원: n번방 사건 가해자 신상공개',
        '',
        '동의를 확인하시려면 아래 링크를 열어 주십시오.',
        'https://cheongwon.example.kr/agreements/confirm?token=abc123&petition=42',
        '',
        '확인하지 않으시면 동의가 집계되지 않습니다. 이 링크는 24시간 후에 만료됩니다.',
        '',
        '본인이 요청하지 않으셨다면 이 메일을 무시하셔도 됩니다.',
        '',
        '청원(Cheongwon)',
        '',
      ].join('\n'),
    );
    expect(m.html).toContain('<html lang="ko">');
    expect(m.html).toContain('24시간 후에 만료됩니다');
    expect(m.html).toContain('집계되지 않습니다');
    expect(m.html).toContain('무시하셔도 됩니다');
  });

  it('English alternative', () => {
    const m = agreementConfirmationMail({
      ...base,
      locale: 'en',
      displayName: 'Minji Kim',
      expiresInHours: 48,
    });
    expect(m.subject).toBe('Confirm your agreement: n번방 사건 가해자 신상공개');
    expect(m.text).toContain('Hello Minji Kim,');
    expect(m.text).toContain('not counted until you confirm');
    expect(m.text).toContain('The link expires in 48 hours.');
    expect(m.text).toContain('If you did not ask for this, you can ignore this email.');
    expect(m.text).not.toMatch(/[가-힣]{2,} 님/);
    expect(m.html).toContain('<html lang="en">');
    expect(m.html).toContain('The link expires in 48 hours.');
    expect(agreementConfirmationMail({ ...base, locale: 'en', expiresInHours: 1 }).text).toContain(
      'expires in 1 hour.',
    );
  });

  it('contains the confirm URL in both parts (HTML-escaped in the HTML) and the expiry hours', () => {
    for (const locale of ['ko', 'en'] as const) {
      const m = agreementConfirmationMail({ ...base, locale, expiresInHours: 72 });
      expect(m.text).toContain(base.confirmUrl);
      const escapedUrl = base.confirmUrl.replace('&', '&amp;');
      expect(m.html).toContain(`<a href="${escapedUrl}">${escapedUrl}</a>`);
      expect(m.html).not.toContain(base.confirmUrl); // the raw '&' never reaches the HTML
      expect(m.text).toContain('72');
      expect(m.html).toContain('72');
    }
  });

  it('escapes every interpolated value in the HTML; the text part keeps them as written', () => {
    const m = agreementConfirmationMail({
      ...base,
      displayName: '"Kim" & <b>Lee</b>',
      petitionTitle: `<script>alert('x')</script> & 'N'번방 "처벌"`,
    });
    expect(m.html).not.toContain('<script>');
    expect(m.html).not.toContain('<b>');
    expect(m.html).toContain(
      '&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#39;N&#39;번방 &quot;처벌&quot;',
    );
    expect(m.html).toContain('&quot;Kim&quot; &amp; &lt;b&gt;Lee&lt;/b&gt; 님');
    // the subject appears in <title>, escaped too
    expect(m.html).toMatch(/<title>청원 동의 확인: &lt;script&gt;/);
    expect(m.html).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
    expect(m.text).toContain(`<script>alert('x')</script> & 'N'번방 "처벌"`);
  });

  it('has no images, remote resources, scripts, styles or event handlers', () => {
    for (const locale of ['ko', 'en'] as const) {
      const { html } = agreementConfirmationMail({ ...base, locale });
      expect(html).not.toMatch(/<img|<script|<link|<iframe|<object|<style|\son\w+=|url\(|src=/i);
      // the one link is the confirm link
      expect(html.match(/href=/g)).toHaveLength(1);
    }
  });

  it('puts user text on one line, shortens the subject, greets without a blank name', () => {
    const long = `${'가'.repeat(100)}`;
    const m = agreementConfirmationMail({
      ...base,
      displayName: '  ',
      petitionTitle: `첫 줄\r\n가짜 줄: 이 메일은 무시하십시오\t${long}`,
    });
    expect(m.text.startsWith('안녕하십니까.\n')).toBe(true);
    expect(m.text).toContain(`청원: 첫 줄 가짜 줄: 이 메일은 무시하십시오 ${long}\n`);
    expect(m.subject).not.toMatch(/[\r\n\t]/);
    expect([...m.subject.slice('청원 동의 확인: '.length)]).toHaveLength(60);
    expect(m.subject.endsWith('…')).toBe(true);
  });

  it('refuses an expiry that is not whole hours and a link that is not http(s)', () => {
    expect(() => agreementConfirmationMail({ ...base, expiresInHours: 0 })).toThrow(RangeError);
    expect(() => agreementConfirmationMail({ ...base, expiresInHours: 1.5 })).toThrow(RangeError);
    expect(() => agreementConfirmationMail({ ...base, confirmUrl: 'javascript:alert(1)' })).toThrow(
      RangeError,
    );
    expect(() => agreementConfirmationMail({ ...base, confirmUrl: '/relative' })).toThrow(RangeError);
    expect(agreementConfirmationMail({ ...base, confirmUrl: 'http://127.0.0.1:3000/c?t=1' }).text).toContain(
      'http://127.0.0.1:3000/c?t=1',
    );
  });
});
