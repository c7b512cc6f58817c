import type { NoticeLanguage } from './types.js';

/**
 * Notices to platforms: drafted from these templates in the platform's language, read and approved by a desk
 * officer (who may edit them), then sent through the notification outbox. A notice names the URL, the legal ground
 * and the deadline; it never names the victim (the case number is the desk's reference, not the victim's).
 *
 * The legal ground cited: 전기통신사업법 art. 22-5 (removal of illegal filmed material, result within 14 days) and
 * 성폭력범죄의 처벌 등에 관한 특례법 art. 14 / 14-2 (illegal filming and falsified sexual material). Non-Korean
 * notices also ask the platform to apply its own terms of service, which forbid non-consensual intimate imagery.
 */

/** What a notice is filled with. */
export interface NoticeFacts {
  /** The URL to be removed. */
  url: string;
  /** The desk's reference for the request (e.g. 'T-42'); never the victim's name. */
  reference: string;
  /** The answer deadline as an ISO date (YYYY-MM-DD, UTC). */
  dueOn: string;
  /** Who sends it: the operator's name (configured), e.g. 'Digital Sex Crime Victim Support Center'. */
  sender: string;
}

type Template = (f: NoticeFacts) => { subject: string; body: string };

/** One template per language (`NOTICE_LANGUAGES`). */
export const NOTICE_TEMPLATES: Readonly<Record<NoticeLanguage, Template>> = {
  ko: (f) => ({
    subject: `[삭제 요청 ${f.reference}] 불법촬영물등 삭제 요청`,
    body: [
      '안녕하십니까.',
      '',
      `${f.sender}은(는) 아래 주소에 게시된 정보가 불법촬영물등(성폭력범죄의 처벌 등에 관한 특례법 제14조, 제14조의2)에 해당하여 피해자를 대리해 삭제를 요청합니다.`,
      '',
      `주소: ${f.url}`,
      `요청 번호: ${f.reference}`,
      '',
      `전기통신사업법 제22조의5에 따라 지체 없이 삭제 또는 접속 차단하시고, 그 결과를 ${f.dueOn}까지(요청일부터 14일 이내) 알려 주십시오. 기한을 연장하려면 그 사유를 알려 주십시오(1회).`,
      '',
      '같은 정보가 다시 게시되지 않도록 조치해 주시기 바랍니다.',
      '',
      f.sender,
    ].join('\n'),
  }),
  en: (f) => ({
    subject: `[Removal request ${f.reference}] Non-consensual intimate imagery`,
    body: [
      'Hello,',
      '',
      `${f.sender} requests, on behalf of the person depicted, the removal of the material at the address below. It is non-consensual intimate imagery, illegal under Korean law (Act on Special Cases Concerning the Punishment of Sexual Crimes, arts. 14 and 14-2) and contrary to your terms of service.`,
      '',
      `URL: ${f.url}`,
      `Reference: ${f.reference}`,
      '',
      `Please remove or disable access to it without delay and tell us the result by ${f.dueOn} (14 days from this request; Telecommunications Business Act art. 22-5). If you need more time, tell us why (one extension).`,
      '',
      'Please also prevent the same material from being uploaded again.',
      '',
      f.sender,
    ].join('\n'),
  }),
  ja: (f) => ({
    subject: `[削除要請 ${f.reference}] 同意のない性的画像`,
    body: [
      'ご担当者様',
      '',
      `${f.sender}は、被害者に代わり、下記アドレスに掲載された情報の削除を要請します。これは本人の同意のない性的画像であり、韓国法(性暴力犯罪の処罰等に関する特例法第14条・第14条の2)により違法で、貴社の利用規約にも反します。`,
      '',
      `URL: ${f.url}`,
      `参照番号: ${f.reference}`,
      '',
      `速やかに削除または閲覧不能にし、その結果を${f.dueOn}まで(本要請から14日以内、韓国電気通信事業法第22条の5)にお知らせください。延長が必要な場合は理由をお知らせください(1回)。`,
      '',
      '同じ情報が再び掲載されないよう措置をお願いします。',
      '',
      f.sender,
    ].join('\n'),
  }),
  zh: (f) => ({
    subject: `[删除请求 ${f.reference}] 未经同意的私密影像`,
    body: [
      '您好：',
      '',
      `${f.sender}代表受害人请求删除下列地址上的内容。该内容属于未经同意的私密影像，依韩国法律（《性暴力犯罪处罚特例法》第14条、第14条之2）属违法内容，亦违反贵平台的服务条款。`,
      '',
      `网址：${f.url}`,
      `编号：${f.reference}`,
      '',
      `请立即删除或屏蔽该内容，并于${f.dueOn}之前（自本请求起14日内，韩国《电气通信事业法》第22条之5）告知处理结果。如需延期，请说明理由（限一次）。`,
      '',
      '请同时防止相同内容再次上传。',
      '',
      f.sender,
    ].join('\n'),
  }),
  ru: (f) => ({
    subject: `[Запрос на удаление ${f.reference}] Интимные изображения без согласия`,
    body: [
      'Здравствуйте.',
      '',
      `${f.sender} от имени пострадавшего лица просит удалить материалы по указанному ниже адресу. Это интимные изображения, распространяемые без согласия; они незаконны по законодательству Республики Корея (Закон об особенностях наказания за сексуальные преступления, ст. 14 и 14-2) и нарушают ваши правила пользования.`,
      '',
      `Адрес: ${f.url}`,
      `Номер запроса: ${f.reference}`,
      '',
      `Просим незамедлительно удалить материалы или закрыть к ним доступ и сообщить о результате до ${f.dueOn} (14 дней с даты запроса; Закон о телекоммуникационном бизнесе, ст. 22-5). Если вам нужно больше времени, сообщите причину (продление допускается один раз).`,
      '',
      'Просим также не допускать повторной загрузки тех же материалов.',
      '',
      f.sender,
    ].join('\n'),
  }),
  es: (f) => ({
    subject: `[Solicitud de retirada ${f.reference}] Imágenes íntimas sin consentimiento`,
    body: [
      'Hola:',
      '',
      `${f.sender} solicita, en nombre de la persona afectada, la retirada del material publicado en la dirección indicada. Se trata de imágenes íntimas difundidas sin consentimiento, ilegales según la ley coreana (Ley de casos especiales sobre el castigo de delitos sexuales, arts. 14 y 14-2) y contrarias a sus condiciones de servicio.`,
      '',
      `URL: ${f.url}`,
      `Referencia: ${f.reference}`,
      '',
      `Les rogamos que lo retiren o bloqueen el acceso sin demora y nos comuniquen el resultado antes del ${f.dueOn} (14 días desde esta solicitud; Ley de Empresas de Telecomunicaciones, art. 22-5). Si necesitan más tiempo, indíquennos el motivo (una sola prórroga).`,
      '',
      'Les pedimos también que impidan que el mismo material vuelva a publicarse.',
      '',
      f.sender,
    ].join('\n'),
  }),
  fr: (f) => ({
    subject: `[Demande de retrait ${f.reference}] Images intimes diffusées sans consentement`,
    body: [
      'Bonjour,',
      '',
      `${f.sender} demande, au nom de la personne concernée, le retrait du contenu publié à l’adresse ci-dessous. Il s’agit d’images intimes diffusées sans consentement, illégales en droit coréen (loi sur les cas particuliers de répression des crimes sexuels, art. 14 et 14-2) et contraires à vos conditions d’utilisation.`,
      '',
      `URL : ${f.url}`,
      `Référence : ${f.reference}`,
      '',
      `Merci de le retirer ou d’en bloquer l’accès sans délai et de nous faire connaître le résultat avant le ${f.dueOn} (14 jours à compter de cette demande ; loi sur les entreprises de télécommunications, art. 22-5). S’il vous faut plus de temps, indiquez-nous pourquoi (une seule prolongation).`,
      '',
      'Merci également d’empêcher toute nouvelle mise en ligne du même contenu.',
      '',
      f.sender,
    ].join('\n'),
  }),
};

/** The notice in `language`, filled with `facts`. */
export function draftNotice(language: NoticeLanguage, facts: NoticeFacts): { subject: string; body: string } {
  return NOTICE_TEMPLATES[language](facts);
}
