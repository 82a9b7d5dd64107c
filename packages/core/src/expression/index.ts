/** The safe condition language: public surface. */
export { compileExpression, DEFAULT_ALLOWED_METHODS } from './expression-compiler.js';
export type { CompiledExpression, ExpressionOptions } from './expression.types.js';
