/** The console front of the demo: progress lines, then a summary table and consistency checks. */
import type { OrderDemoOptions } from './order-demo.js';
import { runOrderDemo } from './order-demo.js';
import { dim, green, red } from '@workflow-mastery/sample-kit';

export const bold = (s: string) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\u001b[1m${s}\u001b[0m` : s);

/** Run the demo, print it, and return the exit code (0 when every order ended as it should). */
export async function runOrderDemoCli(options: OrderDemoOptions): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const started = Date.now();
  const { outcomes, recovered, services } = await runOrderDemo({ ...options, write: out });
  out('');
  out(bold('Summary'));
  for (const o of [...outcomes, ...recovered]) {
    const state = o.instance.state === 'COMPLETED' ? green(o.instance.state) : red(o.instance.state);
    const saga = o.instance.compensation ? ` (compensation ${o.instance.compensation.status.toLowerCase()})` : '';
    out(`  ${o.label.padEnd(8)} ${state.padEnd(9)}${saga}  ${dim(o.shows)}`);
    out(`  ${''.padEnd(8)} ${dim(o.path.join(' → '))}`);
  }
  const stock = [...services.warehouse.stock].map(([sku, n]) => `${sku}=${n}`).join(' ');
  out('');
  out(`warehouse stock after the run: ${stock}`);
  out(`payments captured: $${services.payments.captured.toFixed(2)} (refunds applied: ${[...services.payments.charges.values()].filter((c) => c.refunded).length})`);
  out(`emails sent: ${services.mail.length}`);
  const completed = outcomes.filter((o) => o.instance.state === 'COMPLETED').length;
  const unexpected = outcomes.filter((o) => o.instance.state !== o.expected);
  out(`\n${completed} completed, ${outcomes.length - completed} failed, in ${Date.now() - started} ms`);
  if (unexpected.length) {
    out(red(`unexpected: ${unexpected.map((o) => `${o.label} ended ${o.instance.state}, expected ${o.expected}`).join('; ')}`));
    return 1;
  }
  out(green('every order ended as designed'));
  return 0;
}
