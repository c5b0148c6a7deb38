// Session token verification on its own: the verifier the server uses, with a local identity
// provider's public key (networkless, like CLERK_JWT_KEY in production).
import { createSessionTokenVerifier } from '#src/auth/session-token.js';
import { createLocalIdentityProvider } from '#src/dev/local-identity/index.js';
import { percentiles, type Percentiles } from './stats.js';

const AUTHORIZED_PARTY = 'http://localhost:3000';
const DISTINCT_TOKENS = 20;

export interface VerificationOptions {
  warmup: number;
  iterations: number;
}

export async function benchTokenVerification(options: VerificationOptions): Promise<Percentiles> {
  const provider = await createLocalIdentityProvider({ stateDir: null, authorizedParty: AUTHORIZED_PARTY });
  const verify = createSessionTokenVerifier({
    jwtKey: provider.publicKeyPem,
    authorizedParties: [AUTHORIZED_PARTY],
    secretKey: undefined,
    apiUrl: undefined,
  });
  const tokens: string[] = [];
  for (let i = 0; i < DISTINCT_TOKENS; i++) {
    const identity = await provider.createIdentity({ email: `verify-${i}@bench.example.test` });
    tokens.push((await provider.startSession(identity.email)).token);
  }
  const tokenAt = (i: number) => tokens[i % tokens.length] as string;

  for (let i = 0; i < options.warmup; i++) await verify(tokenAt(i));
  const samples = new Float64Array(options.iterations);
  for (let i = 0; i < options.iterations; i++) {
    const token = tokenAt(i);
    const started = process.hrtime.bigint();
    const claims = await verify(token);
    samples[i] = Number(process.hrtime.bigint() - started) / 1e6;
    if (!claims.sub) throw new Error('verification returned no subject');
  }
  return percentiles(samples);
}
