/**
 * `reencrypt`: move everything stored to the current encryption key, batch by batch, so that old
 * keys can be removed; `--dry-run` only counts the values per key id.
 */
import { EncryptedStorage, type KeyUsage, type ReencryptProgress, type ReencryptResult } from '@workflow-mastery/core';
import { ExitCode, UsageError } from '../cli-error.js';
import type { CliCommand } from '../command.types.js';
import { encryptionFromEnv, KEY_ID_VARIABLE, KEYS_VARIABLE } from '../encryption-env.js';
import type { Output } from '../output.js';
import { ReencryptProgressDisplay } from '../reencrypt-progress.js';
import { commandLine } from '../rerun-command.js';

interface ReencryptOptions {
  batch?: string;
  resume?: string;
  dryRun?: boolean;
}

/** Lines saying which key ids are in use, and which configured ones are not. */
function usageLines(out: Output, usage: KeyUsage, storage: EncryptedStorage, configured: string[]): string[] {
  const used = Object.entries(usage.keys).map(([kid, n]) => `${kid}${kid === storage.currentKeyId ? ' (current)' : ''}: ${n}`);
  const lines = [`values per key id: ${used.length > 0 ? used.join(', ') : 'none'}${usage.unencrypted > 0 ? `; in clear: ${usage.unencrypted}` : ''}`];
  const unused = configured.filter((kid) => kid !== storage.currentKeyId && !(kid in usage.keys));
  const stillUsed = Object.keys(usage.keys).filter((kid) => kid !== storage.currentKeyId);
  if (stillUsed.length > 0) lines.push(`${out.c.yellow('still in use')}: ${stillUsed.join(', ')} (run reencrypt without --dry-run)`);
  if (unused.length > 0) lines.push(`${out.c.green('no longer used')}: ${unused.join(', ')}: can be removed from ${KEYS_VARIABLE}`);
  return lines;
}

/** `workflow-mastery reencrypt`. */
export const reencryptCommand: CliCommand = {
  name: 'reencrypt',
  register(program, runtime) {
    program
      .command('reencrypt')
      .description('re-encrypt every stored record and history event with the current key, so that old keys can be removed')
      .option('-b, --batch <n>', 'instances per batch (1-10000)', '100')
      .option('--resume <cursor>', 'continue after the instance an interrupted run printed')
      .option('--dry-run', 'only count the values under each key id (nothing is written)', false)
      .addHelpText(
        'after',
        `\nKeys come from ${KEYS_VARIABLE} (ID:KEY pairs, comma-separated) and ${KEY_ID_VARIABLE} (the current one).\n` +
          'Run it after every engine uses the new current key; engines may keep running. Each batch is committed as it goes:\n' +
          'when interrupted, run it again with the printed --resume (or from the start: what is done is skipped).\n' +
          'Exit code 130 when interrupted.',
      )
      .action(
        runtime.action<ReencryptOptions>(async (session, _args, opts) => {
          const out = session.out;
          const storage = await session.storage();
          if (!(storage instanceof EncryptedStorage)) {
            throw new UsageError(`reencrypt needs the keys: set ${KEYS_VARIABLE}=OLD:KEY,NEW:KEY and ${KEY_ID_VARIABLE}=NEW (the key to move everything to)`);
          }
          const configured = Object.keys(encryptionFromEnv(session.io.env)?.keys ?? {});
          const batchSize = Number(opts.batch ?? '100');
          if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new UsageError(`--batch must be an integer from 1 to 10000, got "${opts.batch}"`);
          const base = { batchSize, ...(opts.resume ? { cursor: opts.resume } : {}) };
          const database = session.describeDatabase();
          const progress = new ReencryptProgressDisplay(out, opts.dryRun === true);
          const aborted = new AbortController();
          const onSignal = () => aborted.abort();
          process.once('SIGINT', onSignal);
          process.once('SIGTERM', onSignal);
          let last: string | undefined = opts.resume;
          const resumeHint = (cursor: string) => commandLine([...session.givenArgs, 'reencrypt', '--batch', String(batchSize), '--resume', cursor]);
          let result: ReencryptResult;
          try {
            const onProgress = (p: ReencryptProgress) => {
              last = p.cursor;
              progress.batch(p);
            };
            const options = { ...base, signal: aborted.signal, onProgress };
            if (opts.dryRun) {
              const usage = await storage.keyUsage(options);
              result = { ...usage, records: 0, events: 0 };
            } else {
              result = await storage.reencrypt(options);
            }
          } catch (error) {
            progress.stop();
            if (last) out.note(`stopped by an error; the batches before it are done: continue with ${resumeHint(last)}`);
            throw error;
          } finally {
            progress.stop();
            process.off('SIGINT', onSignal);
            process.off('SIGTERM', onSignal);
          }
          const interrupted = !result.done;
          out.document({ database, currentKeyId: storage.currentKeyId, dryRun: opts.dryRun === true, ...result, ...(interrupted ? { interrupted: true } : {}) });
          const current = storage.currentKeyId;
          if (opts.dryRun) {
            out.line(`${out.c.green('✔')} ${result.instances} instance(s) read (${database})`);
            for (const line of usageLines(out, result, storage, configured)) out.line(line);
          } else {
            out.line(`${out.c.green('✔')} ${result.instances} instance(s) visited: ${result.records} records and ${result.events} history events re-encrypted with key "${current}" (${database})`);
            const found = Object.entries(result.keys).map(([kid, n]) => `${kid}: ${n}`);
            out.line(`values found per key id (before): ${found.length > 0 ? found.join(', ') : 'none'}${result.unencrypted > 0 ? `; in clear: ${result.unencrypted}` : ''}`);
            const old = configured.filter((kid) => kid !== current);
            if (!interrupted && old.length > 0) {
              out.line(`everything visited is now under "${current}": ${old.join(', ')} can be removed from ${KEYS_VARIABLE} once every engine writes with "${current}"`);
            }
          }
          if (interrupted) {
            out.note(`interrupted: the batches done so far are kept; continue with ${resumeHint(result.nextCursor ?? last ?? '')}`);
            return ExitCode.Interrupted;
          }
          if (!opts.dryRun) out.line(out.c.dim(`check what is left: ${commandLine([...session.givenArgs, 'reencrypt', '--dry-run'])}`));
          return ExitCode.Ok;
        }),
      );
  },
};
