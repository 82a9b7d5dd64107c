/** `definitions [NAME]`: every definition version stored in the database (and registered here). */
import type { CliCommand } from '../command.types.js';
import { formatTime } from '../format/time-format.js';

/** `workflow-mastery definitions`. */
export const definitionsCommand: CliCommand = {
  name: 'definitions',
  register(program, runtime) {
    program
      .command('definitions')
      .alias('defs')
      .description('list every stored definition version (deployed, or used by an instance), plus those registered by --module/--definition')
      .argument('[name]', 'only the versions of this definition')
      .action(
        runtime.action(async (session, [name]) => {
          const engine = await session.engine('hand-off', await session.sources());
          const versions = await engine.listDefinitionVersions(name);
          const out = session.out;
          out.document({ items: versions });
          if (versions.length === 0) {
            out.line(out.c.dim(name ? `no version of "${name}" is stored or registered` : 'no definition is stored or registered; store one with `deploy FILE`'));
            return;
          }
          const rows = versions.map((v) => [
            v.name,
            v.version,
            v.hash.slice(0, 12),
            v.stored ? formatTime(v.storedAt) : out.c.dim('not stored yet'),
            v.loaded ? 'yes' : out.c.dim('no'),
          ]);
          out.line(out.table(['name', 'version', 'hash', 'stored at', 'loaded here'], rows));
        }),
      );
  },
};
