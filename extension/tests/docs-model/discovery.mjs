// Checks a documents.batchUpdate body against Google's own discovery document for the Docs
// API (docs.v1.json, copied from the PyPI package google-api-python-client; see README.md
// here for the version). Discovery schemas are not JSON Schema, so they are read directly:
//
// - an object schema lists its `properties`; any other key is unknown (Google answers
//   "Invalid JSON payload received. Unknown name ..."), unless the schema has
//   `additionalProperties` (a map whose values follow that schema);
// - `$ref` names another schema; `items` is the schema of an array's elements;
// - `type: integer` with `format: int32` must be a whole number in the int32 range (JSON
//   numbers like 1.5 are refused); `number` any finite number; `boolean`; `string`, whose
//   `enum`, when given, lists every allowed value;
// - `readOnly` fields are output only and may not be sent;
// - `Request` is a union ("Union field request can be only one of the following"): exactly
//   one kind per request;
// - a `google-fieldmask` string names fields of the style object beside it
//   (`textStyle` -> TextStyle, `paragraphStyle` -> ParagraphStyle, ...), each a property of
//   that schema (dotted paths follow `$ref`s), or is the single "*".

import { readFileSync } from 'node:fs';

export const DISCOVERY = JSON.parse(readFileSync(new URL('./docs.v1.json', import.meta.url), 'utf8'));
const SCHEMAS = DISCOVERY.schemas;
const INT32 = [-(2 ** 31), 2 ** 31 - 1];

/** Problems with a BatchUpdateDocumentRequest body; empty when it conforms. */
export function validateBatchUpdate(body) {
  const problems = [];
  check(body, { $ref: 'BatchUpdateDocumentRequest' }, 'body', problems);
  return problems;
}

function resolve(schema) {
  return schema.$ref ? SCHEMAS[schema.$ref] : schema;
}

function check(value, schemaOrRef, path, problems) {
  const schema = resolve(schemaOrRef);
  if (!schema) {
    problems.push(`${path}: no schema ${schemaOrRef.$ref}`);
    return;
  }
  switch (schema.type) {
    case 'object':
      checkObject(value, schema, path, problems);
      return;
    case 'array':
      if (!Array.isArray(value)) problems.push(`${path}: expected an array`);
      else value.forEach((item, i) => check(item, schema.items, `${path}[${i}]`, problems));
      return;
    case 'string':
      if (typeof value !== 'string') problems.push(`${path}: expected a string`);
      else if (schema.enum && !schema.enum.includes(value)) problems.push(`${path}: invalid value ${JSON.stringify(value)} (enum)`);
      return;
    case 'integer':
      if (!Number.isInteger(value) || value < INT32[0] || value > INT32[1]) problems.push(`${path}: expected an int32, got ${JSON.stringify(value)}`);
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) problems.push(`${path}: expected a number`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${path}: expected a boolean`);
      return;
    case 'any':
      return;
    default:
      problems.push(`${path}: schema type ${schema.type} not understood`);
  }
}

function checkObject(value, schema, path, problems) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${path}: expected an object`);
    return;
  }
  const properties = schema.properties ?? {};
  for (const [key, item] of Object.entries(value)) {
    const prop = properties[key];
    if (!prop) {
      if (schema.additionalProperties) check(item, schema.additionalProperties, `${path}.${key}`, problems);
      else problems.push(`${path}: Unknown name "${key}" at '${schema.id ?? path}'`);
      continue;
    }
    if (prop.readOnly) problems.push(`${path}.${key}: read-only field`);
    check(item, prop, `${path}.${key}`, problems);
    if (prop.format === 'google-fieldmask' && typeof item === 'string') checkMask(item, value, properties, `${path}.${key}`, problems);
  }
  if (schema.id === 'Request' && Object.keys(value).length !== 1) {
    problems.push(`${path}: exactly one request kind must be set, got ${Object.keys(value).length}`);
  }
}

/** The schema a field mask refers to: the style/properties object next to it. */
function maskTarget(properties) {
  const styled = Object.entries(properties).filter(([, p]) => p.$ref && /(Style|Properties)$/.test(p.$ref));
  return styled.length === 1 ? styled[0][1].$ref : null;
}

function checkMask(mask, value, properties, path, problems) {
  const target = maskTarget(properties);
  if (!target) {
    problems.push(`${path}: no style object for this field mask`);
    return;
  }
  const names = mask.split(',').map((n) => n.trim());
  if (names.length === 1 && names[0] === '*') return;
  if (names.some((n) => !n)) problems.push(`${path}: empty name in field mask ${JSON.stringify(mask)}`);
  for (const name of names.filter(Boolean)) {
    let schema = SCHEMAS[target];
    for (const part of name.split('.')) {
      const prop = schema?.properties?.[part];
      if (!prop) {
        problems.push(`${path}: field mask names ${JSON.stringify(name)}, not a field of ${target}`);
        break;
      }
      if (prop.readOnly) problems.push(`${path}: field mask names read-only ${JSON.stringify(name)}`);
      schema = prop.$ref ? SCHEMAS[prop.$ref] : null;
    }
  }
}
