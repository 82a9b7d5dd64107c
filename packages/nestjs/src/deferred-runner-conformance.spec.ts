/** The runner conformance suite on a DeferredRunner wrapping an InProcessRunner, released once started (as at bootstrap). */
import { InProcessRunner } from '@workflow-mastery/core';
import { runRunnerConformance } from '@workflow-mastery/core/testing';
import { DeferredRunner } from './deferred-runner.js';

runRunnerConformance(
  'deferred (in-process, released)',
  (setup) => {
    const runner = new DeferredRunner(new InProcessRunner(setup));
    return { runner, begin: () => runner.release() };
  },
  { delivery: 'local', timers: 'host-clock', capabilities: { dedupe: true, queueDepth: true, limits: true } },
);
