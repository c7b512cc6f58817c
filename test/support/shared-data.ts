import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** ../shared/data beside the repository (present for developers and CI; not in a user's clone). */
export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
export const HAS_SHARED_DATA = existsSync(SHARED_DATA);
export const shared = (file: string) => `${SHARED_DATA}${file}`;
