// Raised when manifest text cannot be turned into objects at all (bad YAML, a scalar document).
import { CapstanError } from '@capstan/errors';

export class ManifestParseError extends CapstanError {
  /** 1-based position of the offending document in the stream. */
  readonly documentIndex: number;

  constructor(documentIndex: number, message: string) {
    super('InvalidArgument', `document ${documentIndex}: ${message}`, {
      details: { document: documentIndex },
    });
    this.name = 'ManifestParseError';
    this.documentIndex = documentIndex;
  }
}
