import { addressVar, enumVar, intVar, portVar, urlVar, stringVar } from './var-spec.ts';

/**
 * Every environment variable Capstan's services read, in one place. Services pick the subset they
 * need; defaults give a working single-host install (`npm start`), the Helm chart overrides them.
 */
export const env = {
  logLevel: enumVar('CAPSTAN_LOG_LEVEL', {
    doc: 'Minimum log level.',
    values: ['debug', 'info', 'warn', 'error'],
    default: 'info',
  }),
  redisUrl: urlVar('CAPSTAN_REDIS_URL', {
    doc: 'Redis used as manifest/state cache and BullMQ queue; may carry a password.',
    protocols: ['redis:', 'rediss:'],
    default: 'redis://127.0.0.1:6379',
    secret: true,
  }),
  redisConnectTimeoutMs: intVar('CAPSTAN_REDIS_CONNECT_TIMEOUT_MS', {
    doc: 'How long a service waits for Redis at startup before exiting 1 (its supervisor restarts it).',
    min: 100,
    max: 600_000,
    default: 30_000,
  }),
  namespace: stringVar('CAPSTAN_NAMESPACE', {
    doc: 'Namespace Capstan is installed in (its settings ConfigMaps, Secrets and Applications live there).',
    pattern: /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
    expected: 'a Kubernetes namespace name (DNS-1123 label)',
    default: 'argocd',
  }),
  listenAddress: stringVar('CAPSTAN_LISTEN_ADDRESS', {
    doc: 'Address the gRPC and metrics servers bind to.',
    pattern: /^(\d{1,3}(\.\d{1,3}){3}|::|::1|localhost)$/,
    expected: 'an IP address such as 0.0.0.0 or 127.0.0.1',
    default: '0.0.0.0',
  }),
  grpcMaxMessageBytes: intVar('CAPSTAN_GRPC_MAX_MESSAGE_BYTES', {
    doc: 'Largest gRPC message sent or received (rendered manifests can be large).',
    min: 1024 * 1024,
    max: 2 ** 31 - 1,
    default: 100 * 1024 * 1024,
  }),
  shutdownTimeoutMs: intVar('CAPSTAN_SHUTDOWN_TIMEOUT_MS', {
    doc: 'Time allowed to drain in-flight calls on SIGTERM before they are cancelled.',
    min: 100,
    max: 60_000,
    default: 4_000,
  }),
  repoServerAddress: addressVar('CAPSTAN_REPO_SERVER_ADDRESS', {
    doc: 'Where clients reach the repo-server.',
    default: '127.0.0.1:8081',
  }),
  repoServerTimeoutSeconds: intVar('CAPSTAN_REPO_SERVER_TIMEOUT_SECONDS', {
    doc: 'Deadline of a call to the repo-server.',
    min: 1,
    max: 3600,
    default: 60,
  }),

  helmPath: stringVar('CAPSTAN_HELM_PATH', {
    doc: 'The helm binary the repo-server runs (a name on PATH or an absolute path).',
    default: 'helm',
  }),
  kustomizePath: stringVar('CAPSTAN_KUSTOMIZE_PATH', {
    doc: 'The kustomize binary the repo-server runs (a name on PATH or an absolute path).',
    default: 'kustomize',
  }),

  repoCacheDir: stringVar('CAPSTAN_REPO_CACHE_DIR', {
    doc: 'Where the repo-server keeps Git mirrors, extracted revisions, charts and render scratch space.',
    default: '/tmp/capstan-repo-server',
  }),
  sshKnownHostsFile: stringVar('CAPSTAN_SSH_KNOWN_HOSTS_FILE', {
    doc: 'known_hosts file for SSH remotes (argocd-ssh-known-hosts-cm, mounted); host keys not in it are refused.',
    default: '/app/config/ssh/ssh_known_hosts',
  }),
  repoParallelismLimit: intVar('CAPSTAN_REPO_PARALLELISM_LIMIT', {
    doc: 'Renders (helm, kustomize, directory reads) that run at once; the rest wait.',
    min: 1,
    max: 256,
    default: 8,
  }),
  repoExecTimeoutSeconds: intVar('CAPSTAN_REPO_EXEC_TIMEOUT_SECONDS', {
    doc: 'Time limit of one helm or kustomize run; the tool is killed after it.',
    min: 1,
    max: 3600,
    default: 90,
  }),
  gitTimeoutSeconds: intVar('CAPSTAN_GIT_TIMEOUT_SECONDS', {
    doc: 'Time limit of one git operation (ls-remote, fetch, archive).',
    min: 1,
    max: 3600,
    default: 90,
  }),
  repoMaxManifestBytes: intVar('CAPSTAN_REPO_MAX_MANIFEST_BYTES', {
    doc: 'Largest render (tool output or directory contents); bigger renders are refused.',
    min: 1024,
    max: 2 ** 31 - 1,
    default: 64 * 1024 * 1024,
  }),
  repoToolMaxMemoryBytes: intVar('CAPSTAN_REPO_TOOL_MAX_MEMORY_BYTES', {
    doc: 'Resident memory one helm or kustomize run may use before it is killed.',
    min: 16 * 1024 * 1024,
    max: 2 ** 40,
    default: 2 * 1024 * 1024 * 1024,
  }),
  repoCacheTtlSeconds: intVar('CAPSTAN_REPO_CACHE_TTL_SECONDS', {
    doc: 'How long rendered manifests stay cached in Redis.',
    min: 1,
    max: 30 * 24 * 3600,
    default: 24 * 3600,
  }),
  repoRevisionCacheSeconds: intVar('CAPSTAN_REPO_REVISION_CACHE_SECONDS', {
    doc: 'How long a resolved branch or tag (ls-remote answer) is reused.',
    min: 0,
    max: 3600,
    default: 30,
  }),
  kustomizeBuildOptions: stringVar('CAPSTAN_KUSTOMIZE_BUILD_OPTIONS', {
    doc: 'Extra arguments of every kustomize build (argocd-cm kustomize.buildOptions), space-separated.',
    pattern: /^[\w\s=.,:/-]*$/,
    expected: 'kustomize build flags such as --enable-helm',
    default: '',
  }),
  helmValuesFileSchemes: stringVar('CAPSTAN_HELM_VALUES_FILE_SCHEMES', {
    doc: 'URL schemes allowed for remote Helm value files, comma-separated.',
    pattern: /^[a-z0-9+.-]+(,[a-z0-9+.-]+)*$/,
    expected: 'comma-separated URL schemes such as https,http',
    default: 'https,http',
  }),

  apiServerGrpcPort: portVar('CAPSTAN_API_SERVER_GRPC_PORT', { doc: 'api-server gRPC port.', default: 8080 }),
  apiServerMetricsPort: portVar('CAPSTAN_API_SERVER_METRICS_PORT', {
    doc: 'api-server /metrics and /healthz.',
    default: 8083,
  }),
  repoServerGrpcPort: portVar('CAPSTAN_REPO_SERVER_GRPC_PORT', {
    doc: 'repo-server gRPC port.',
    default: 8081,
  }),
  repoServerMetricsPort: portVar('CAPSTAN_REPO_SERVER_METRICS_PORT', {
    doc: 'repo-server /metrics and /healthz.',
    default: 8084,
  }),
  controllerGrpcPort: portVar('CAPSTAN_APPLICATION_CONTROLLER_GRPC_PORT', {
    doc: 'application-controller gRPC port (health and reflection).',
    default: 8090,
  }),
  controllerMetricsPort: portVar('CAPSTAN_APPLICATION_CONTROLLER_METRICS_PORT', {
    doc: 'application-controller /metrics and /healthz.',
    default: 8082,
  }),
  controllerStatusProcessors: intVar('CAPSTAN_STATUS_PROCESSORS', {
    doc: 'application-controller: apps refreshed at once (Argo CD --status-processors; async slots here, not threads, so more of them cost little).',
    min: 1,
    max: 500,
    default: 40,
  }),
  controllerOperationProcessors: intVar('CAPSTAN_OPERATION_PROCESSORS', {
    doc: 'application-controller: operation steps run at once, across the clusters a replica owns (Argo CD --operation-processors).',
    min: 1,
    max: 200,
    default: 30,
  }),
  syncWaveDelayMs: intVar('CAPSTAN_SYNC_WAVE_DELAY_MS', {
    doc: 'application-controller: pause between sync waves (ARGOCD_SYNC_WAVE_DELAY).',
    min: 0,
    max: 600_000,
    default: 2_000,
  }),
  kubeClientQps: intVar('CAPSTAN_KUBE_CLIENT_QPS', {
    doc: 'Requests per second to each Kubernetes API server (halved while it answers 429, then recovering).',
    min: 1,
    max: 10_000,
    default: 300,
  }),
  kubeClientBurst: intVar('CAPSTAN_KUBE_CLIENT_BURST', {
    doc: 'Requests that may go to one Kubernetes API server at once above the steady rate.',
    min: 1,
    max: 10_000,
    default: 600,
  }),
  kubeconfigPath: stringVar('CAPSTAN_KUBECONFIG', {
    doc: "Kubeconfig of the controller's own cluster (the in-cluster destination); KUBECONFIG or the pod's service account when empty.",
    default: '',
  }),
  controllerReplicaId: stringVar('CAPSTAN_CONTROLLER_REPLICA_ID', {
    doc: "application-controller: this replica's name among its peers (the pod name); hostname and pid when empty.",
    pattern: /^[A-Za-z0-9._-]{0,253}$/,
    expected: 'letters, digits, dots, dashes or underscores',
    default: '',
  }),
  controllerLeaseMs: intVar('CAPSTAN_CONTROLLER_LEASE_MS', {
    doc: "application-controller: how long a replica's hold on a cluster outlives its last heartbeat (a dead replica's clusters move after this).",
    min: 1_000,
    max: 600_000,
    default: 4_000,
  }),
  appsetControllerGrpcPort: portVar('CAPSTAN_APPLICATIONSET_CONTROLLER_GRPC_PORT', {
    doc: 'applicationset-controller gRPC port (health and reflection).',
    default: 8091,
  }),
  appsetControllerMetricsPort: portVar('CAPSTAN_APPLICATIONSET_CONTROLLER_METRICS_PORT', {
    doc: 'applicationset-controller /metrics and /healthz.',
    default: 8092,
  }),
  notificationsGrpcPort: portVar('CAPSTAN_NOTIFICATIONS_GRPC_PORT', {
    doc: 'notifications controller gRPC port (health and reflection).',
    default: 9002,
  }),
  notificationsMetricsPort: portVar('CAPSTAN_NOTIFICATIONS_METRICS_PORT', {
    doc: 'notifications controller /metrics and /healthz.',
    default: 9001,
  }),
} as const;

/** The variables every service reads, whatever it does. */
export const commonEnv = {
  logLevel: env.logLevel,
  redisUrl: env.redisUrl,
  redisConnectTimeoutMs: env.redisConnectTimeoutMs,
  namespace: env.namespace,
  listenAddress: env.listenAddress,
  grpcMaxMessageBytes: env.grpcMaxMessageBytes,
  shutdownTimeoutMs: env.shutdownTimeoutMs,
} as const;
