/** Building KeyRefs and public JWKs from what KMS returns. Pure. */
import { ExportPolicy, KeyType, type Jwk, type KeyRef, type KeyRefTags } from './key-types.js';
import { fingerprint, spkiToJwkComponents, spkiToPem, type PublicKeyComponents } from '../codec/public-key.js';
import { InvalidKeyStateError } from './errors.js';
import { joseFor, usesForKmsKeyUsage, type SupportedAlg } from './spec-mapping.js';

export interface KeyRefParts {
  kid: string;
  version: number;
  alg: string;
  /** Bare KMS key id (UUID). */
  keyId: string;
  keyArn: string;
  region: string;
  kmsKeyUsage: string;
  label?: string;
  callerTags: Readonly<Record<string, string>>;
  /** DER SPKI for asymmetric keys. */
  publicKey?: Uint8Array;
}

export function buildKeyRef(parts: KeyRefParts): KeyRef {
  const tags: KeyRefTags = {
    ...parts.callerTags,
    alg: parts.alg,
    'kms:key_id': parts.keyId,
    'kms:region': parts.region,
    'kms:arn': parts.keyArn,
  };
  if (parts.label) tags.label = parts.label;
  const ref: KeyRef = {
    kid: parts.kid,
    version: parts.version,
    type: KeyType.OPAQUE,
    uses: usesForKmsKeyUsage(parts.kmsKeyUsage),
    exportPolicy: ExportPolicy.NONE,
    fingerprint: fingerprint(parts.kid),
    tags,
  };
  if (parts.publicKey) {
    ref.public = spkiToPem(parts.publicKey);
    ref.fingerprint = fingerprint(ref.public);
  }
  return ref;
}

/** The JWK kid of a version: `<kid>.<version>`, which JWT consumers match exactly. */
export function jwkKid(kid: string, version: number): string {
  return `${kid}.${version}`;
}

/** What a public key is, in the words of joseFor's `key`: `RSA`, `EC:<crv>`, `OKP:<crv>`, `AKP:<alg>`. */
function keyShape(components: PublicKeyComponents): string {
  if (components.kty === 'RSA') return 'RSA';
  return `${components.kty}:${components.kty === 'AKP' ? components.alg : components.crv}`;
}

/**
 * Public JWK with `kid`, `alg` and `use`; members in the order RSA `kty,n,e,…`, EC `kty,crv,x,y,…`, OKP
 * `kty,crv,x,…`, AKP `kty,alg,pub,…`. Undefined for symmetric and HMAC algs. A public key that does not fit the
 * alg (a tampered `saur:alg` tag) is refused.
 */
export function buildPublicJwk(publicKey: Uint8Array, kid: string, version: number, alg: SupportedAlg): Jwk | undefined {
  const jose = joseFor(alg);
  if (!jose) return undefined;
  const components = spkiToJwkComponents(publicKey);
  const found = keyShape(components);
  if (jose.key !== found) {
    throw new InvalidKeyStateError(`Key ${jwkKid(kid, version)} is tagged ${alg} but its KMS public key is ${found}`);
  }
  return { ...components, kid: jwkKid(kid, version), alg: jose.alg, use: jose.use } as Jwk;
}
