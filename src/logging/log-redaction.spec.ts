import { QueryFailedError } from 'typeorm';
import { isSecretKey, REDACTED, redactLogObject, redactSecrets } from './log-redaction';

const SECRET = 's3cr3t-value-9f2a';

describe('redactSecrets', () => {
  it('replaces secret-named values at every depth, in objects and arrays', () => {
    const logged = {
      authorization: SECRET,
      request: { headers: { cookie: SECRET, 'x-internal-token': SECRET, 'Stripe-Signature': SECRET, 'x-hub-signature': SECRET, accept: 'application/json' } },
      venue: { owner: { tax: { ein: SECRET, tin: SECRET, name: 'Hall' } } },
      batch: [{ credentials: [{ password: SECRET, clientSecret: SECRET, accessToken: SECRET }] }],
    };
    const redacted = redactSecrets(logged);
    expect(JSON.stringify(redacted)).not.toContain(SECRET);
    expect(redacted).toMatchObject({
      authorization: REDACTED,
      request: { headers: { cookie: REDACTED, accept: 'application/json' } },
      venue: { owner: { tax: { ein: REDACTED, name: 'Hall' } } },
    });
  });

  it('leaves keys that merely contain a secret word alone', () => {
    expect(['tokenCount', 'einstein', 'setting', 'signatureValid', 'requestId'].filter(isSecretKey)).toEqual([]);
  });

  it('scrubs what toJSON returns, and survives cycles and very deep objects', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const withJson = { toJSON: () => ({ nested: { token: SECRET } }) };
    let deep: Record<string, unknown> = { token: SECRET };
    for (let level = 0; level < 20; level += 1) deep = { deeper: deep };
    const text = JSON.stringify(redactSecrets({ cyclic, withJson, deep, at: new Date(0) }));
    expect(text).not.toContain(SECRET);
    expect(text).toContain('[circular]');
    expect(text).toContain('"at":"1970-01-01T00:00:00.000Z"');
  });
});

describe('redactLogObject', () => {
  it('logs an error under `error` as its loggable fields, without bound parameters or driver detail', () => {
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint "k"'), { code: '23505', severity: 'ERROR', detail: `Key (k)=(${SECRET})` });
    const line = redactLogObject({ err: new QueryFailedError('INSERT INTO t VALUES ($1)', [SECRET], driverError), requestId: 'r1' });
    expect(line).toMatchObject({ requestId: 'r1', error: { type: 'QueryFailedError', code: '23505', message: 'unique_violation' } });
    expect(line).not.toHaveProperty('err');
    expect(JSON.stringify(line)).not.toContain(SECRET);
  });
});
