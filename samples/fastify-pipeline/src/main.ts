/**
 * `npm run fastify-pipeline`: the CI/CD pipeline workflow in a Fastify 5 app on PORT
 * (default 3000), the HTTP API under /api, state in memory. Principal from the `x-user` and
 * `x-role` headers; a task is completed only by the role it is assigned to.
 * `-- --demo` runs one build, approving its release gate over HTTP, prints its path and exits.
 */
import { runDemo } from './demo.js';
import { startServer } from './app.js';

const demo = process.argv.includes('--demo');

async function main(): Promise<number> {
  const server = await startServer({ port: Number(process.env.PORT ?? (demo ? 0 : 3000)), host: process.env.HOST ?? '127.0.0.1', write: (line) => process.stdout.write(`${line}\n`) });
  process.stdout.write(`CI/CD pipeline on Fastify: ${server.url}/api  storage: memory\n`);
  if (!demo) {
    process.stdout.write(`try: curl ${server.url}/api/tasks?assignedTo=release_manager -H 'x-user: rita' -H 'x-role: release_manager'\n`);
    const stop = () => void server.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return -1;
  }
  try {
    process.stdout.write('\n');
    return (await runDemo(server.url)) ? 0 : 1;
  } finally {
    await server.close();
  }
}

main().then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
