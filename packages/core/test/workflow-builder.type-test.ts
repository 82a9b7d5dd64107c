/**
 * Type test of the `workflow()` builder's compile-time checks, run by `npm run typecheck`
 * (`tsc -p tsconfig.test.json`) and never executed: each `@ts-expect-error` must meet an error, so
 * a loosened builder type fails the typecheck. What is refused here `parse()` also refuses at run
 * time (workflow-builder.spec.ts), for callers the compiler cannot help.
 */
import { workflow, WorkflowBuilder, type StepDefinitionInput, type TransitionOptions } from '../src/index.js';
import type {
  CheckedCondition,
  CheckedDuration,
  EmptyCondition,
  NotADuration,
  Undeclared,
} from '../src/definition/workflow-builder.types.js';

/** True only when A and B are the same type (not merely assignable). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

class FraudCheck {}

export function accepted(): void {
  // Forward references, groups, then() from a group, every duration form, numbers.
  workflow('document_approval', '1.5')
    .step('submit_document', { action: 'submit_document', timeout: 5_000 })
    .then('initial_review')
    .step('initial_review', { action: 'initial_review', timeout: '2d', retry_delay: '1m30s', retry_backoff: { type: 'exponential', max_delay: '1h 30m' } })
    .then('parallel_reviews', { condition: 'review.approved === true' })
    .then('reject_document', { condition: 'review.approved === false' })
    .step('legal_review', { action: 'legal_review', timeout: '1w2d3h4m5s6ms', conditions: ['document.type === "contract"'] })
    .step('compliance_review', { action: FraudCheck, timeout: '1.5h', retry_delay: '500ms' })
    .parallel('parallel_reviews', ['legal_review', 'compliance_review'])
    .then('final_approval', { join: 'all' })
    .step('final_approval', { action: 'final_approval' })
    .step('reject_document', { action: 'reject_document' })
    .transition('reject_document', 'final_approval', { on_timeout: true })
    .timeout('7d')
    .timeout(60_000)
    .build();

  // Values the compiler cannot see are left to parse(): ids, durations and conditions in strings.
  const next: string = 'from_config';
  const timeout: string = process.env.REVIEW_TIMEOUT ?? '2d';
  const condition: string = process.env.CONDITION ?? 'x > 1';
  workflow('wf').step('a', { action: 'a', timeout, conditions: [condition] }).then(next, { condition }).parallel('g', [next, 'a']).parse();

  // Definitions and options already typed with the storable format's types.
  const definition: StepDefinitionInput = { action: 'a', timeout: '30s', conditions: ['x > 1'] };
  const options: TransitionOptions = { condition: 'x > 1' };
  workflow('wf').step('a', definition).step('b', definition).transition('a', 'b', options).build();

  // The bare WorkflowBuilder type checks no ids: for builders assembled from data.
  let dynamic: WorkflowBuilder = workflow('from_data');
  for (const id of ['a', 'b']) dynamic = dynamic.step(id, { action: id }).then('done');
  dynamic = dynamic.step('done', { action: 'done' });
  dynamic.build();
  new WorkflowBuilder('unchecked').then('anything').build();

  // The core README's example of a builder assembled from data.
  const steps: { id: string; action: string; next: string }[] = [];
  let builder: WorkflowBuilder = workflow('from_data');
  for (const step of steps) builder = builder.step(step.id, { action: step.action }).then(step.next);
  builder.parse();
}

export function refused(): void {
  // @ts-expect-error unknown step or group "does_not_exist"
  workflow('wf').step('a', { action: 'a' }).then('does_not_exist').build();
  // @ts-expect-error unknown step or group "does_not_exist" (parse() checks the same)
  workflow('wf').step('a', { action: 'a' }).then('does_not_exist').parse();
  // @ts-expect-error unknown step or group "nope" as a transition's target
  workflow('wf').step('a', { action: 'a' }).transition('a', 'nope').build();
  // @ts-expect-error unknown step or group "nope" as a transition's source
  workflow('wf').step('a', { action: 'a' }).transition('nope', 'a').build();
  // @ts-expect-error parallel group member "unknown_member" is not a step
  workflow('wf').step('a', { action: 'a' }).step('b', { action: 'b' }).parallel('g', ['a', 'unknown_member']).then('b').build();
  // @ts-expect-error a group is not a step: groups do not nest
  workflow('wf').step('a', { action: 'a' }).step('b', { action: 'b' }).parallel('g', ['a', 'b']).parallel('h', ['g', 'a']).build();

  // @ts-expect-error "30x" is not a duration
  workflow('wf').step('a', { action: 'a', timeout: '30x' });
  // @ts-expect-error "" is not a duration
  workflow('wf').step('a', { action: 'a', timeout: '' });
  // @ts-expect-error "-1s": durations are not negative
  workflow('wf').step('a', { action: 'a', retry_delay: '-1s' });
  // @ts-expect-error "30s1m": a compound names its units from the largest down
  workflow('wf').step('a', { action: 'a', retry_backoff: { type: 'exponential', max_delay: '30s1m' } });
  // @ts-expect-error "7 days" is not a duration
  workflow('wf').step('a', { action: 'a' }).timeout('7 days');

  // @ts-expect-error an empty condition
  workflow('wf').step('a', { action: 'a' }).then('a', { condition: '' });
  // @ts-expect-error a condition of only whitespace
  workflow('wf').step('a', { action: 'a' }).transition('a', 'a', { condition: '   ' });
  // @ts-expect-error an empty step guard
  workflow('wf').step('a', { action: 'a', conditions: ['x > 1', ''] });

  // @ts-expect-error "a" is already a step
  workflow('wf').step('a', { action: 'a' }).step('a', { action: 'a' });
  // @ts-expect-error "a" is already a step, so it cannot name a group
  workflow('wf').step('a', { action: 'a' }).parallel('a', ['a']);
  // @ts-expect-error then() needs a step or group before it
  workflow('wf').then('a');
  // @ts-expect-error misspelled keys were caught before and still are
  workflow('wf').step('a', { action: 'a', tiemout: '30s' });
}

// The messages the errors above show.
const messages: [
  Equal<Undeclared<'a', never, 'a' | 'does_not_exist', never>, 'unknown step or group "does_not_exist": add it with .step() or .parallel()'>,
  Equal<Undeclared<'a' | 'b', 'g', never, 'a' | 'g'>, 'parallel group member "g" is not a step: add it with .step()'>,
  Equal<Undeclared<'a', 'g', 'a' | 'g', 'a' | string>, never>,
  Equal<CheckedDuration<'30x'>, NotADuration>,
  Equal<CheckedDuration<'1m30s'>, '1m30s'>,
  Equal<CheckedDuration<string>, string>,
  Equal<CheckedCondition<''>, EmptyCondition>,
  Equal<CheckedCondition<'x > 1'>, 'x > 1'>,
] = [true, true, true, true, true, true, true, true];
void messages;
