/** console-security.ts: the CSRF guard of actions, HTTP Basic against the endpoint's credentials, exposure. */
import type { IncomingMessage } from 'node:http';
import { expect } from 'chai';
import { BasicAuth, CONTENT_SECURITY_POLICY, CsrfGuard, SECURITY_HEADERS, consoleExposure } from '../../src/console/console-security.js';

function request(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

describe('console security', () => {
  describe('CsrfGuard', () => {
    const guard = new CsrfGuard('the-token');
    const host = { host: '127.0.0.1:4599' };

    it('makes a fresh random token per server', () => {
      expect(new CsrfGuard().token).to.match(/^[A-Za-z0-9_-]{43}$/);
      expect(new CsrfGuard().token).to.not.equal(new CsrfGuard().token);
    });

    it('lets a POST with the token (header or form field) from its own origin proceed', () => {
      expect(guard.refusal(request({ ...host, 'x-csrf-token': 'the-token' }), undefined)).to.equal(undefined);
      expect(guard.refusal(request({ ...host, origin: 'http://127.0.0.1:4599', 'sec-fetch-site': 'same-origin' }), 'the-token')).to.equal(undefined);
      // A form of a no-referrer page: Origin null, vouched for by Sec-Fetch-Site.
      expect(guard.refusal(request({ ...host, origin: 'null', 'sec-fetch-site': 'same-origin' }), 'the-token')).to.equal(undefined);
    });

    it('refuses a POST without the token, or with another one', () => {
      expect(guard.refusal(request(host), undefined)).to.match(/CSRF token/);
      expect(guard.refusal(request(host), 'the-tokeN')).to.match(/CSRF token/);
      expect(guard.refusal(request({ ...host, 'x-csrf-token': 'x' }), 'the-token')).to.match(/CSRF token/); // the header wins
    });

    it('refuses another site or origin even with the token', () => {
      expect(guard.refusal(request({ ...host, 'sec-fetch-site': 'cross-site' }), 'the-token')).to.match(/another site/);
      expect(guard.refusal(request({ ...host, 'sec-fetch-site': 'same-site' }), 'the-token')).to.match(/another site/);
      expect(guard.refusal(request({ ...host, origin: 'http://evil.example' }), 'the-token')).to.match(/another origin/);
      expect(guard.refusal(request({ ...host, origin: 'null' }), 'the-token')).to.match(/opaque origin/);
    });
  });

  describe('BasicAuth', () => {
    const auth = new BasicAuth([
      { accessKeyId: 'AKID1', secretAccessKey: 's3cret:with:colons' },
      { accessKeyId: 'AKID2', secretAccessKey: 'other' },
    ]);
    const basic = (text: string): IncomingMessage => request({ authorization: `Basic ${Buffer.from(text).toString('base64')}` });

    it('allows the access key ID and secret access key of any configured credential', () => {
      expect(auth.allows(basic('AKID1:s3cret:with:colons'))).to.equal(true);
      expect(auth.allows(basic('AKID2:other'))).to.equal(true);
    });

    it('refuses a wrong secret, a secret of another credential, no credentials, another scheme', () => {
      expect(auth.allows(basic('AKID1:other'))).to.equal(false);
      expect(auth.allows(basic('AKID1'))).to.equal(false);
      expect(auth.allows(request({}))).to.equal(false);
      expect(auth.allows(request({ authorization: 'Bearer AKID1:s3cret' }))).to.equal(false);
    });
  });

  it('consoleExposure: served on loopback, elsewhere only with credentials', () => {
    expect(consoleExposure(true, false)).to.equal(undefined);
    expect(consoleExposure(true, true)).to.equal(undefined);
    expect(consoleExposure(false, true)).to.equal(undefined);
    expect(consoleExposure(false, false)).to.match(/only on a loopback address .* unless .* credentials/);
  });

  it('the security headers: the CSP of the issue, no framing, no sniffing, no referrer', () => {
    expect(CONTENT_SECURITY_POLICY).to.equal(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    expect(SECURITY_HEADERS).to.include({ 'X-Frame-Options': 'DENY', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
  });
});
