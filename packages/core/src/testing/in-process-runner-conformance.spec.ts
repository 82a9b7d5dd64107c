/** The runner conformance suite on core's InProcessRunner. */
import { InProcessRunner } from '../engine/in-process-runner.js';
import { runRunnerConformance } from './runner-conformance.js';

runRunnerConformance('in-process', (setup) => ({ runner: new InProcessRunner(setup) }), {
  delivery: 'local',
  timers: 'host-clock',
  capabilities: { dedupe: true, queueDepth: true, limits: true },
});
