/**
 * npm run simulator — the KMS simulator served over the AWS KMS wire protocol, for any AWS SDK, boto3 or the
 * aws CLI. Loopback only. PORT (default 4599), AWS_REGION (default us-east-1). Stop with Ctrl-C.
 * In-memory: keys live as long as the process.
 */
import { SimulatedKms, startKmsServer } from '../src/index.js';

const region = process.env.AWS_REGION ?? 'us-east-1';
const server = await startKmsServer({ kms: new SimulatedKms({ region }), port: Number(process.env.PORT ?? 4599) });
console.log(`KMS simulator (${region}) listening on ${server.url}`);
console.log(`  aws kms list-keys --endpoint-url ${server.url} --region ${region}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
