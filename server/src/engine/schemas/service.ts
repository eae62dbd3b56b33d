/** v1 Service: the fields that shape its network identity. */
import { intOrString, labelMap, objectMeta, portNumber, protocol, type JsonSchema } from './common.js';

export const serviceSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://netlens.dev/schemas/service.schema.json',
  title: 'Kubernetes Service (v1)',
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata'],
  properties: {
    apiVersion: { const: 'v1' },
    kind: { const: 'Service' },
    metadata: objectMeta,
    spec: {
      type: 'object',
      additionalProperties: false,
      properties: {
        type: { type: 'string', enum: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] },
        selector: { ...labelMap, type: ['object', 'null'] },
        ports: {
          type: ['array', 'null'],
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['port'],
            properties: {
              name: { type: 'string' },
              protocol,
              appProtocol: { type: 'string' },
              port: portNumber,
              targetPort: intOrString,
              nodePort: { type: 'integer' },
            },
          },
        },
        clusterIP: { type: 'string' },
        clusterIPs: { type: ['array', 'null'], items: { type: 'string' } },
        ipFamilies: { type: ['array', 'null'], items: { type: 'string', enum: ['IPv4', 'IPv6'] } },
        ipFamilyPolicy: { type: 'string', enum: ['SingleStack', 'PreferDualStack', 'RequireDualStack'] },
        externalName: { type: 'string' },
        externalIPs: { type: ['array', 'null'], items: { type: 'string' } },
        externalTrafficPolicy: { type: 'string', enum: ['Cluster', 'Local'] },
        internalTrafficPolicy: { type: 'string', enum: ['Cluster', 'Local'] },
        sessionAffinity: { type: 'string', enum: ['None', 'ClientIP'] },
        sessionAffinityConfig: { type: 'object' },
        loadBalancerIP: { type: 'string' },
        loadBalancerSourceRanges: { type: ['array', 'null'], items: { type: 'string' } },
        loadBalancerClass: { type: 'string' },
        allocateLoadBalancerNodePorts: { type: 'boolean' },
        healthCheckNodePort: { type: 'integer' },
        publishNotReadyAddresses: { type: 'boolean' },
        trafficDistribution: { type: 'string' },
      },
    },
    status: { type: 'object' },
  },
};
