/**
 * The console (`/ui/`, src/console/) end to end in a real browser: Debian's chromium driven by playwright-core,
 * against one in-process simulator server with actions enabled and one read-only. Keys made through the AWS SDK
 * show in the table; a kid rotated with its `Rotate` button shows `v2` and the JWKS page changes; the request log
 * shows the SDK's CreateKey and CreateAlias calls (and new ones live); an action without `--ui-actions` is refused.
 * A screenshot of each page goes to test-output/ for review; with CONSOLE_README_SCREENSHOT=1 the kid timeline is
 * also written to docs/images/console-kid-timeline.png (the README's screenshot).
 *
 * Needs /usr/bin/chromium: skipped with the reason when it is missing, a failure under CI (REQUIRE_CHROMIUM=1,
 * set by .ci/run).
 */
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, EncryptCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { type Browser, type Page, chromium } from 'playwright-core';
import { AwsKmsKeyProvider } from '../../src/aws-kms-key-provider.js';
import { AwsSdkKms } from '../../src/adapters/aws/aws-sdk-kms.js';
import { type SimulatorServer, startSimulatorServer } from '../../src/kms-simulator-server.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUTPUT = join(ROOT, 'test-output');
const README_SCREENSHOT = join(ROOT, 'docs', 'images', 'console-kid-timeline.png');
const PLAINTEXT = 'console-hygiene-plaintext-7f3a91';
const MESSAGE = 'console-hygiene-message-5c2e08';

