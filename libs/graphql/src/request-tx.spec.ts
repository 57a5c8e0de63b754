// The request transaction's state machine on a recording EntityManager: which calls
// share a transaction, when it commits or rolls back, and that no call ever waits
// for a call that may be waiting for it (the real SQL is in request-transaction.e2e.spec.ts).
import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { RequestTransaction } from './request-tx';

const ORG = '7f0c2a52-5c7e-4a8f-9d3e-0a1b2c3d4e5f';

/** An EntityManager that numbers its transactions and logs BEGIN, statements, COMMIT and ROLLBACK. */
function recorder() {
  const log: string[] = [];
  let n = 0;
  const em = {
    transactional: async <T>(cb: (tem: unknown) => Promise<T>): Promise<T> => {
      const id = ++n;
      log.push(`${id} BEGIN`);
      const tem = {
        execute: (sql: string) => { log.push(`${id} ${sql.startsWith('select set_config') ? 'set_config' : sql}`); return Promise.resolve([]); },
        flush: () => Promise.resolve(),
      };
      try {
        const out = await cb(tem);
        log.push(`${id} COMMIT`);
        return out;
      } catch (err) {
        log.push(`${id} ROLLBACK`);
        throw err;
      }
    },
  };
  return { log, em: em as unknown as EntityManager };
}

const read = (what: string) => async (em: EntityManager) => { await em.execute(what); return what; };
const tick = () => new Promise((r) => setImmediate(r));

describe('RequestTransaction', () => {
  it('concurrent reads share one transaction; the last step runs in it before it commits', async () => {
    const { log, em } = recorder();
    const tx = new RequestTransaction(em, ORG);
    expect(await Promise.all([tx.run(read('a')), tx.run(read('b')), tx.run(read('c'))])).toEqual(['a', 'b', 'c']);
    await tx.run(read('d'));
    expect(await tx.end(async (t) => { await t.execute('event'); })).toBe(true);
    expect(log).toEqual(['1 BEGIN', '1 set_config', '1 a', '1 b', '1 c', '1 d', '1 event', '1 COMMIT']);
    // after the request: a transaction of its own
    await tx.run(read('late'));
    expect(log.slice(8)).toEqual(['2 BEGIN', '2 set_config', '2 late', '2 COMMIT']);
  });

  it('a call that throws has the transaction rolled back; calls meanwhile never wait for it', async () => {
    const { log, em } = recorder();
    const tx = new RequestTransaction(em, ORG);
    let finish!: () => void;
    const slow = tx.run(async (t) => { await t.execute('slow'); await new Promise<void>((r) => { finish = r; }); return 'slow'; });
    await tick();
    await expect(tx.run(() => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    // the failed transaction still has a running call: this one takes its own
    await tx.run(read('meanwhile'));
    finish();
    await slow;
    await tx.run(read('after'));
    expect(await tx.end(async (t) => { await t.execute('event'); })).toBe(true);
    expect(log).toEqual([
      '1 BEGIN', '1 set_config', '1 slow',
      '2 BEGIN', '2 set_config', '2 meanwhile', '2 COMMIT',
      '1 ROLLBACK',
      '3 BEGIN', '3 set_config', '3 after', '3 event', '3 COMMIT',
    ]);
  });

  it('settling (before a mutation) waits for running calls, which may still nest calls in it', async () => {
    const { log, em } = recorder();
    const tx = new RequestTransaction(em, ORG);
    let settled: Promise<void> = Promise.resolve();
    await tx.run(async (t) => {
      await t.execute('outer');
      settled = tx.settle();
      await tick();
      // a loader called from inside the running call: it joins, it does not wait for the settle
      await tx.run(read('nested'));
    });
    await settled;
    log.push('mutation');
    await tx.run(read('result'));
    await tx.end();
    expect(log).toEqual(['1 BEGIN', '1 set_config', '1 outer', '1 nested', '1 COMMIT', 'mutation', '2 BEGIN', '2 set_config', '2 result', '2 COMMIT']);
  });

  it('a call from outside while a settle waits takes its own transaction instead of waiting (a batch a running call awaits)', async () => {
    const { log, em } = recorder();
    const tx = new RequestTransaction(em, ORG);
    let release!: () => void;
    // scheduled from outside any call, as a DataLoader batch another resolver started
    const batch = new Promise<void>((r) => { release = r; }).then(() => tx.run(read('batch')));
    let settled: Promise<void> = Promise.resolve();
    await tx.run(async (t) => {
      await t.execute('outer');
      settled = tx.settle();
      release();
      await batch; // waiting for the settle here would wait for ourselves
    });
    await settled;
    expect(log).toEqual(['1 BEGIN', '1 set_config', '1 outer', '2 BEGIN', '2 set_config', '2 batch', '2 COMMIT', '1 COMMIT']);
  });

  it('a failed last step rolls the transaction back and is reported', async () => {
    const { log, em } = recorder();
    const tx = new RequestTransaction(em, ORG);
    await tx.run(read('a'));
    await expect(tx.end(() => Promise.reject(new Error('outbox refused')))).rejects.toThrow('outbox refused');
    expect(log).toEqual(['1 BEGIN', '1 set_config', '1 a', '1 ROLLBACK']);
  });
});
