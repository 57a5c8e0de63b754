import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './pagination';

describe('cursors', () => {
  it('round-trip, and refuse anything else as BAD_USER_INPUT', () => {
    const c = { createdAt: new Date('2026-12-01T10:00:00.000Z'), id: '00000000-0000-4000-8000-000000000001' };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    for (const bad of ['garbage', Buffer.from('2026-12-01T10:00:00.000Z|nope').toString('base64url'), Buffer.from(`2026-12-01T10:00:00.000Z|${c.id}|x`).toString('base64url'), Buffer.from(`5|${c.id}`).toString('base64url')]) {
      expect(() => decodeCursor(bad), bad).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'after' } }));
    }
  });
});
