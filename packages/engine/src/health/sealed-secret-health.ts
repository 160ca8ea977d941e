import { conditionHealth } from './condition-health.ts';

/** bitnami.com SealedSecret: its controller reports Synced once it has decrypted the secret. */
export const sealedSecretHealth = conditionHealth('Synced', 'Waiting for the sealed secret to be unsealed');
