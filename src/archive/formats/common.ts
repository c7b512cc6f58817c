/** Helpers shared by the format mappers. */
import { cwdPreservedUrl } from '../../domain/archive-links.js';
import { reject } from '../build.js';
import { show } from '../text.js';

/** The preserved copy of a Blue House board petition (the rule is in domain/archive-links.ts). */
export function cwdUrl(id: string): string {
  return cwdPreservedUrl(id);
}

/** The Blue House (청와대) board ids are positive integers. */
export function requireCwdId(id: string, field: string): string {
  if (!/^\d+$/.test(id)) reject(`${field} is not a board id (digits): ${show(id)}`);
  return id;
}

/** A required text field of a JSON object (trimmed, non-empty). */
export function requireText(o: Record<string, unknown>, key: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.trim() === '') reject(`${key} is missing or empty`);
  return v.trim();
}

/** An optional text field of a JSON object: the string, or null when absent/not a string. */
export function optText(o: Record<string, unknown>, key: string): string | null {
  const v = o[key];
  return typeof v === 'string' ? v : null;
}

/** A CSV cell by column name ('' when the column is absent). */
export function cell(row: Record<string, string>, name: string): string {
  return row[name] ?? '';
}
