const fullSha = /^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/;
const abbreviated = /^[0-9a-fA-F]{4,63}$/;

/** A full object name: 40 hex chars (SHA-1 repositories) or 64 (SHA-256 repositories). */
export function isCommitSha(value: string): boolean {
  return fullSha.test(value);
}

/** Could be an abbreviated object name; whether it is one only the repository can tell. */
export function isShortShaCandidate(value: string): boolean {
  return abbreviated.test(value) && !isCommitSha(value);
}
