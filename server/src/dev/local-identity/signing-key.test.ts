// The signing key in the state directory: kept across restarts, private to the owner, the same for
// providers started together, and never silently replaced.
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalIdentityProvider } from './index.js';
import { LocalStateError } from '../state-files.js';
import { PARTY, verificationReason } from '../../../test/support/local-identity.js';
import { tempDirs } from '../../../test/support/temp-dirs.js';

const stateDirs = tempDirs('local-identity-');
const makeStateDir = () => stateDirs.make();
afterEach(() => stateDirs.removeAll());

describe('persistence', () => {
  it('reuses the signing key (mode 0600) and created identities across restarts', async () => {
    const stateDir = await makeStateDir();
    const first = await createLocalIdentityProvider({ stateDir, authorizedParty: PARTY });
    const created = await first.createIdentity({ email: 'erin@example.com', firstName: 'Erin' });
    const token = (await first.startSession('erin@example.com')).token;

    const second = await createLocalIdentityProvider({ stateDir, authorizedParty: PARTY });
    expect(second.kid).toBe(first.kid);
    expect(second.publicKeyPem).toBe(first.publicKeyPem);
    expect(second.jwks()).toEqual(first.jwks());
    expect(second.findIdentityByEmail('erin@example.com')).toEqual(created);
    expect(await verificationReason(token, second.publicKeyPem)).toBe('ok');

    const keyFile = path.join(stateDir, 'signing-key.json');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const identitiesFile = JSON.parse(await readFile(path.join(stateDir, 'identities.json'), 'utf8'));
    expect(identitiesFile.identities).toEqual([created]);
  });

  it('gives providers started together on a fresh directory the same key', async () => {
    const stateDir = await makeStateDir();
    const providers = await Promise.all(
      [1, 2, 3].map(() => createLocalIdentityProvider({ stateDir, authorizedParty: PARTY })),
    );
    expect(new Set(providers.map((p) => p.kid)).size).toBe(1);
  });

  it('refuses a corrupt key file instead of silently replacing it', async () => {
    const stateDir = await makeStateDir();
    await writeFile(path.join(stateDir, 'signing-key.json'), '{"version":1}');
    await expect(createLocalIdentityProvider({ stateDir, authorizedParty: PARTY })).rejects.toBeInstanceOf(
      LocalStateError,
    );
  });
});
