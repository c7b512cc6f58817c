import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { cosigner } from '../domain/tlog/cosignature.js';
import { isValidKeyName, noteVerifier } from '../domain/tlog/note.js';
import {
  fileStateStore,
  loadOrCreateWitnessKey,
  readWitnessConfig,
  WitnessConfigError,
} from '../witness/files.js';
import { startWitnessServer } from '../witness/server.js';
import { Witness } from '../witness/witness.js';

/**
 * `cheongwon witness`: run a C2SP tlog-witness for Cheongwon's heads log (or any tlog-checkpoint log), so a civic
 * group, a newspaper or an election commission can cosign without writing code.
 *   cheongwon witness init --dir <dir> --name <name> --log <vkey>   write <dir>/witness.conf and a new key
 *   cheongwon witness serve --config <file> [--host] [--port]       serve add-checkpoint (the default subcommand)
 *   cheongwon witness key --config <file>                           print the witness's vkey to publish
 */
export function registerWitnessCommands(program: Command, log: (line: string) => void): void {
  const witness = program
    .command('witness')
    .description('run a transparency-log witness (C2SP tlog-witness) with its own key and state file');

  witness
    .command('init')
    .description('write a witness configuration and generate the witness key')
    .requiredOption('--dir <dir>', 'directory for witness.conf, witness.key and witness-state.json')
    .requiredOption(
      '--name <name>',
      'the witness key name, a schema-less URL such as witness.example.org/cheongwon',
    )
    .option(
      '--log <vkey...>',
      "a log's verifier key to witness (repeatable; e.g. the vkey from the site's /log/key)",
    )
    .action((o: { dir: string; name: string; log?: string[] }) => {
      if (!isValidKeyName(o.name)) throw new WitnessConfigError('the name must have no spaces or +');
      for (const v of o.log ?? []) noteVerifier(v); // refuse a bad vkey now, not at serve time
      const file = path.join(o.dir, 'witness.conf');
      if (existsSync(file)) throw new WitnessConfigError(`${file} exists already`);
      const text = [
        '# Cheongwon witness configuration (see README, "Running a witness")',
        `name ${o.name}`,
        'key witness.key',
        'state witness-state.json',
        ...(o.log ?? []).map((v) => `log ${v}`),
        '',
      ].join('\n');
      const { skey } = loadOrCreateWitnessKey(path.join(o.dir, 'witness.key'), o.name);
      writeFileSync(file, text);
      log(`wrote ${file} and ${path.join(o.dir, 'witness.key')} (keep the key file secret)`);
      log(`publish this witness key: ${cosigner(skey).vkey}`);
    });

  witness
    .command('serve', { isDefault: true })
    .description('serve POST /add-checkpoint and GET /<origin hash>/checkpoint until stopped')
    .requiredOption('--config <file>', 'the witness configuration (from "cheongwon witness init")')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '7380')
    .action(async (o: { config: string; host: string; port: string }) => {
      const config = readWitnessConfig(o.config);
      if (config.logs.length === 0)
        throw new WitnessConfigError('the configuration lists no "log" to witness');
      const { skey, created } = loadOrCreateWitnessKey(config.keyFile, config.name);
      if (created) log(`generated a new witness key in ${config.keyFile}`);
      const w = new Witness({
        skey,
        logs: config.logs,
        state: fileStateStore(config.stateFile),
        onRefusal: (origin, status, reason) => log(`refused ${origin}: ${status} ${reason.trim()}`),
      });
      const server = await startWitnessServer(w, { host: o.host, port: Number(o.port) });
      log(`witness ${w.name} listening on ${server.url}`);
      log(`witness key: ${w.vkey}`);
      for (const origin of w.origins()) log(`witnessing ${origin}`);
      const stop = () => {
        void server.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  witness
    .command('key')
    .description("print the witness's verifier key (vkey), generating the key on first use")
    .requiredOption('--config <file>', 'the witness configuration')
    .action((o: { config: string }) => {
      const config = readWitnessConfig(o.config);
      log(cosigner(loadOrCreateWitnessKey(config.keyFile, config.name).skey).vkey);
    });
}
