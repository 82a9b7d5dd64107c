/** Runs every workspace's tests: `npm test`. Each workspace with tests has its own jest.config.js. */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = import.meta.dirname;
const projects = ['packages', 'samples', 'bench'].flatMap((group) => {
  const dir = path.join(root, group);
  if (existsSync(path.join(dir, 'jest.config.js'))) return [dir];
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => path.join(dir, name))
    .filter((ws) => existsSync(path.join(ws, 'jest.config.js')));
});

export default { projects };
