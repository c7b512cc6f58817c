#!/usr/bin/env node
/**
 * SQL has one home: src/repositories/ (and src/db/ for the connection and migrations). dependency-cruiser
 * (scripts/check-layers.mjs) stops kysely's values (`sql`) from being imported elsewhere; this stops the query
 * builder from being started elsewhere on an executor passed in (`db.selectFrom(…)`), which no import shows, and
 * keeps writes out of the read modules (src/repositories/*.ts) that the web may import.
 * Prints each offending line as file:line and exits 1 when there is one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const QUERY_START =
  /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql(<[^>]*>)?`|\bsql\.(raw|ref|join|lit|id|table)\(/;
const HOME = /^src\/(repositories|db)\//;
// read modules (src/repositories/*.ts, which the web may import) hold no writes: those live in repositories/writes/
const READ_MODULE = /^src\/repositories\/[^/]+\.ts$/;
const WRITE =
  /\.(insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\b(insert\s+into|delete\s+from)\b|\bupdate\s+\w+\s+set\b/i;
const found = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(file);
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
      const rule = HOME.test(file) ? (READ_MODULE.test(file) ? WRITE : null) : QUERY_START;
      if (!rule) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (rule.test(line) && !/^\s*(\*|\/\/)/.test(line)) found.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
  }
};
walk('src');
if (found.length > 0) {
  console.error(
    `SQL out of its home (${found.length} line(s)): queries belong in src/repositories/, writes in src/repositories/writes/:`,
  );
  for (const f of found) console.error(`  ${f}`);
  process.exit(1);
}
console.log(
  'SQL home: every query starts in src/repositories/ or src/db/, every write in src/repositories/writes/',
);
