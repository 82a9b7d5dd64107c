/** Parsing with jsep, every failure turned into an {@link ExpressionError}. */
import jsep from 'jsep';
import { ExpressionError } from '../errors.js';
import { rejectWritingOperators } from './source-scan.js';

// jsep's operator tables are global to the process; adding `typeof` is idempotent, and anything
// other code adds to jsep is still refused by the validator, which accepts only known node types.
jsep.addUnaryOp('typeof');

/** Longest accepted source; conditions are short, and this bounds parse time. */
export const MAX_SOURCE_LENGTH = 10_000;

/** The source, quoted and shortened, for messages (the full text is in the error's `expression`). */
export function quoteSource(source: string): string {
  return JSON.stringify(source.length > 120 ? `${source.slice(0, 117)}...` : source);
}

/** A jsep syntax error: an Error with the offending character's `index` and a `description`. */
function isJsepError(error: unknown): error is Error & { index: number; description?: string } {
  return error instanceof Error && typeof (error as { index?: unknown }).index === 'number';
}

/** Parses `source` into jsep's AST; throws {@link ExpressionError} if it is empty, too long or does not parse. */
export function parseSource(source: string): jsep.Expression {
  if (source.trim() === '') {
    throw new ExpressionError('the expression is empty; write a condition such as order.total > 1000', source);
  }
  if (source.length > MAX_SOURCE_LENGTH) {
    throw new ExpressionError(
      `the expression is ${source.length} characters long; at most ${MAX_SOURCE_LENGTH} are allowed`,
      source,
    );
  }
  rejectWritingOperators(source);
  try {
    return jsep(source);
  } catch (error) {
    if (isJsepError(error)) {
      const what = error.description ?? error.message;
      throw new ExpressionError(`cannot parse ${quoteSource(source)}: ${what} at character ${error.index}`, source, error.index);
    }
    // jsep is recursive: deep nesting such as 2,000 "(" overflows the stack (RangeError).
    throw new ExpressionError(`cannot parse ${quoteSource(source)}: it is nested too deeply; simplify it`, source);
  }
}