describe('the console in a browser (chromium, playwright-core)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;
  let server: SimulatorServer;
  let readOnly: SimulatorServer;
  let client: KMSClient;
  let sdk: AwsSdkKms;
  let provider: AwsKmsKeyProvider;
  let keyId: string;
  let kid: string;
  const bodies: string[] = [];
  const problems: string[] = [];

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      if (process.env['REQUIRE_CHROMIUM'] === '1') throw new Error(`${CHROMIUM} is missing (REQUIRE_CHROMIUM=1): apt-get install -y chromium`);
      console.log(`      (skipped: ${CHROMIUM} is missing — apt-get install -y chromium to run the console's browser tests)`);
      this.skip();
    }
    mkdirSync(OUTPUT, { recursive: true });
    // Every Enabled version published (rotation that never breaks a token), so the timeline shows which are.
    server = await startSimulatorServer({ port: 0, uiActions: true, jwksMaxAgeSeconds: 60, jwksInclude: 'enabled' });
    readOnly = await startSimulatorServer({ port: 0 });
    const credentials = { accessKeyId: 'AKIDCONSOLE', secretAccessKey: 'secret' };
    client = new KMSClient({ endpoint: server.url, region: 'us-east-1', credentials });
    sdk = new AwsSdkKms({ region: 'us-east-1', endpoint: server.url, credentials });
    provider = new AwsKmsKeyProvider({ kms: sdk });
    const made = await client.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Description: 'orders <signing>' }));
    keyId = made.KeyMetadata!.KeyId!;
    await client.send(new CreateAliasCommand({ AliasName: 'alias/orders/signing', TargetKeyId: keyId }));
    await client.send(new SignCommand({ KeyId: keyId, Message: new TextEncoder().encode(MESSAGE), SigningAlgorithm: 'ECDSA_SHA_256' }));
    const symmetric = await client.send(new CreateKeyCommand({}));
    await client.send(new EncryptCommand({ KeyId: symmetric.KeyMetadata!.KeyId!, Plaintext: new TextEncoder().encode(PLAINTEXT) }));
    kid = (await provider.createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256' })).kid;
    await (await readOnly.kms()).createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    page = await context.newPage();
    // Errors in the page: CSP violations, script errors, failed loads (the refusals the tests ask for aside).
    page.on('console', (m) => void (m.type() === 'error' && !/status of 403/.test(m.text()) && problems.push(`console: ${m.text()}`)));
    page.on('pageerror', (e) => void problems.push(`page error: ${e.message}`));
    page.on('response', (r) => {
      if (r.url().includes('/ui/') && !r.url().endsWith('/log/events')) void r.text().then((t) => bodies.push(t), () => undefined);
    });
  });

  after(async () => {
    await browser?.close();
    client?.destroy();
    sdk?.destroy();
    await server?.close();
    await readOnly?.close();
  });

  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(OUTPUT, `console-${name}.png`), fullPage: true });

  it('Keys: the keys made through the SDK are in the table, filtered by alias, and a key page has its public key', async () => {
    const response = await page.goto(`${server.url}/ui/`);
    expect(response!.status()).to.equal(200);
    const headers = response!.headers();
    expect(headers['content-security-policy']).to.contain("script-src 'self'").and.contain("frame-ancestors 'none'");
    expect(headers['x-frame-options']).to.equal('DENY');
    const row = page.locator('#keys-table tbody tr', { hasText: keyId });
    await expect(await row.textContent()).to.contain('alias/orders/signing').and.contain('ECC_NIST_P256').and.contain('SIGN_VERIFY').and.contain('Enabled');
    expect(await page.locator('#keys-table tbody tr').count()).to.equal(3); // the SDK's two, the kid's v1, and none else
    await shot('keys');
    await page.getByLabel('Filter by alias or key id').fill('orders/sign');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/filter=orders/);
    expect(await page.locator('#keys-table tbody tr').count()).to.equal(1);
    await page.getByRole('link', { name: keyId }).click();
    await page.getByRole('heading', { name: `Key ${keyId}` }).waitFor();
    const pem = await page.locator('#public-pem').textContent();
    expect(pem).to.match(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(JSON.parse((await page.locator('#public-jwk').textContent())!)).to.include({ kty: 'EC', crv: 'P-256' });
    expect(await page.locator('main').textContent()).to.contain('orders <signing>'); // escaped, shown as text
    await page.getByRole('button', { name: 'Copy PEM' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).to.equal(pem);
    await shot('key');
  });

  it('Provider kids: Rotate (with its confirmation) makes v2 the latest, and the JWKS page changes', async () => {
    await page.goto(`${server.url}/ui/jwks`);
    const etagBefore = await page.locator('#jwks-etag').textContent();
    expect(await page.locator('#jwks-contents').textContent()).to.contain(kid).and.contain('v1');
    await page.goto(`${server.url}/ui/kids/${kid}`);
    expect(await page.locator('.version').count()).to.equal(1);
    await page.getByRole('button', { name: 'Rotate', exact: true }).click();
    await page.getByRole('heading', { name: `Rotate kid ${kid}?` }).waitFor();
    await shot('confirm');
    await page.getByRole('button', { name: 'Confirm: Rotate' }).click();
    await page.getByRole('status').filter({ hasText: `Rotated ${kid}: v2 is the latest.` }).waitFor();
    const v2 = page.locator('#v2');
    expect(await v2.locator('h3').textContent()).to.contain('v2').and.contain('latest').and.contain('published');
    expect(await page.locator('#v1 h3').textContent()).not.to.contain('latest');
    expect(await v2.locator('ol.timeline li.reached .step').allTextContents()).to.deep.equal(['Created', 'Activated']);
    await shot('kid');
    await page.getByRole('link', { name: 'JWKS' }).click();
    await page.locator('#jwks-etag').waitFor();
    const etagAfter = await page.locator('#jwks-etag').textContent();
    expect(etagAfter).to.not.equal(etagBefore);
    expect(await page.locator('#jwks-contents tr', { hasText: kid }).textContent()).to.contain('v1').and.contain('v2');
    const served = await fetch(server.jwksUrl);
    expect(served.headers.get('etag')).to.equal(etagAfter);
    expect(await page.locator('main').textContent()).to.contain('max-age=60');
    await shot('jwks');
    expect(await provider.listVersions(kid)).to.deep.equal([1, 2]); // through the provider, as the CLI would see it
  });

  it('Provider kids: a pre-published Rotate and Retire, each confirmed, show on the timeline and in the JWKS', async () => {
    await page.goto(`${server.url}/ui/kids/${kid}`);
    await page.getByRole('button', { name: 'Rotate', exact: true }).click();
    await page.getByLabel('Pre-publish only (do not activate)').check();
    await page.getByRole('button', { name: 'Confirm: Rotate' }).click();
    await page.getByRole('status').filter({ hasText: `Rotated ${kid}: v3 is pre-published` }).waitFor();
    await page.getByRole('button', { name: 'Retire v1' }).click();
    await page.getByRole('heading', { name: `Retire v1 of kid ${kid}?` }).waitFor();
    await page.getByRole('button', { name: 'Confirm: Retire' }).click();
    await page.getByRole('status').filter({ hasText: `Retired v1 of ${kid}` }).waitFor();
    const heading = async (v: number): Promise<string> => (await page.locator(`#v${v} h3`).textContent()) ?? '';
    expect(await heading(3)).to.contain('pre-published').and.contain('published').and.not.contain('latest');
    expect(await heading(2)).to.contain('latest').and.contain('published');
    expect(await heading(1)).to.contain('Disabled').and.not.contain('published');
    expect(await page.locator('#v1 ol.timeline li.reached .step').allTextContents()).to.deep.equal(['Created', 'Activated', 'Retired']);
    await page.getByRole('button', { name: 'Reinstate v1' }).waitFor(); // a retired version offers Reinstate
    if (process.env['CONSOLE_README_SCREENSHOT'] === '1') await page.screenshot({ path: README_SCREENSHOT, fullPage: true });
    await page.goto(`${server.url}/ui/jwks`);
    const published = await page.locator('#jwks-contents tr', { hasText: kid }).textContent();
    expect(published).to.contain('v2').and.contain('v3').and.not.contain('v1');
  });

  it('Request log: the SDK calls are there (CreateKey, CreateAlias), new ones appear live, and the filter narrows it', async () => {
    await page.goto(`${server.url}/ui/log`);
    const operations = await page.locator('#request-log tbody tr td:nth-child(4)').allTextContents();
    expect(operations).to.include.members(['CreateKey', 'CreateAlias', 'Sign', 'Encrypt']);
    const createAlias = page.locator('#request-log tbody tr[data-operation="CreateAlias"]', { hasText: keyId });
    expect(await createAlias.textContent()).to.contain('111122223333').and.contain('us-east-1').and.contain('200');
    await page.getByText('Live: new requests appear at the top.').waitFor();
    await client.send(new DescribeKeyCommand({ KeyId: 'alias/orders/missing' })).catch(() => undefined);
    const live = page.locator('#request-log tbody tr').first();
    await live.filter({ hasText: 'NotFoundException' }).waitFor();
    expect(await live.textContent()).to.contain('DescribeKey').and.contain('alias/orders/missing').and.contain('400');
    await shot('log');
    await page.getByLabel('Operation').selectOption('CreateAlias');
    await page.waitForURL(/operation=CreateAlias/);
    const filtered = await page.locator('#request-log tbody tr td:nth-child(4)').allTextContents();
    expect(filtered.length).to.be.greaterThan(0);
    expect(new Set(filtered)).to.deep.equal(new Set(['CreateAlias']));
    await page.getByLabel('Status').selectOption('client-error');
    await page.waitForURL(/status=client-error/);
    expect(await page.locator('#request-log tbody tr').count()).to.equal(0);
  });

  it('without --ui-actions an action is refused (403 naming the flag), and the buttons are disabled', async () => {
    await page.goto(`${readOnly.url}/ui/kids`);
    await page.goto(`${readOnly.url}/ui/`);
    expect(await page.locator('header .mode').textContent()).to.equal('Read-only');
    const readOnlyKid = (await new AwsKmsKeyProvider({ kms: await readOnly.kms() }).createKey({ klass: 'asym', alg: 'ECDSA_P256_SHA256' })).kid;
    await page.goto(`${readOnly.url}/ui/kids/${readOnlyKid}`);
    expect(await page.getByRole('button', { name: 'Rotate', exact: true }).isDisabled()).to.equal(true);
    const refused = await page.evaluate(async (k) => {
      const token = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')!.content;
      const response = await fetch('/ui/actions/rotate', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf: token, kid: k }).toString(),
      });
      return { status: response.status, text: await response.text() };
    }, readOnlyKid);
    expect(refused.status).to.equal(403);
    expect(refused.text).to.contain('--ui-actions');
    expect(await new AwsKmsKeyProvider({ kms: await readOnly.kms() }).listVersions(readOnlyKid)).to.deep.equal([1]);
    await page.goto(`${readOnly.url}/ui/kids/${readOnlyKid}/confirm?action=rotate`);
    await shot('read-only');
  });

  it('an action without the CSRF token is refused even with --ui-actions', async () => {
    await page.goto(`${server.url}/ui/kids/${kid}`);
    const status = await page.evaluate(async (k) => {
      const response = await fetch('/ui/actions/rotate', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ kid: k }).toString(),
      });
      return response.status;
    }, kid);
    expect(status).to.equal(403);
    expect(await provider.listVersions(kid)).to.deep.equal([1, 2, 3]);
  });

  it('is keyboard-navigable: the first Tab reaches the skip link, and the nav links are reachable in order', async () => {
    await page.goto(`${server.url}/ui/`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).to.equal('Skip to the content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).to.equal('Provider kids');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /Provider kids under/ }).waitFor();
  });

  it('nothing it served has private material, plaintext or a signed message, and no page broke its CSP', () => {
    expect(bodies.length).to.be.greaterThan(10);
    const all = bodies.join('\n');
    const b64 = (text: string): string => Buffer.from(text).toString('base64');
    for (const secret of ['PRIVATE KEY', PLAINTEXT, MESSAGE, b64(PLAINTEXT), b64(MESSAGE)]) expect(all).not.to.contain(secret);
    expect(problems).to.deep.equal([]);
  });
});
