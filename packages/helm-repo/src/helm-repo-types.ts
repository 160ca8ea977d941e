/**
 * How to reach a Helm repository, as held by a repository Secret. Every field is optional: no username
 * means anonymous access, no CA means the system trust store.
 */
export interface HelmRepoCredentials {
  readonly username?: string;
  readonly password?: string;
  /** Skip TLS certificate verification. */
  readonly insecure?: boolean;
  /** PEM CA bundle trusted for the repository's TLS, in addition to the system roots. */
  readonly caData?: string;
  /** PEM client certificate and key presented to the repository's own origin. */
  readonly tlsClientCertData?: string;
  readonly tlsClientCertKey?: string;
}

/** One version of one chart, as listed in a repository's index.yaml. */
export interface HelmChartVersion {
  readonly name: string;
  /** The version exactly as the index spells it (it may carry a `v` prefix). */
  readonly version: string;
  readonly appVersion: string;
  readonly description: string;
  /** The sha256 of the chart archive, hex; empty when the index gives none. */
  readonly digest: string;
  /** Where the archive can be downloaded; relative URLs are relative to the repository URL. */
  readonly urls: readonly string[];
  readonly created: string;
  readonly home: string;
  /** Maintainer names (or e-mail addresses when a maintainer has no name). */
  readonly maintainers: readonly string[];
}
