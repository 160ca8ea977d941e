// The gRPC contracts of Capstan: every generated module as a namespace, a catalog of every service
// (fully-qualified name and grpc-js definition), and the location of the descriptor set used for
// server reflection and for the REST/JSON mapping (google.api.http annotations).
import type { ServiceDefinition } from '@grpc/grpc-js';

import { AccountServiceService } from './gen/capstan/account/v1/account.ts';
import { ApplicationServiceService } from './gen/capstan/application/v1/application.ts';
import { ApplicationSetServiceService } from './gen/capstan/applicationset/v1/applicationset.ts';
import { CertificateServiceService } from './gen/capstan/certificate/v1/certificate.ts';
import { ClusterServiceService } from './gen/capstan/cluster/v1/cluster.ts';
import { GPGKeyServiceService } from './gen/capstan/gpgkey/v1/gpgkey.ts';
import { NotificationServiceService } from './gen/capstan/notification/v1/notification.ts';
import { ProjectServiceService } from './gen/capstan/project/v1/project.ts';
import { RepoServerServiceService } from './gen/capstan/reposerver/v1/reposerver.ts';
import { RepoCredsServiceService, RepositoryServiceService } from './gen/capstan/repository/v1/repository.ts';
import { SessionServiceService } from './gen/capstan/session/v1/session.ts';
import { SettingsServiceService } from './gen/capstan/settings/v1/settings.ts';
import { VersionServiceService } from './gen/capstan/version/v1/version.ts';

export * as account from './gen/capstan/account/v1/account.ts';
export * as application from './gen/capstan/application/v1/application.ts';
export * as applicationset from './gen/capstan/applicationset/v1/applicationset.ts';
export * as certificate from './gen/capstan/certificate/v1/certificate.ts';
export * as cluster from './gen/capstan/cluster/v1/cluster.ts';
export * as common from './gen/capstan/common/v1/common.ts';
export * as gpgkey from './gen/capstan/gpgkey/v1/gpgkey.ts';
export * as notification from './gen/capstan/notification/v1/notification.ts';
export * as project from './gen/capstan/project/v1/project.ts';
export * as reposerver from './gen/capstan/reposerver/v1/reposerver.ts';
export * as repository from './gen/capstan/repository/v1/repository.ts';
export * as session from './gen/capstan/session/v1/session.ts';
export * as settings from './gen/capstan/settings/v1/settings.ts';
export * as version from './gen/capstan/version/v1/version.ts';

/** One gRPC service: its fully-qualified name (as in the descriptor set) and its grpc-js definition. */
export interface ServiceEntry<D extends ServiceDefinition = ServiceDefinition> {
  readonly name: string;
  readonly definition: D;
}

/**
 * Every service Capstan defines. All but `reposerver` are served by the API server (and mapped to
 * REST under /api); `reposerver` is the repo-server's internal API.
 */
export const serviceCatalog = {
  application: { name: 'capstan.application.v1.ApplicationService', definition: ApplicationServiceService },
  applicationset: {
    name: 'capstan.applicationset.v1.ApplicationSetService',
    definition: ApplicationSetServiceService,
  },
  project: { name: 'capstan.project.v1.ProjectService', definition: ProjectServiceService },
  cluster: { name: 'capstan.cluster.v1.ClusterService', definition: ClusterServiceService },
  repository: { name: 'capstan.repository.v1.RepositoryService', definition: RepositoryServiceService },
  repocreds: { name: 'capstan.repository.v1.RepoCredsService', definition: RepoCredsServiceService },
  session: { name: 'capstan.session.v1.SessionService', definition: SessionServiceService },
  account: { name: 'capstan.account.v1.AccountService', definition: AccountServiceService },
  settings: { name: 'capstan.settings.v1.SettingsService', definition: SettingsServiceService },
  version: { name: 'capstan.version.v1.VersionService', definition: VersionServiceService },
  certificate: { name: 'capstan.certificate.v1.CertificateService', definition: CertificateServiceService },
  gpgkey: { name: 'capstan.gpgkey.v1.GPGKeyService', definition: GPGKeyServiceService },
  notification: {
    name: 'capstan.notification.v1.NotificationService',
    definition: NotificationServiceService,
  },
  reposerver: { name: 'capstan.reposerver.v1.RepoServerService', definition: RepoServerServiceService },
} as const satisfies Record<string, ServiceEntry>;

/** Key of a service in {@link serviceCatalog}. */
export type ServiceKey = keyof typeof serviceCatalog;

/** File URL of the binary FileDescriptorSet of every Capstan proto (with imports), for gRPC reflection. */
export const descriptorSetPath: URL = new URL('./gen/descriptors.binpb', import.meta.url);
