#!/usr/bin/env node
/** The `workflow-mastery` executable. */
import { main } from './main.js';

// `workflow-mastery list | head`: a closed pipe ends the output, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw error;
  });
}

const code = await main(process.argv);
process.exitCode = code;
// Storage drivers may keep a handle or two open a moment after closing: do not wait on them forever.
setTimeout(() => process.exit(code), 3000).unref();
