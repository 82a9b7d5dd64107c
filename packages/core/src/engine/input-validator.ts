/** Start data checked against a definition's `input` JSON Schema (ajv, compiled once per definition). */
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import type { WorkflowDefinition } from '../definition/definition.types.js';
import { DefinitionError, InputValidationError } from '../errors.js';

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new WeakMap<WorkflowDefinition, ValidateFunction>();

/** Compile the definition's input schema; a bad schema is a definition error at `input`. */
export function compileInputSchema(def: WorkflowDefinition): void {
  if (!def.inputSchema || compiled.has(def)) return;
  try {
    compiled.set(def, ajv.compile(def.inputSchema));
  } catch (error) {
    throw new DefinitionError([{ path: 'input', message: `is not a valid JSON Schema: ${(error as Error).message}` }], def.name);
  }
}

/** @throws InputValidationError listing every violation with its path. */
export function validateInput(def: WorkflowDefinition, data: unknown): void {
  if (!def.inputSchema) return;
  compileInputSchema(def);
  const validate = compiled.get(def)!;
  if (validate(data)) return;
  const issues = (validate.errors ?? []).map((e) => {
    const path = e.instancePath
      .split('/')
      .slice(1)
      .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
      .join('.');
    const extra =
      e.keyword === 'required'
        ? `${(e.params as { missingProperty: string }).missingProperty}`
        : e.keyword === 'additionalProperties'
          ? `${(e.params as { additionalProperty: string }).additionalProperty}`
          : '';
    const fullPath = extra ? (path ? `${path}.${extra}` : extra) : path;
    const message = e.keyword === 'required' ? 'is required' : e.keyword === 'additionalProperties' ? 'is not allowed' : e.message ?? 'is invalid';
    return { path: fullPath, message };
  });
  throw new InputValidationError(def.name, issues);
}
