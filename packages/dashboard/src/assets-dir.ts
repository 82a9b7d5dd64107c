/** Where the dashboard's browser files are (`assets/` of the package, next to `src/` and `dist/`). */
import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the folder holding the dashboard's `index.html`, scripts and styles: plain
 * browser ES modules and CSS, served as they are (no build step, no CDN).
 */
export const dashboardAssetsDir: string = fileURLToPath(new URL('../assets/', import.meta.url));
