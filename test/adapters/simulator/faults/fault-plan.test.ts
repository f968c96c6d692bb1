import { expect } from 'chai';
import { FAULT_OPERATIONS, FaultPlan, type FaultOptions } from '../../../../src/adapters/simulator/faults/fault-plan.js';
import { parseFaultSpec } from '../../../../src/adapters/simulator/faults/fault-spec.js';
import { INJECTABLE_EXCEPTIONS } from '../../../../src/adapters/simulator/faults/injectable-exceptions.js';
import { SimulatedKms } from '../../../../src/adapters/simulator/simulated-kms.js';
import { InvalidArgumentError } from '../../../../src/domain/errors.js';

function refusal(make: () => unknown): string {
  try {
    make();
  } catch (e) {
    expect(e).to.be.instanceOf(InvalidArgumentError);
    return (e as Error).message;
  }
  return expect.fail('expected an InvalidArgumentError');
}

const faults = (value: unknown): string => refusal(() => new SimulatedKms({ faults: value as FaultOptions }));

describe('adapters/simulator/faults — the fault plan and its text form', () => {
  describe('the operations and exceptions it knows', () => {
    it('names every KmsPort operation as KMS does', () => {
      expect(FAULT_OPERATIONS).to.include.members(['Sign', 'DescribeKey', 'CreateKey', 'ListResourceTags', 'GenerateMac', 'GetPublicKey']);
      expect(FAULT_OPERATIONS.every((o) => /^[A-Z][A-Za-z]+$/.test(o))).to.equal(true);
      const kms = new SimulatedKms();
      for (const o of FAULT_OPERATIONS) expect(typeof Reflect.get(kms, o[0]!.toLowerCase() + o.slice(1)), o).to.equal('function');
    });
  });

  describe('refusals (InvalidArgumentError at construction, naming the valid choices)', () => {
    it('an unknown operation lists the operations', () => {
      expect(faults({ rules: [{ operation: 'sign', latencyMs: 1 }] })).to.equal(
        `SimulatedKms: faults.rules[0].operation must be '*' or a KMS operation name: ${FAULT_OPERATIONS.join(', ')}; got 'sign'`,
      );
    });

    it('an unknown exception name lists the names', () => {
      const message = faults({ rules: [{ operation: 'Sign', nth: 1, error: 'Throttled' }] });
      expect(message).to.equal(
        `SimulatedKms: faults.rules[0].error must be a KMS exception name: ${INJECTABLE_EXCEPTIONS.join(', ')}; got 'Throttled'`,
      );
      expect(message).to.include('ThrottlingException').and.include('KMSInternalException');
    });

    it('a rate outside 0–1, a negative latency, bad nth, times and seed', () => {
      expect(faults({ rules: [{ operation: 'Sign', rate: 1.5, error: 'ThrottlingException' }] })).to.equal(
        'SimulatedKms: faults.rules[0].rate must be a number from 0 to 1; got 1.5',
      );
      expect(faults({ rules: [{ operation: 'Sign', rate: -0.1, error: 'ThrottlingException' }] })).to.match(/rate must be a number from 0 to 1; got -0.1$/);
      expect(faults({ rules: [{ operation: '*', latencyMs: -5 }] })).to.equal(
        'SimulatedKms: faults.rules[0].latencyMs must be a number of milliseconds from 0 to 2147483647; got -5',
      );
      expect(faults({ rules: [{ operation: 'Sign', nth: 0, error: 'ThrottlingException' }] })).to.equal(
        'SimulatedKms: faults.rules[0].nth must be an integer from 1 (the first call); got 0',
      );
      expect(faults({ rules: [{ operation: 'Sign', nth: 1, times: 1.5, error: 'ThrottlingException' }] })).to.match(/times must be an integer from 1; got 1.5$/);
      expect(faults({ seed: -1, rules: [] })).to.equal('SimulatedKms: faults.seed must be an integer from 0 to 4294967295; got -1');
      expect(faults({ seed: '42', rules: [] })).to.match(/seed must be an integer .* got '42'$/);
    });

    it('an unknown member of a rule or of the option', () => {
      expect(faults({ rules: [{ operation: 'Sign', latency: 5 }] })).to.equal(
        "SimulatedKms: faults.rules[0] has no member 'latency'; the members are operation, error, rate, nth, times, latencyMs",
      );
      expect(faults({ rules: [], Seed: 1 })).to.equal("SimulatedKms: faults has no member 'Seed'; the members are seed, rules");
    });

    it('rules that contradict themselves or do nothing, and options of the wrong type', () => {
      expect(faults({ rules: [{ operation: 'Sign', rate: 0.5, nth: 2, error: 'ThrottlingException' }] })).to.equal(
        'SimulatedKms: faults.rules[0]: give rate or nth, not both',
      );
      expect(faults({ rules: [{ operation: 'Sign', error: 'ThrottlingException' }] })).to.equal(
        'SimulatedKms: faults.rules[0]: error needs rate (0–1) or nth (the call that fails)',
      );
      expect(faults({ rules: [{ operation: 'Sign', rate: 0.5 }] })).to.match(/rate and nth need an error/);
      expect(faults({ rules: [{ operation: 'Sign', times: 2, rate: 0.1, error: 'ThrottlingException' }] })).to.match(/times needs nth$/);
      expect(faults({ rules: [{ operation: 'Sign' }] })).to.equal(
        'SimulatedKms: faults.rules[0] does nothing: give an error (with rate or nth), latencyMs, or both',
      );
      expect(faults('Sign:nth=1:ThrottlingException')).to.match(/^SimulatedKms: faults must be an object \{ seed\?, rules \}; got 'Sign/);
      expect(faults({ rules: 'x' })).to.equal("SimulatedKms: faults.rules must be an array of rules; got 'x'");
      expect(faults({ rules: [null] })).to.match(/^SimulatedKms: faults\.rules\[0\] must be an object/);
    });

    it('an empty list of rules is valid (and injects nothing)', async () => {
      const kms = new SimulatedKms({ faults: { seed: 0, rules: [] } });
      expect(kms.faultSeed).to.equal(0);
      await kms.listKeys({});
    });
  });

  describe('parseFaultSpec', () => {
    it('reads the compact form into the options', () => {
      const spec = 'Sign:rate=0.2:ThrottlingException,DescribeKey:nth=3:KMSInternalException,*:latency=5;seed=42';
      expect(parseFaultSpec(spec)).to.deep.equal({
        seed: 42,
        rules: [
          { operation: 'Sign', rate: 0.2, error: 'ThrottlingException' },
          { operation: 'DescribeKey', nth: 3, error: 'KMSInternalException' },
          { operation: '*', latencyMs: 5 },
        ],
      });
      expect(parseFaultSpec(' GenerateRandom : nth=2 : times=3 : latency=1 : ThrottlingException ')).to.deep.equal({
        rules: [{ operation: 'GenerateRandom', nth: 2, times: 3, latencyMs: 1, error: 'ThrottlingException' }],
      });
      expect(parseFaultSpec('')).to.deep.equal({ rules: [] });
      expect(parseFaultSpec(';seed=7')).to.deep.equal({ seed: 7, rules: [] });
    });

    it('reads JSON of the options', () => {
      const json = '{"seed": 1, "rules": [{"operation": "Sign", "nth": 1, "error": "ThrottlingException"}]}';
      expect(parseFaultSpec(json)).to.deep.equal({ seed: 1, rules: [{ operation: 'Sign', nth: 1, error: 'ThrottlingException' }] });
      expect(refusal(() => parseFaultSpec('{"rules": [', 'faults.json'))).to.match(/^faults\.json: not valid JSON/);
      expect(refusal(() => parseFaultSpec('{"rules": [{"operation": "Sing", "latencyMs": 1}]}', 'faults.json'))).to.match(
        /^faults\.json\.rules\[0\]\.operation must be '\*' or a KMS operation name: .*Sign.*; got 'Sing'$/,
      );
    });

    it('gives what a SimulatedKms takes, with the seed in use', async () => {
      const kms = new SimulatedKms({ faults: parseFaultSpec('GenerateRandom:nth=1:ThrottlingException;seed=42') });
      expect(kms.faultSeed).to.equal(42);
      let name = '';
      await kms.generateRandom({ NumberOfBytes: 1 }).catch((e: Error) => (name = e.name));
      expect(name).to.equal('ThrottlingException');
    });

    it('refuses with messages naming the source, the rule and the valid choices', () => {
      expect(refusal(() => parseFaultSpec('Sign:ratio=0.2:ThrottlingException'))).to.equal(
        "fault spec: rule 1 ('Sign:ratio=0.2:ThrottlingException'): unknown part 'ratio'; the parts are rate=, nth=, times=, latency= and a KMS exception name",
      );
      expect(refusal(() => parseFaultSpec('Sign:rate=high:ThrottlingException', '--faults'))).to.equal(
        "--faults.rules[0].rate must be a number from 0 to 1; got 'high'",
      );
      expect(refusal(() => parseFaultSpec('Sign:nth=1:ThrottlingException:KMSInternalException'))).to.match(/two exception names/);
      expect(refusal(() => parseFaultSpec('Sign:nth=1:nth=2:ThrottlingException'))).to.match(/nth given twice$/);
      expect(refusal(() => parseFaultSpec('Sign:latency=1;sed=4'))).to.equal("fault spec: after ';' comes seed=<integer>; got 'sed=4'");
      expect(refusal(() => parseFaultSpec('Sign:latency=1;seed=4;x'))).to.match(/at most one ';'/);
      expect(refusal(() => parseFaultSpec(':latency=1'))).to.match(/starts with an operation name/);
      expect(refusal(() => parseFaultSpec('Sign:latency=-1'))).to.match(/latencyMs must be a number of milliseconds from 0/);
    });
  });

  it('a FaultPlan reports its seed and rules as JSON', () => {
    const plan = new FaultPlan({ seed: 3, rules: [{ operation: 'Sign', nth: 2, error: 'ThrottlingException' }] });
    expect(JSON.parse(JSON.stringify(plan))).to.deep.equal({
      seed: 3,
      rules: [{ operation: 'Sign', nth: 2, times: 1, error: 'ThrottlingException' }],
    });
  });
});
