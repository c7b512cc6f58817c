import type { Command } from 'commander';
import { DIHEDRAL_NAMES } from '../domain/pdq/pdq.js';
import { pdqDihedralImage, pdqHashImage } from '../imaging/pdq-image.js';

/** How many images are decoded and hashed at once (libvips decodes on its own threads; PDQ runs on this one). */
const CONCURRENCY = 4;

/**
 * `cheongwon desk …`: the response desk's command-line tools. Returns the `desk` command so other desk
 * subcommands can be added to it.
 *
 * `desk hash FILE…` prints one line per image, `<pdq hex> <quality> <file>`, in the order given — the same hash
 * the victim page computes in the browser (src/imaging/pdq-image.ts says how images are decoded), so anyone can
 * compare it with another PDQ implementation. `--dihedral` prints the 8 rotation/flip hashes, one line each, with
 * the transform's name as a fourth column. A file that cannot be decoded is reported on stderr (`cheongwon: FILE:
 * reason`), the others are still hashed, and the exit status is 1.
 */
export function registerDeskCommands(
  program: Command,
  out: (line: string) => void = (line) => console.log(line),
  err: (line: string) => void = (line) => console.error(line),
): Command {
  const desk = program
    .command('desk')
    .description('the digital sex crime response desk: hashing and matching tools');
  desk
    .command('hash')
    .description('print "<pdq hex> <quality> <file>" for each image (PDQ, as the victim page computes it)')
    .argument('<files...>', 'image files (JPEG, PNG, WebP, GIF, AVIF, TIFF)')
    .option(
      '--dihedral',
      'print the 8 rotation/flip hashes of each image, the transform name as a 4th column',
      false,
    )
    .action(async (files: string[], o: { dihedral: boolean }) => {
      const results = await hashAll(files, o.dihedral);
      let failed = false;
      for (const [i, result] of results.entries()) {
        const file = files[i] as string;
        if (result.ok) for (const line of result.lines) out(line);
        else {
          failed = true;
          err(`cheongwon: ${file}: ${result.error}`);
        }
      }
      if (failed) process.exitCode = 1;
    });
  return desk;
}

type Outcome = { ok: true; lines: string[] } | { ok: false; error: string };

/** Hashes every file, CONCURRENCY at a time, answering in the order given. */
async function hashAll(files: string[], dihedral: boolean): Promise<Outcome[]> {
  const results: Outcome[] = new Array(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      const file = files[i] as string;
      try {
        if (dihedral) {
          const { hashes, quality } = await pdqDihedralImage(file);
          results[i] = {
            ok: true,
            lines: DIHEDRAL_NAMES.map((name) => `${hashes[name]} ${quality} ${file} ${name}`),
          };
        } else {
          const { hash, quality } = await pdqHashImage(file);
          results[i] = { ok: true, lines: [`${hash} ${quality} ${file}`] };
        }
      } catch (error) {
        results[i] = { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker));
  return results;
}
