#!/usr/bin/env bash
# jose verifies ML-DSA only where the runtime's WebCrypto has it (Node >= 24.7; this project's Node 20 does not):
# run the JWK proof and the KmsJwtSigner round trip of every algorithm on Node 24 as well, with the jose ML-DSA
# tests required, not skipped.
# Node 24 comes from the npm registry (the package `node`), cached in .cache/node24.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.cache/node24
if [ ! -x "$dir/node_modules/node/bin/node" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-audit --no-fund --no-save node@24 >/dev/null
fi
bin=$(cd "$dir/node_modules/node/bin" && pwd)
echo "node24: $("$bin/node" --version)"
REQUIRE_WEBCRYPTO_ML_DSA=1 PATH="$bin:$PATH" node node_modules/mocha/bin/mocha.js --no-config --node-option import=tsx \
  --node-option no-experimental-require-module --node-option no-warnings --extension ts \
  --require test/support/fast-check-config.ts --timeout 300000 test/provider/jwk-proof-algorithms.test.ts test/signer/kms-jwt-signer.test.ts
