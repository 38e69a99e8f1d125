import assert from 'node:assert/strict';

/** Awaits `p` and checks that it rejects with an instance of `cls` with exactly this message; returns the error. */
export async function rejects(p: Promise<unknown>, cls: new (...a: never[]) => Error, message: string): Promise<Error> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    assert.equal((e as Error).message, message);
    return e as Error;
  }
  assert.fail('expected a rejection');
}
