/** Walks a validated {@link ExprNode} tree against instance data; no `eval`, no `Function`. */
import type { ExprNode } from './expression-ast.js';
import { callMethod, readProperty, safeApply } from './safe-access.js';
import { applyBinary, applyUnary } from './safe-operators.js';

/**
 * Evaluates `node` with identifiers read from `data`'s own fields. Missing paths are `undefined`
 * (`a.b.c` with no `a` included). May throw only on exotic data (e.g. a Proxy whose traps throw);
 * the compiler's `evaluate` turns that into `undefined`.
 */
export function evaluateNode(node: ExprNode, data: unknown): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'identifier':
      return readProperty(data, node.name);
    case 'member':
      return readProperty(evaluateNode(node.object, data), evaluateNode(node.key, data));
    case 'unary':
      return applyUnary(node.operator, evaluateNode(node.argument, data));
    case 'binary':
      return applyBinary(node.operator, evaluateNode(node.left, data), evaluateNode(node.right, data));
    case 'logical': {
      const left = evaluateNode(node.left, data);
      if (node.operator === '&&') return left ? evaluateNode(node.right, data) : left;
      if (node.operator === '||') return left ? left : evaluateNode(node.right, data);
      return left ?? evaluateNode(node.right, data);
    }
    case 'conditional':
      return evaluateNode(evaluateNode(node.test, data) ? node.consequent : node.alternate, data);
    case 'array':
      return node.elements.map((element) => evaluateNode(element, data));
    case 'method':
      return callMethod(
        evaluateNode(node.receiver, data),
        node.method,
        node.args.map((arg) => evaluateNode(arg, data)),
      );
    case 'function':
      return safeApply(node.fn, undefined, node.args.map((arg) => evaluateNode(arg, data)));
  }
}
