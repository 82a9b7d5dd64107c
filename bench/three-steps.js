// The bench's 3-step no-op workflow (every case, and the BullMQ worker processes).
export const threeSteps = {
  name: 'bench_noop',
  version: '1',
  steps: { a: { action: 'noop' }, b: { action: 'noop' }, c: { action: 'noop' } },
  transitions: [
    { from: 'a', to: 'b' },
    { from: 'b', to: 'c' },
  ],
};
