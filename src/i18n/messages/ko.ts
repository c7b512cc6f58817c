import type { ErrorCode } from '../../domain/errors.js';

/**
 * Korean messages (the default language), ICU MessageFormat (FormatJS `intl-messageformat`): `{count, number}`
 * groups digits per locale, `{x, plural, …}` chooses a plural form. The English catalog (`en.ts`) must have exactly
 * these keys: it is typed `Record<MessageKey, string>`, so a missing or extra key is a type error.
 */
export const ko = {
  // the frame
  'site.name': '청원',
  'site.tagline': '열린 전자청원',
  'site.documentTitle': '{title} | 청원',
  'layout.skipLink': '본문 바로가기',
  'layout.searchLabel': '청원 검색',
  'layout.searchPlaceholder': '청원 검색 (예: n번방)',
  'layout.searchButton': '검색',
  'layout.categoriesNav': '분야',
  'layout.allPetitions': '전체',
  'layout.languageSwitch': 'English',
  'layout.languageSwitchLabel': 'Read this page in English',
  'layout.footerAbout':
    '청원(Cheongwon)은 누구나 청원하고, 한 사람이 한 번 동의하며, 집계를 공개적으로 검증할 수 있는 열린 전자청원 플랫폼입니다.',
  'layout.footerSources':
    '보관 자료 출처: 청와대 국민청원 (www1.president.go.kr/petitions), 국회 국민동의청원, UK Parliament petitions (Contains Parliamentary information licensed under the Open Parliament Licence v3.0).',
  'layout.footerSourcesLink': '자료 출처와 이용 조건',
  'layout.footerOpenData': '열린 데이터 (API)',

  // home
  'home.title': '국민청원',
  'home.heading': '청원 홈',
  'home.mostAgreed': '최다 동의 청원',
  'home.endingSoon': '마감 임박 청원',
  'home.newest': '최신 청원',
  'home.answered': '답변 완료 청원',
  'home.moreMostAgreed': '최다 동의 청원 더 보기',
  'home.moreEndingSoon': '마감 임박 청원 더 보기',
  'home.moreNewest': '최신 청원 더 보기',
  'home.moreAnswered': '답변 완료 청원 더 보기',
  'home.emptyAny': '청원이 없습니다.',
  'home.emptyOpen': '지금 동의를 받고 있는 청원이 없습니다.',
  'home.emptyAnswered': '답변이 완료된 청원이 없습니다.',

  // lists, categories, search
  'list.all': '전체 청원',
  'list.open': '진행 중인 청원',
  'list.answered': '답변 완료 청원',
  'list.category': '{name} 분야 청원',
  'list.search': '청원 검색',
  'list.searchResults': '‘{query}’ 검색 결과',
  'list.total': '{count, number}건',
  'list.sortNav': '정렬',
  'list.noteTitlesOnly': '{min, number}글자보다 짧은 검색어는 청원 제목에서만 찾습니다.',
  'list.noteClosing': '마감 임박 순에는 동의를 받고 있는 청원만 나옵니다.',
  'list.emptyNoQuery': '검색어를 입력하십시오.',
  'list.searchInvalid': '잘못된 요청입니다: 검색어는 100자 이하로, 제어 문자 없이 입력하십시오.',
  'list.emptyPastEnd': '이 페이지에는 청원이 없습니다. 첫 페이지로 돌아가십시오.',
  'list.emptyNoResults': '검색 결과가 없습니다. 다른 낱말로 찾아보십시오.',
  'list.emptyNone': '청원이 없습니다.',
  'sort.relevance': '관련도 순',
  'sort.agreements': '동의 많은 순',
  'sort.newest': '최신 순',
  'sort.closing': '마감 임박 순',
  'sort.answered': '답변 최신 순',
  'pager.label': '페이지 이동',
  'pager.previous': '이전',
  'pager.next': '다음',
  'pager.current': '현재 페이지',

  // a petition in a list
  'petition.count': '{count, number}명',
  'petition.countNotFinal': '마감 전 집계',
  'petition.category': '분야',
  'petition.period': '청원 기간',
  'petition.agreements': '참여인원',
  'state.draft': '작성 중',
  'state.collecting_pre_agreements': '사전동의 중',
  'state.in_review': '검토 중',
  'state.open': '진행 중',
  'state.closed': '청원 종료',
  'state.rejected': '비공개 결정',
  'state.hidden': '숨김',
  'state.removed': '삭제됨',
  'response.awaiting': '답변 대기',
  'response.answered': '답변 완료',

  // about the data
  'about.title': '자료 출처와 이용 조건',
  'about.intro':
    '이 사이트의 보관 청원은 공개된 과거 청원 게시판에서 수집된 자료입니다. 참여인원은 원 게시판의 최종 집계이며 개별 동의 기록은 포함되어 있지 않습니다. 청원인과 동의한 사람의 신원은 어떤 자료에도 포함되어 있지 않습니다.',
  'about.sourceCheongwadae':
    '출처: 청와대 국민청원 (www1.president.go.kr/petitions). 청원 본문은 시민이 쓴 글이며, 정부 답변은 공공저작물입니다.',
  'about.sourceCrawls':
    '수집본: korkeep/BlueHouse (2020년 청원), lovit/petitions_archive (CC0 1.0), gyunggyung/National-Petition (답변 원문, Apache-2.0).',
  'about.sourceAssembly':
    '국회 국민동의청원 (petitions.assembly.go.kr), 수집본 jeongkyu-im-git/petitions-assembly.',
  'about.sourceUk':
    'UK Parliament petitions: Contains Parliamentary information licensed under the Open Parliament Licence v3.0.',
  'about.sourceWtp':
    'We the People: petitions.obamawhitehouse.archives.gov (Subramanian, Baldwin, Cohn, ACL 2018 자료).',
  'about.notice': '자세한 내용은 저장소의 NOTICE 파일을 보십시오.',

  // error pages
  'errorPage.notFound': '찾을 수 없습니다',
  'errorPage.other': '요청을 처리할 수 없습니다',
  'errorPage.code': '오류 코드',
  'errorPage.home': '처음으로',
  'errorPage.noSuchPage': '요청하신 페이지가 없습니다.',
  'errorPage.noSuchCategory': '그런 분야가 없습니다.',
  'errorPage.petitionNumber': '청원 번호는 1 이상의 정수입니다.',
  'errorPage.noSuchPetition': '{id}번 청원을 찾을 수 없습니다.',
  'errorPage.badParameters': '잘못된 요청입니다: {names} 값이 올바르지 않습니다.',
  'errorPage.malformedUrl': '주소에 올바르지 않은 문자 인코딩이 있습니다 (UTF-8이 아닙니다).',
  'parameter.q': '검색어',
  'parameter.state': '상태',
  'parameter.category': '분야',
  'parameter.answered': '답변 여부',
  'parameter.sort': '정렬',
  'parameter.page': '페이지',
  'parameter.per_page': '페이지당 개수',

  // one sentence per error code, for answers in a language the thrown message is not in
  'error.petition_not_found': '해당 청원을 찾을 수 없습니다.',
  'error.invalid_transition': '청원의 지금 상태에서는 할 수 없는 변경입니다.',
  'error.petition_closed': '이미 종료된 청원입니다.',
  'error.unknown_profile': '그런 정책 프로필이 없습니다.',
  'error.unknown_category': '그런 분야가 없습니다.',
  'error.invalid_setting': '설정 값이 올바르지 않습니다.',
  'error.invalid_parameter': '잘못된 요청입니다. 요청 값을 확인하십시오.',
  'error.invalid_body': '보낸 내용을 읽을 수 없습니다.',
  'error.body_too_large': '보낸 내용이 너무 큽니다.',
  'error.not_found': '요청하신 것을 찾을 수 없습니다.',
  'error.method_not_allowed': '이 주소에서는 허용되지 않는 요청 방식입니다.',
  'error.invalid_email': '이메일 주소가 올바르지 않습니다.',
  'error.invalid_name': '이름이 올바르지 않습니다.',
  'error.invalid_region': '지역이 올바르지 않습니다.',
  'error.invalid_token': '링크가 올바르지 않습니다.',
  'error.token_expired': '링크의 유효 기간이 지났습니다.',
  'error.petition_not_open': '지금 동의를 받고 있지 않은 청원입니다.',
  'error.rate_limited': '요청이 너무 많습니다. 잠시 후 다시 시도하십시오.',
  'error.unauthenticated': '로그인이 필요합니다.',
  'error.identity_error': '본인 확인에 실패했습니다.',
  'error.mail_unavailable': '지금은 메일을 보낼 수 없습니다. 잠시 후 다시 시도하십시오.',
  'error.forbidden': '이 작업을 할 권한이 없습니다.',
  'error.csrf_rejected':
    '다른 사이트에서 보낸 요청은 받지 않습니다. 페이지를 새로 고친 뒤 다시 시도하십시오.',
  'error.invalid_credentials': '로그인 정보가 올바르지 않습니다.',
  'error.staff_exists': '이미 있는 운영자 계정입니다.',
  'error.checked_out_elsewhere': '다른 운영자가 검토 중인 청원입니다.',
  'error.checkout_required': '먼저 이 청원의 검토를 맡아야 합니다.',
  'error.personal_data_unresolved': '개인정보로 보이는 부분을 먼저 처리해야 합니다.',
  'error.election_withheld': '선거 기간에는 공개를 보류합니다.',
  'error.response_not_found': '해당 답변을 찾을 수 없습니다.',
  'error.dump_not_ready': '전체 자료 파일이 아직 준비되지 않았습니다.',
  'error.unknown_format': '파일 형식을 알 수 없습니다.',
  'error.invalid_record': '읽을 수 없는 기록이 있습니다.',

  // petition creation (issue 6)
  'error.invalid_petition': '청원 내용이 운영 원칙에 맞지 않습니다. 표시된 항목을 고쳐 주십시오.',
  'create.title': '청원하기',
  'create.stepOf': '{total}단계 중 {step}단계',
  'create.stage.title': '분야와 제목',
  'create.stage.similar': '비슷한 청원',
  'create.stage.body': '청원 내용',
  'create.stage.check': '확인과 제출',
  'create.field.category': '분야',
  'create.field.categoryChoose': '분야를 고르십시오',
  'create.field.title': '제목',
  'create.field.body': '청원 내용',
  'create.field.name': '이름',
  'create.field.email': '이메일',
  'create.hint.title': '무엇을 바라는지 한 문장으로 써 주십시오. 최대 {limit}자.',
  'create.hint.body':
    '이유와 사정을 써 주십시오. 최대 {limit}자. 다른 사람의 이름·연락처 같은 개인정보는 쓰지 마십시오.',
  'create.counter': '{count}자 / {limit}자',
  'create.counterOver': '{limit}자를 {over}자 넘었습니다',
  'create.errorSummary': '다음 항목을 고쳐 주십시오',
  'create.error.categoryMissing': '분야를 골라 주십시오.',
  'create.error.unknownCategory': '없는 분야입니다. 목록에서 골라 주십시오.',
  'create.error.titleMissing': '제목을 써 주십시오.',
  'create.error.titleTooLong':
    '제목은 {limit}자까지 쓸 수 있습니다. 지금 {length}자로 {over}자를 줄여 주십시오.',
  'create.error.bodyMissing': '청원 내용을 써 주십시오.',
  'create.error.bodyTooLong':
    '청원 내용은 {limit}자까지 쓸 수 있습니다. 지금 {length}자로 {over}자를 줄여 주십시오.',
  'create.error.controlCharacter':
    '보이지 않는 제어 문자(예: NUL)가 들어 있습니다. 글을 다시 입력해 주십시오.',
  'create.error.name': '이름을 100자 이내로 써 주십시오.',
  'create.error.email': '메일을 받을 수 있는 이메일 주소를 써 주십시오 (예: name@example.kr).',
  'create.error.formExpired': '양식이 올바르지 않습니다. 청원하기를 처음부터 다시 시작해 주십시오.',
  'create.button.next': '다음',
  'create.button.continue': '새 청원 계속 작성',
  'create.button.editTitle': '분야와 제목 고치기',
  'create.button.check': '확인하기',
  'create.button.editBody': '내용 고치기',
  'create.button.submit': '청원 제출',
  'create.similar.explain':
    '비슷한 청원이 이미 있습니다. 새 청원을 올리는 대신 이 가운데 하나에 동의하시겠습니까?',
  'create.similar.count': '{count}명 동의',
  'create.similar.continueExplain':
    '찾는 청원이 없으면 새 청원을 계속 작성하십시오. 같은 내용의 청원은 중복으로 공개되지 않을 수 있습니다.',
  'create.check.preview': '미리 보기',
  'create.check.personalDataTitle': '개인정보로 보이는 부분이 있습니다',
  'create.check.personalDataExplain':
    '아래 부분은 개인정보로 보입니다. 지우거나 고친 뒤 제출해 주십시오. 그대로 제출하면 검토에서 가려지거나 공개가 거부될 수 있습니다.',
  'create.check.rulesTitle': '이런 청원은 공개되지 않습니다',
  'create.rules.personalData': '다른 사람의 이름, 연락처, 주소 같은 개인정보가 들어 있는 청원',
  'create.rules.defamation': '특정인을 비방하거나 명예를 훼손하는 청원',
  'create.rules.hate': '욕설, 비속어, 혐오 표현이 들어 있는 청원',
  'create.rules.duplicate': '이미 있는 청원과 같은 내용의 청원',
  'create.rules.falseFacts': '허위 사실이 들어 있는 청원',
  'create.rules.advertising': '광고나 홍보를 위한 청원',
  'create.rules.remit': '정부가 답할 수 없는 일에 관한 청원',
  'create.check.preAgreements':
    '제출한 뒤 받는 사전동의 링크로 {count}명이 동의하면 청원은 검토를 거쳐 공개됩니다.',
  'create.check.creatorTitle': '청원인',
  'create.check.creatorEmail': '이메일로 보내 드리는 링크를 열어 확인해야 청원이 등록됩니다.',
  'create.check.creatorSignedIn':
    '로그인한 상태로 청원합니다. 진행 상황을 알려 드릴 이름과 이메일을 써 주십시오.',
  'create.check.privacy':
    '이름과 이메일은 공개되지 않으며, 이 청원에 관한 알림(사전동의 진행, 검토 결과, 답변)에만 쓰입니다. 확인하지 않은 청원은 링크가 만료되면 함께 삭제됩니다.',
  'create.mail.title': '메일을 확인해 주십시오',
  'create.mail.sent': '확인 메일을 보냈습니다. 메일의 링크를 열고 단추를 눌러야 청원이 등록됩니다.',
  'create.mail.replayed': '이 청원은 이미 제출되었습니다. 보내 드린 확인 메일의 링크를 열어 주십시오.',
  'create.mail.expiry':
    '링크는 24시간 동안 유효합니다. 그동안 확인하지 않으면 청원과 이름·이메일이 삭제됩니다.',
  'create.mail.devMailbox': '이 사이트는 메일 서버 없이 실행 중입니다: 개발용 메일함 보기',
  'create.confirm.title': '청원 등록 확인',
  'create.confirm.explain':
    '아래 단추를 누르면 청원이 등록되고, 사전동의를 받을 수 있는 비공개 링크를 드립니다.',
  'create.confirm.button': '청원 등록 확인',
  'create.confirmed.againTitle': '이미 등록된 청원입니다',
  'create.confirmed.again':
    '이 링크로 이미 청원을 등록했습니다. 사전동의 링크는 그때 메일로 보내 드렸습니다.',
  'create.link.title': '청원이 등록되었습니다',
  'create.link.explain':
    '아래 비공개 사전동의 링크를 지지하는 분들께 알려 주십시오. {count}명이 이 링크로 동의하면 청원은 검토를 거쳐 공개됩니다.',
  'create.link.label': '사전동의 링크',
  'create.link.open': '사전동의 페이지 열기',
  'create.link.mailed': '같은 링크를 메일로도 보내 드렸습니다.',
  'create.link.notMailed': '메일을 보내지 못했습니다. 이 링크를 지금 복사해 두십시오.',
  'create.pd.rrn': '주민등록번호',
  'create.pd.foreigner_rrn': '외국인등록번호',
  'create.pd.phone_mobile': '휴대전화 번호',
  'create.pd.phone_landline': '전화번호',
  'create.pd.email': '이메일 주소',
  'create.pd.card': '카드 번호',
  'create.pd.bank_account': '계좌 번호',
  'create.pd.address': '주소',
  'create.pd.vehicle_plate': '차량 번호',
  'create.pd.chat_invite': '대화방 초대 링크',
  'create.pd.file_share_link': '파일 공유 링크',
  'create.pd.victim_name': '피해자로 보이는 이름',
} as const satisfies Record<string, string> &
  // every error code has a sentence: a code added to `ErrorCode` without one here is a type error
  Record<`error.${ErrorCode}`, string>;

export type MessageKey = keyof typeof ko;
