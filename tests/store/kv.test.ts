import { afterEach, describe, expect, it } from 'vitest';
import { getKv, incrementKv, kvBudgetStore, setKv } from '../../src/store/kv.js';
import { type TempStore, tempStore, testBackend } from '../helpers/db.js';

describe(`store/kv on ${testBackend()}`, () => {
  let t: TempStore | undefined;
  afterEach(() => t?.close());

  it('sets, overwrites and increments values', async () => {
    t = await tempStore();
    expect(await getKv(t.sql, 'a')).toBeUndefined();
    await setKv(t.sql, 'a', 'x');
    await setKv(t.sql, 'a', 'y');
    expect(await getKv(t.sql, 'a')).toBe('y');
    expect(await incrementKv(t.sql, 'n')).toBe(1);
    expect(await incrementKv(t.sql, 'n')).toBe(2);
  });

  it('keeps the LLM daily budget per day across a reopen', async () => {
    t = await tempStore();
    const budget = kvBudgetStore(t.sql);
    await budget.increment('2026-11-28');
    await budget.increment('2026-11-28');
    await budget.increment('2026-11-29');
    await t.sql.close();
    const again = await t.open();
    expect(await kvBudgetStore(again).get('2026-11-28')).toBe(2);
    expect(await kvBudgetStore(again).get('2026-11-29')).toBe(1);
    expect(await kvBudgetStore(again).get('2026-11-30')).toBe(0);
  });
});
