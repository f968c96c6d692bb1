import { expect } from 'chai';
import type { KmsTag, TagResourceRequest, UntagResourceRequest } from '../../../src/ports/kms.port.js';
import { createKey, expectKmsError, newKms } from './simulator-test-kit.js';

const tag = (TagKey: string, TagValue = ''): KmsTag => ({ TagKey, TagValue });

describe('adapters/simulator/SimulatedKms — tags', () => {
  it('lists tags in the order their keys were first set; overwriting keeps the position', async () => {
    const kms = newKms();
    const key = await createKey(kms);
    await kms.tagResource({ KeyId: key.KeyId, Tags: [tag('b', '1'), tag('a', '2')] });
    await kms.tagResource({ KeyId: key.Arn, Tags: [tag('c', '3'), tag('b', 'new')] });
    expect(await kms.listResourceTags({ KeyId: key.KeyId })).to.deep.equal({
      Tags: [tag('b', 'new'), tag('a', '2'), tag('c', '3')],
      Truncated: false,
    });
  });

  it('removes tags; absent tag keys are no error; a removed key set again goes last', async () => {
    const kms = newKms();
    const key = await createKey(kms);
    await kms.tagResource({ KeyId: key.KeyId, Tags: [tag('a'), tag('b'), tag('c')] });
    await kms.untagResource({ KeyId: key.KeyId, TagKeys: ['a', 'missing'] });
    await kms.tagResource({ KeyId: key.KeyId, Tags: [tag('a', 'again')] });
    expect((await kms.listResourceTags({ KeyId: key.KeyId })).Tags).to.deep.equal([tag('b'), tag('c'), tag('a', 'again')]);
    await kms.untagResource({ KeyId: key.KeyId, TagKeys: [] });
  });

  it('refuses aws: tag keys in any case, duplicates and more than 50 tags', async () => {
    const kms = newKms();
    const key = await createKey(kms);
    for (const reserved of ['aws:x', 'AWS:x', 'Aws:']) {
      await expectKmsError(kms.tagResource({ KeyId: key.KeyId, Tags: [tag(reserved)] }), 'TagException', 'Tags beginning with aws: are reserved');
      await expectKmsError(kms.untagResource({ KeyId: key.KeyId, TagKeys: [reserved] }), 'TagException', 'Tags beginning with aws: are reserved');
    }
    await kms.tagResource({ KeyId: key.KeyId, Tags: [tag('aws')] });
    await expectKmsError(kms.tagResource({ KeyId: key.KeyId, Tags: [tag('k', '1'), tag('k', '2')] }), 'TagException', 'Duplicate tag keys');
    const fifty = Array.from({ length: 49 }, (_, i) => tag(`t${i}`));
    await kms.tagResource({ KeyId: key.KeyId, Tags: fifty });
    await kms.tagResource({ KeyId: key.KeyId, Tags: [tag('t0', 'overwrite at 50 is fine')] });
    await expectKmsError(kms.tagResource({ KeyId: key.KeyId, Tags: [tag('one-more')] }), 'TagException', 'Too many tags');
    expect((await kms.listResourceTags({ KeyId: key.KeyId })).Tags).to.have.length(50);
  });

  it('checks lengths with the member path of the offending tag', async () => {
    const kms = newKms();
    const key = await createKey(kms);
    const longKey = 'k'.repeat(129);
    await expectKmsError(
      kms.tagResource({ KeyId: key.KeyId, Tags: [tag('ok'), tag(longKey)] }),
      'ValidationException',
      `1 validation error detected: Value '${longKey}' at 'tags.2.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
    const longValue = 'v'.repeat(257);
    await expectKmsError(
      kms.tagResource({ KeyId: key.KeyId, Tags: [tag('k', longValue)] }),
      'ValidationException',
      `1 validation error detected: Value '${longValue}' at 'tags.1.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256`,
    );
    await expectKmsError(
      kms.tagResource({ KeyId: key.KeyId, Tags: [tag('')] }),
      'ValidationException',
      "1 validation error detected: Value '' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    await kms.tagResource({ KeyId: key.KeyId, Tags: [tag('k'.repeat(128), 'v'.repeat(256))] });
    await expectKmsError(
      kms.untagResource({ KeyId: key.KeyId, TagKeys: [longKey] }),
      'ValidationException',
      `1 validation error detected: Value '${longKey}' at 'tagKeys.1.member' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
  });

  it('requires the members and their types', async () => {
    const kms = newKms();
    const key = await createKey(kms);
    await expectKmsError(
      kms.tagResource({ KeyId: key.KeyId } as TagResourceRequest),
      'ValidationException',
      "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null",
    );
    await expectKmsError(
      kms.tagResource({ KeyId: key.KeyId, Tags: [{ TagKey: 'k' }] } as TagResourceRequest),
      'ValidationException',
      "1 validation error detected: Value null at 'tags.1.member.tagValue' failed to satisfy constraint: Member must not be null",
    );
    await expectKmsError(kms.untagResource({ KeyId: key.KeyId } as UntagResourceRequest), 'ValidationException');
    await expectKmsError(
      kms.untagResource({ KeyId: key.KeyId, TagKeys: [1] } as unknown as UntagResourceRequest),
      'ValidationException',
      "1 validation error detected: Value at 'tagKeys.member' failed to satisfy constraint: Member must be a string",
    );
  });

  it('follows the key-state table: tag and untag refused while pending deletion, listing always works', async () => {
    const kms = newKms();
    const key = await createKey(kms);
    await kms.disableKey({ KeyId: key.KeyId });
    await kms.tagResource({ KeyId: key.KeyId, Tags: [tag('a')] });
    await kms.scheduleKeyDeletion({ KeyId: key.KeyId });
    const pending = `${key.Arn} is pending deletion.`;
    await expectKmsError(kms.tagResource({ KeyId: key.KeyId, Tags: [tag('b')] }), 'KMSInvalidStateException', pending);
    await expectKmsError(kms.untagResource({ KeyId: key.KeyId, TagKeys: ['a'] }), 'KMSInvalidStateException', pending);
    expect((await kms.listResourceTags({ KeyId: key.KeyId })).Tags).to.deep.equal([tag('a')]);
  });

  it('loses no update when calls overlap', async () => {
    const kms = newKms();
    const key = await createKey(kms);
    await Promise.all(Array.from({ length: 20 }, (_, i) => kms.tagResource({ KeyId: key.KeyId, Tags: [tag(`c${i}`)] })));
    const keys = (await kms.listResourceTags({ KeyId: key.KeyId })).Tags.map((t) => t.TagKey);
    expect(keys).to.deep.equal(Array.from({ length: 20 }, (_, i) => `c${i}`));
  });

  it('takes Limit 1–50, default 50', async () => {
    const kms = newKms();
    const key = await createKey(kms);
    await kms.tagResource({ KeyId: key.KeyId, Tags: Array.from({ length: 50 }, (_, i) => tag(`t${i}`)) });
    const all = await kms.listResourceTags({ KeyId: key.KeyId });
    expect(all.Tags).to.have.length(50);
    expect(all.Truncated).to.equal(false);
    await expectKmsError(
      kms.listResourceTags({ KeyId: key.KeyId, Limit: 51 }),
      'ValidationException',
      "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50",
    );
  });
});
