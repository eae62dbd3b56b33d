/**
 * JSON Schema pieces shared by the Kubernetes object schemas. Written as
 * TypeScript so the engine can import them without file I/O; schemas/*.json
 * are generated from these (scripts/write-schemas.mjs) for editors.
 */
export type JsonSchema = Record<string, unknown>;

export const labelMap: JsonSchema = {
  type: 'object',
  additionalProperties: { type: 'string' },
  description: 'Label keys and values; values are strings (quote numbers and booleans).',
};

export const labelSelector: JsonSchema = {
  type: ['object', 'null'],
  description: 'A label selector: every matchLabels pair and every matchExpressions requirement must hold. {} selects everything.',
  additionalProperties: false,
  properties: {
    matchLabels: { ...labelMap, type: ['object', 'null'] },
    matchExpressions: {
      type: ['array', 'null'],
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'operator'],
        properties: {
          key: { type: 'string' },
          operator: { type: 'string', enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
          values: { type: ['array', 'null'], items: { type: 'string' } },
        },
      },
    },
  },
};

export const objectMeta: JsonSchema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string' },
    namespace: { type: 'string' },
    labels: labelMap,
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

export const portNumber: JsonSchema = { type: 'integer', minimum: 1, maximum: 65535 };
export const intOrString: JsonSchema = { type: ['integer', 'string'] };
export const protocol: JsonSchema = { type: 'string', enum: ['TCP', 'UDP', 'SCTP'] };
