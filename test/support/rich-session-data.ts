import { Markup, Tuple, UUID } from '../../lib/tagged-json/index.js';

/**
 * A session with every tagged type, non-ASCII text, an escaped tag key and `_permanent`: the data
 * whose bytes (tagged JSON, and the signed cookie) are pinned against Flask's.
 */
export function richSessionData(): Record<string, unknown> {
  return {
    _permanent: true,
    tup: Tuple.of(1, 2, 3),
    raw: Buffer.from([0xff, 0x00, 0x68, 0x69]),
    when: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
    uid: new UUID('12345678-1234-5678-1234-567812345678'),
    html: new Markup('<b>hi</b>'),
    text: 'h\u00e9llo \u2603 \u{1F600}',
    esc: { ' t': 'not-a-tuple' },
    _flashes: [Tuple.of('message', 'Saved!')],
  };
}
