import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unescapePointerFragment } from '@redocly/openapi-core';
import YAML from 'yaml';

/**
 * The one contract diff tests start from: a small API with a list, a create, a get and a delete
 * (with a role), an open health check, two security schemes and shared schemas. A case is a few
 * edits of a copy of it (`add`, `replace`, `remove` at a JSON pointer, as JSON Patch writes them).
 */
const BASE = `
openapi: 3.1.0
info:
  title: Fixture
  version: 1.0.0
security:
- Key: []
paths:
  /things:
    get:
      operationId: listThings
      description: Lists things.
      parameters:
      - name: limit
        in: query
        schema:
          type: integer
          maximum: 100
      responses:
        '200':
          description: The things.
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: '#/components/schemas/Thing'
        '401':
          description: No credential.
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/NewThing'
      responses:
        '201':
          description: Created.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Thing'
        '400':
          description: Bad.
        '401':
          description: No credential.
  /things/{id}:
    parameters:
    - name: id
      in: path
      required: true
      schema:
        type: string
    get:
      operationId: getThing
      responses:
        '200':
          description: The thing.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Thing'
        '401':
          description: No credential.
        '404':
          description: No such thing.
    delete:
      operationId: deleteThing
      x-required-role: admin
      responses:
        '204':
          description: Deleted.
        '401':
          description: No credential.
        '403':
          description: Not an admin.
        '404':
          description: No such thing.
  /health:
    get:
      operationId: health
      security: []
      responses:
        '200':
          description: Alive.
          content:
            text/plain:
              schema:
                type: string
        '503':
          description: Down.
components:
  securitySchemes:
    Key:
      type: apiKey
      in: header
      name: Authorization
      x-scheme-prefix: 'Token '
    Cookie:
      type: apiKey
      in: cookie
      name: session
  schemas:
    Thing:
      type: object
      required:
      - id
      - name
      properties:
        id:
          type: string
        name:
          type: string
          description: Display name.
        color:
          type: string
          enum:
          - red
          - green
        size:
          type: integer
    NewThing:
      type: object
      required:
      - name
      properties:
        name:
          type: string
          maxLength: 50
        color:
          type: string
          enum:
          - red
          - green
        count:
          type: integer
          minimum: 0
          maximum: 100
          default: 1
        note:
          type: string
    Gadget:
      type: object
      required:
      - serial
      properties:
        serial:
          type: string
    Widget:
      type: object
      required:
      - knob
      properties:
        knob:
          type: integer
    NewGadget:
      type: object
      required: [serial]
      properties:
        serial: {type: string}
        label: {type: string}
`;

export type Spec = Record<string, unknown>;

/** A fresh copy of the base contract. */
export function baseSpec(): Spec {
  return YAML.parse(BASE) as Spec;
}

/** One edit of a spec: what JSON Patch (RFC 6902) calls add, replace and remove. */
export type Edit = (doc: Spec) => void;

function locate(doc: Spec, pointer: string): { parent: Record<string, unknown> | unknown[]; key: string } {
  const parts = pointer.split('/').slice(1).map(unescapePointerFragment);
  const key = parts.pop();
  let parent: unknown = doc;
  for (const part of parts) parent = (parent as Record<string, unknown>)[part];
  if (key === undefined || typeof parent !== 'object' || parent === null) throw new Error(`no place ${pointer} in the spec`);
  return { parent: parent as Record<string, unknown> | unknown[], key };
}

/** Adds a value: appends to a list with `-`, inserts at a list index, or sets an object member. */
export const add = (pointer: string, value: unknown): Edit => (doc) => {
  const { parent, key } = locate(doc, pointer);
  value = structuredClone(value); // cases share values; each spec gets its own copy
  if (Array.isArray(parent)) parent.splice(key === '-' ? parent.length : Number(key), 0, value);
  else parent[key] = value;
};

/** Replaces the value at a pointer, which must exist. */
export const replace = (pointer: string, value: unknown): Edit => (doc) => {
  const { parent, key } = locate(doc, pointer);
  if (!(key in parent)) throw new Error(`nothing to replace at ${pointer}`);
  value = structuredClone(value);
  if (Array.isArray(parent)) parent[Number(key)] = value;
  else parent[key] = value;
};

/** Removes the value at a pointer, which must exist. */
export const remove = (pointer: string): Edit => (doc) => {
  const { parent, key } = locate(doc, pointer);
  if (!(key in parent)) throw new Error(`nothing to remove at ${pointer}`);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
};

/** Renames an object member in place (keeping its position). */
export const rename = (pointer: string, to: string): Edit => (doc) => {
  const { parent, key } = locate(doc, pointer);
  if (Array.isArray(parent) || !(key in parent)) throw new Error(`nothing to rename at ${pointer}`);
  const entries = Object.entries(parent).map(([k, v]) => [k === key ? to : k, v] as const);
  for (const k of Object.keys(parent)) delete parent[k];
  Object.assign(parent, Object.fromEntries(entries));
};

/** The base contract with some edits applied. */
export function specWith(...edits: Edit[]): Spec {
  const doc = baseSpec();
  for (const edit of edits) edit(doc);
  return doc;
}

/** Writes a spec as YAML into a folder (made when missing) and returns the file's path. */
export function writeSpec(dir: string, name: string, doc: Spec): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.yaml`);
  fs.writeFileSync(file, YAML.stringify(doc));
  return file;
}

export const tempDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** Pointers of the base contract that cases edit most. */
export const AT = {
  list: '/paths/~1things/get',
  create: '/paths/~1things/post',
  get: '/paths/~1things~1{id}/get',
  del: '/paths/~1things~1{id}/delete',
  health: '/paths/~1health/get',
  thing: '/components/schemas/Thing',
  newThing: '/components/schemas/NewThing',
  schemes: '/components/securitySchemes',
} as const;
