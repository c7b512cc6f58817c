/**
 * Where the original of an archived petition can still be read: the one rule for the link an archived record
 * carries (the importer stores it, the API's `archive.url` and the petition page show it).
 *
 * The Blue House board (청와대 국민청원, archive source `cwd`) closed in May 2022 and `www1.president.go.kr` no longer
 * serves it; every page of it survives at the Presidential Archives (대통령기록관 웹기록물) under
 * `https://webarchives.pa.go.kr/19th/www.president.go.kr/petitions/<board id>`. Records imported before this rule
 * still hold the dead www1 address in `archive_source_url`; `archivedCopyUrl` answers the preserved copy for them too.
 * Other sources keep the address their crawl gave (UK petitions and We the People are still served).
 */

/** Prefix of the Presidential Archives' copy of the Blue House petition board (followed by the board id). */
export const CWD_PRESERVED_BOARD = 'https://webarchives.pa.go.kr/19th/www.president.go.kr/petitions/';

/** The Presidential Archives' copy of Blue House petition `boardId` (digits: the president.go.kr id). */
export function cwdPreservedUrl(boardId: string): string {
  return `${CWD_PRESERVED_BOARD}${boardId}`;
}

/**
 * The address where an archived petition's original can be read today, or null when none is known.
 * @param source archive source ('cwd', 'cwd-list', 'uk', …); `cwd` ids are the board's own numbers
 * @param sourceId the record's id within its source
 * @param storedUrl what the importer stored (`archive_source_url`)
 */
export function archivedCopyUrl(
  source: string | null,
  sourceId: string | null,
  storedUrl: string | null,
): string | null {
  if (source === 'cwd' && sourceId !== null && /^\d+$/.test(sourceId)) return cwdPreservedUrl(sourceId);
  return storedUrl;
}

/** True for a source whose records link to a preserved copy holding the text and answer the crawl lost. */
export function hasPreservedCopy(source: string | null): boolean {
  return source === 'cwd';
}
