/** Reads a workflow definition from a JSON or YAML file. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { WorkflowDefinitionInput } from '@workflow-mastery/core';
import { CliError } from './cli-error.js';

/** File extensions read as definitions (anything else is imported as an ES module). */
export const DEFINITION_EXTENSIONS = ['.json', '.yaml', '.yml'] as const;

/** True when `file` is a JSON or YAML definition by its extension. */
export function isDefinitionFile(file: string): boolean {
  return (DEFINITION_EXTENSIONS as readonly string[]).includes(path.extname(file).toLowerCase());
}

/**
 * Parse a definition file; the engine validates its content when it is registered.
 * @throws CliError naming the file and the problem (with line and column for YAML/JSON syntax).
 */
export async function readDefinitionFile(file: string): Promise<WorkflowDefinitionInput> {
  const text = await readFileOrFail(file);
  const shown = path.relative(process.cwd(), file) || file;
  let value: unknown;
  if (path.extname(file).toLowerCase() === '.json') {
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new CliError(`${shown} is not valid JSON: ${(error as Error).message}`, 1, 'CLI_DEFINITION_SYNTAX');
    }
  } else {
    try {
      value = parseYaml(text, { prettyErrors: true });
    } catch (error) {
      if (error instanceof YAMLParseError) {
        const where = error.linePos?.[0] ? ` (line ${error.linePos[0].line}, column ${error.linePos[0].col})` : '';
        const what = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        throw new CliError(`${shown} is not valid YAML: ${what}${where}`, 1, 'CLI_DEFINITION_SYNTAX');
      }
      throw error;
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError(`${shown} must hold one definition object (name, steps, transitions), not ${Array.isArray(value) ? 'a list' : typeof value}`, 1, 'CLI_DEFINITION_SYNTAX');
  }
  return value as WorkflowDefinitionInput;
}

/** Read a file, with a one-line error naming it. */
export async function readFileOrFail(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const shown = path.relative(process.cwd(), file) || file;
    throw new CliError(code === 'ENOENT' ? `${shown}: no such file` : `cannot read ${shown}: ${(error as Error).message}`, 1, 'CLI_FILE');
  }
}
