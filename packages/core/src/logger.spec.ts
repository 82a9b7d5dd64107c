import { describe, expect, it } from '@jest/globals';
import { childLogger, silentLogger, type Logger } from './logger.js';

type Line = { level: string; obj: object; msg?: string };

/** A small pino-like logger that records lines and merges child bindings. */
function recordingLogger(lines: Line[], bindings: object = {}): Logger {
  const write = (level: string) => (obj: object, msg?: string) => lines.push({ level, obj: { ...bindings, ...obj }, msg });
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => recordingLogger(lines, { ...bindings, ...more }),
  };
}

describe('childLogger', () => {
  it('uses child(bindings) when the logger has one', () => {
    const lines: Line[] = [];
    const root = recordingLogger(lines, { app: 'wf' });
    const child = childLogger(root, { workflowId: 'i1', stepId: 'pay' });
    expect(child).not.toBe(root);
    child.info({ attempt: 2 }, 'started');
    expect(lines).toEqual([{ level: 'info', obj: { app: 'wf', workflowId: 'i1', stepId: 'pay', attempt: 2 }, msg: 'started' }]);
  });

  it('nests: a child of a child keeps both bindings', () => {
    const lines: Line[] = [];
    const child = childLogger(childLogger(recordingLogger(lines), { workflowId: 'i1' }), { stepId: 'pay' });
    child.warn({}, 'slow');
    expect(lines[0]!.obj).toEqual({ workflowId: 'i1', stepId: 'pay' });
  });

  it('returns the logger itself when it has no child()', () => {
    expect(childLogger(silentLogger, { workflowId: 'i1' })).toBe(silentLogger);
    const plain: Logger = { debug() {}, info() {}, warn() {}, error() {} };
    expect(childLogger(plain, { a: 1 })).toBe(plain);
  });
});
