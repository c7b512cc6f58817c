import type { Mailer } from '../notifications/mailer.js';
import { sponsorLinkMail } from '../notifications/templates/petition-creation.js';

/** The private pre-agreement link of a petition: `<public url>/petitions/<id>/sponsor?token=…`. */
export function sponsorUrl(publicUrl: string, petitionId: string, sponsorToken: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/petitions/${petitionId}/sponsor?token=${sponsorToken}`;
}

/**
 * Mails the creator their private pre-agreement (사전동의) link to keep and share, with the number of
 * pre-agreements needed before review. Nothing is stored; without `sponsorToken` nothing is sent.
 * @throws the mailer's error when the mail cannot be handed over (callers decide whether that matters)
 */
export async function sendSponsorLink(
  deps: {
    mailer: Mailer;
    /** Base of links in mail ('https://cheongwon.example'). */
    publicUrl: string;
    /** Pre-agreements needed before review (the profile's effective setting). */
    preAgreementThreshold(profile: string): number;
  },
  p: {
    petitionId: string;
    profile: string;
    title: string;
    name: string;
    email: string;
    locale: 'ko' | 'en';
    sponsorToken?: string;
  },
): Promise<void> {
  const token = p.sponsorToken;
  if (!token) return;
  const mail = sponsorLinkMail({
    locale: p.locale,
    displayName: p.name,
    petitionTitle: p.title,
    sponsorUrl: sponsorUrl(deps.publicUrl, p.petitionId, token),
    threshold: deps.preAgreementThreshold(p.profile),
  });
  await deps.mailer.send({ to: p.email, ...mail });
}
