import { serviceCatalog } from '@capstan/proto';
import { bindService, capstanVersion, type ServiceBinding } from '@capstan/runtime';

export interface ToolVersions {
  readonly helm?: string;
  readonly kustomize?: string;
}

/** VersionService: what this build is. Public (Argo CD serves /api/version without authentication). */
export function versionService(tools: ToolVersions = {}): ServiceBinding {
  const { name, definition } = serviceCatalog.version;
  return bindService(name, definition, {
    version: async () => ({
      version: capstanVersion,
      buildDate: '',
      gitCommit: '',
      gitTag: '',
      gitTreeState: '',
      goVersion: '',
      compiler: `node ${process.version}`,
      platform: `${process.platform}/${process.arch}`,
      kustomizeVersion: tools.kustomize ?? '',
      helmVersion: tools.helm ?? '',
      kubectlVersion: '',
      jsonnetVersion: '',
      extraBuildInfo: {},
    }),
  });
}
