/** The version `--version` prints: this package's. */
import { readFileSync } from 'node:fs';

/** From package.json next to `dist/`. */
export const CLI_VERSION: string = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();
