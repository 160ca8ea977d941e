import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireProgram } from '@capstan/devtools';

const run = promisify(execFile);

export interface SshKeyPair {
  /** OpenSSH private key file content (unencrypted). */
  readonly privateKey: string;
  /** One `ssh-ed25519 AAAA… comment` line. */
  readonly publicKey: string;
}

/**
 * A fresh ed25519 key pair made by the real `ssh-keygen`, so the keys are exactly what users paste into
 * repository Secrets. The files stay in `dir` (a unique name each call) until the caller removes it.
 */
export async function generateSshKeyPair(dir: string): Promise<SshKeyPair> {
  const keygen = requireProgram('ssh-keygen', "install it with 'apt-get install openssh-client'");
  const file = join(dir, `id_ed25519_${randomBytes(4).toString('hex')}`);
  await run(keygen, ['-q', '-t', 'ed25519', '-N', '', '-C', 'capstan-test', '-f', file]);
  const [privateKey, publicKey] = await Promise.all([
    readFile(file, 'utf8'),
    readFile(`${file}.pub`, 'utf8'),
  ]);
  return { privateKey, publicKey: publicKey.trim() };
}
