import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src/store/db.js';
import { getKv, incrementKv, kvBudgetStore, setKv } from '../../src/store/kv.js';
import { tempDb } from '../helpers/db.js';

describe('store/kv', () => {
  let t: ReturnType<typeof tempDb> | undefined;
  afterEach(() => t?.close());

  it('sets, overwrites and increments values', async () => {
    t = tempDb();
    expect(await getKv(t.db, 'a')).toBeUndefined();
    await setKv(t.db, 'a', 'x');
    await setKv(t.db, 'a', 'y');
    expect(await getKv(t.db, 'a')).toBe('y');
    expect(await incrementKv(t.db, 'n')).toBe(1);
    expect(await incrementKv(t.db, 'n')).toBe(2);
  });

  it('keeps the LLM daily budget per day across a reopen', async () => {
    t = tempDb();
    const budget = kvBudgetStore(t.db);
    await budget.increment('2026-11-28');
    await budget.increment('2026-11-28');
    await budget.increment('2026-11-29');
    t.db.close();
    const again = openDb(t.file);
    expect(await kvBudgetStore(again).get('2026-11-28')).toBe(2);
    expect(await kvBudgetStore(again).get('2026-11-29')).toBe(1);
    expect(await kvBudgetStore(again).get('2026-11-30')).toBe(0);
    again.close();
  });
});
