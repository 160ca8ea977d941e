import type { HealthStatus, KubeObject } from '../types.ts';
import { apiServiceHealth } from './api-service-health.ts';
import { certificateHealth, clusterIssuerHealth, issuerHealth } from './cert-manager-health.ts';
import { crdHealth } from './crd-health.ts';
import { cronJobHealth } from './cron-job-health.ts';
import { daemonSetHealth } from './daemon-set-health.ts';
import { deploymentHealth } from './deployment-health.ts';
import {
  clusterExternalSecretHealth,
  clusterSecretStoreHealth,
  externalSecretHealth,
  secretStoreHealth,
} from './external-secrets-health.ts';
import { hpaHealth } from './hpa-health.ts';
import { ingressHealth } from './ingress-health.ts';
import { jobHealth } from './job-health.ts';
import { pdbHealth } from './pdb-health.ts';
import { podHealth } from './pod-health.ts';
import { pvcHealth } from './pvc-health.ts';
import { replicaSetHealth } from './replica-set-health.ts';
import { rolloutHealth } from './rollout-health.ts';
import { sealedSecretHealth } from './sealed-secret-health.ts';
import { serviceHealth } from './service-health.ts';
import { statefulSetHealth } from './stateful-set-health.ts';
import { workflowHealth } from './workflow-health.ts';

export type HealthCheck = (obj: KubeObject) => HealthStatus;

/**
 * Checks Argo CD ships as Lua scripts (resource_customizations), written here in TypeScript. They rank
 * below custom scripts and above the core checks, so a customization for the same kind replaces them.
 * Keyed `group/Kind`, or `Kind` for the core group.
 */
export const CUSTOMIZATION_CHECKS: ReadonlyMap<string, HealthCheck> = new Map([
  ['apiextensions.k8s.io/CustomResourceDefinition', crdHealth],
  ['argoproj.io/Rollout', rolloutHealth],
  ['batch/CronJob', cronJobHealth],
  ['bitnami.com/SealedSecret', sealedSecretHealth],
  ['cert-manager.io/Certificate', certificateHealth],
  ['cert-manager.io/ClusterIssuer', clusterIssuerHealth],
  ['cert-manager.io/Issuer', issuerHealth],
  ['external-secrets.io/ClusterExternalSecret', clusterExternalSecretHealth],
  ['external-secrets.io/ClusterSecretStore', clusterSecretStoreHealth],
  ['external-secrets.io/ExternalSecret', externalSecretHealth],
  ['external-secrets.io/SecretStore', secretStoreHealth],
  ['policy/PodDisruptionBudget', pdbHealth],
]);

/** The core checks (gitops-engine's): the last resort before "no health". */
export const CORE_CHECKS: ReadonlyMap<string, HealthCheck> = new Map([
  ['apps/Deployment', deploymentHealth],
  ['apps/StatefulSet', statefulSetHealth],
  ['apps/DaemonSet', daemonSetHealth],
  ['apps/ReplicaSet', replicaSetHealth],
  ['Pod', podHealth],
  ['Service', serviceHealth],
  ['PersistentVolumeClaim', pvcHealth],
  ['extensions/Ingress', ingressHealth],
  ['networking.k8s.io/Ingress', ingressHealth],
  ['batch/Job', jobHealth],
  ['autoscaling/HorizontalPodAutoscaler', hpaHealth],
  ['apiregistration.k8s.io/APIService', apiServiceHealth],
  ['argoproj.io/Workflow', workflowHealth],
]);
