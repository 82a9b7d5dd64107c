import { describe, expect, it } from '@jest/globals';
import { Container, inject, injectable } from 'inversify';
import { ActionResult } from '../actions/action-result.js';
import { WorkflowEngine } from '../engine/workflow-engine.js';
import { silentLogger } from '../logger.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { WORKFLOW_ENGINE, workflowContainerModule } from './index.js';

const PRICES = Symbol('prices');
const STORAGE = Symbol('storage');

@injectable()
class QuoteAction {
  constructor(@inject(PRICES) private readonly prices: { unit: number }) {}
  execute() {
    return ActionResult.success({ total: this.prices.unit * 3 });
  }
}

/** A memory storage whose `init` fails as an unreachable database does. */
function failingStorage(): MemoryStorage & { closed: boolean } {
  const storage = Object.assign(new MemoryStorage(), { closed: false });
  storage.init = () => Promise.reject(new Error('database is unreachable: ECONNREFUSED'));
  const close = storage.close.bind(storage);
  storage.close = async () => {
    storage.closed = true;
    await close();
  };
  return storage;
}

describe('workflowContainerModule', () => {
  it('binds a created engine once, under the class and WORKFLOW_ENGINE, and closes it on unbind', async () => {
    const container = new Container();
    await container.loadAsync(workflowContainerModule({ engineOptions: { logger: silentLogger } }));
    const engine = await container.getAsync(WorkflowEngine);
    expect(engine).toBeInstanceOf(WorkflowEngine);
    expect(container.get(WORKFLOW_ENGINE)).toBe(engine);
    expect(container.get(WorkflowEngine)).toBe(engine);
    await container.unbindAllAsync();
    await expect(engine.start('anything')).rejects.toMatchObject({ code: 'WF_ENGINE_CLOSED' });
  });

  it('takes its options from the container and builds @injectable action classes with it', async () => {
    const container = new Container();
    const storage = new MemoryStorage();
    container.bind(PRICES).toConstantValue({ unit: 5 });
    container.bind(STORAGE).toConstantValue(storage);
    await container.loadAsync(workflowContainerModule({ engineOptions: (ctx) => ({ logger: silentLogger, storage: ctx.get<MemoryStorage>(STORAGE) }) }));
    const engine = await container.getAsync(WorkflowEngine);
    expect(engine.storage).toBe(storage);
    engine.registerAction('quote', QuoteAction);
    engine.registerDefinition({ name: 'quote', steps: { quote: { action: 'quote' } } });
    const inst = await engine.start('quote');
    expect((await engine.waitFor(inst.id)).data).toEqual({ total: 15 });
    await container.unbindAllAsync();
  });

  it('binds an engine you own as a constant and never closes it', async () => {
    const engine = new WorkflowEngine({ logger: silentLogger });
    const container = new Container();
    await container.loadAsync(workflowContainerModule({ engine }));
    expect(container.get(WORKFLOW_ENGINE)).toBe(engine);
    await container.unbindAllAsync();
    engine.registerAction('ok', () => ActionResult.success());
    engine.registerDefinition({ name: 'still_open', steps: { a: { action: 'ok' } } });
    expect((await engine.start('still_open')).definitionName).toBe('still_open');
    await engine.close();
  });

  it('fails at resolve time when the storage of an engine it creates cannot open, and closes that engine', async () => {
    const storage = failingStorage();
    const container = new Container();
    await container.loadAsync(workflowContainerModule({ engineOptions: { logger: silentLogger, storage } }));
    await expect(container.getAsync(WorkflowEngine)).rejects.toThrow('database is unreachable: ECONNREFUSED');
    expect(storage.closed).toBe(true);
    // A sync get cannot wait for the storage: inversify says so instead of handing out a broken engine.
    expect(() => container.get(WorkflowEngine)).toThrow(/asynchronous/);
  });

  it('fails at load time when the storage of an engine you own cannot open, and leaves that engine to you', async () => {
    const storage = failingStorage();
    const engine = new WorkflowEngine({ logger: silentLogger, storage });
    const container = new Container();
    await expect(container.loadAsync(workflowContainerModule({ engine }))).rejects.toThrow('database is unreachable: ECONNREFUSED');
    expect(container.isBound(WorkflowEngine)).toBe(false);
    expect(storage.closed).toBe(false);
    await engine.close();
  });

  it('says to use loadAsync when loaded synchronously', () => {
    const container = new Container();
    expect(() => container.load(workflowContainerModule({ engineOptions: { logger: silentLogger } }))).toThrow(/loadAsync/);
  });

  it('refuses both or neither of engine and engineOptions', async () => {
    expect(() => workflowContainerModule({} as never)).toThrow(/either `engine`.*or `engineOptions`/);
    const engine = new WorkflowEngine({ logger: silentLogger });
    expect(() => workflowContainerModule({ engine, engineOptions: {} } as never)).toThrow(/not both/);
    await engine.close();
  });
});
