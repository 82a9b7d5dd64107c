/** Loads a package only when a feature that needs it is configured. */

/** `import(specifier)`, behind a seam so tests can stand in a module that is not installed. */
export type ModuleImporter = (specifier: string) => Promise<Record<string, unknown>>;

/** The real dynamic import; a variable specifier keeps the package out of the compiler's graph. */
export const importModule: ModuleImporter = (specifier) => import(specifier) as Promise<Record<string, unknown>>;

/** True when `error` says `specifier` itself (not one of its own imports) could not be found. */
export function isModuleNotFound(error: unknown, specifier: string): boolean {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  const code = e?.code;
  const message = typeof e?.message === 'string' ? e.message : '';
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (module|package)/.test(message)) && message.includes(specifier);
}
