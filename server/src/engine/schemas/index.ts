import { calicoGlobalNetworkPolicySchema, calicoNetworkPolicySchema } from './calicoPolicy.js';
import { ciliumClusterwideNetworkPolicySchema, ciliumNetworkPolicySchema } from './ciliumPolicy.js';
import { adminNetworkPolicySchema, baselineAdminNetworkPolicySchema, clusterNetworkPolicySchema } from './clusterPolicy.js';
import { cniSchema } from './cni.js';
import { networkPolicySchema } from './networkPolicy.js';
import { serviceSchema } from './service.js';
import type { JsonSchema } from './common.js';

/** Every schema the engine validates with, by the file name it is published under in schemas/. */
export const SCHEMAS: Record<string, JsonSchema> = {
  'networkpolicy.schema.json': networkPolicySchema,
  'service.schema.json': serviceSchema,
  'cni.schema.json': cniSchema,
  'calico-networkpolicy.schema.json': calicoNetworkPolicySchema,
  'calico-globalnetworkpolicy.schema.json': calicoGlobalNetworkPolicySchema,
  'cilium-networkpolicy.schema.json': ciliumNetworkPolicySchema,
  'cilium-clusterwidenetworkpolicy.schema.json': ciliumClusterwideNetworkPolicySchema,
  'adminnetworkpolicy.schema.json': adminNetworkPolicySchema,
  'baselineadminnetworkpolicy.schema.json': baselineAdminNetworkPolicySchema,
  'clusternetworkpolicy.schema.json': clusterNetworkPolicySchema,
};

export { adminNetworkPolicySchema, baselineAdminNetworkPolicySchema, calicoGlobalNetworkPolicySchema, calicoNetworkPolicySchema, ciliumClusterwideNetworkPolicySchema, ciliumNetworkPolicySchema, clusterNetworkPolicySchema, cniSchema, networkPolicySchema, serviceSchema, type JsonSchema };
