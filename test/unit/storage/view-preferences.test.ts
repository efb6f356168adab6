/** The view's preferences in localStorage: kept per database, tolerant of anything else found there. */
import { expect } from '@open-wc/testing';
import { DEFAULT_VIEW_PREFERENCES, readViewPreferences, viewPreferencesKey, writeViewPreferences } from '../../../src/storage/view-preferences';

describe('view preferences', () => {
  const key = viewPreferencesKey(`view-test-${Math.random()}`);
  afterEach(() => localStorage.removeItem(key));

  it('gives back what was written, and the defaults where nothing was', () => {
    expect(readViewPreferences(key)).to.deep.equal(DEFAULT_VIEW_PREFERENCES);
    writeViewPreferences(key, { muted: true, showRaw: false });
    expect(readViewPreferences(key)).to.deep.equal({ muted: true, showRaw: false });
    expect(readViewPreferences(viewPreferencesKey('another database'))).to.deep.equal(DEFAULT_VIEW_PREFERENCES);
  });

  it('takes the default for each value that is missing, of another type, or unreadable', () => {
    for (const [text, expected] of [
      ['{"muted": true}', { muted: true, showRaw: false }],
      ['{"muted": "yes", "showRaw": true}', { muted: false, showRaw: true }],
      ['[1, 2]', DEFAULT_VIEW_PREFERENCES],
      ['{', DEFAULT_VIEW_PREFERENCES],
      ['null', DEFAULT_VIEW_PREFERENCES],
    ] as const) {
      localStorage.setItem(key, text);
      expect(readViewPreferences(key), text).to.deep.equal(expected);
    }
  });

  it('neither throws nor keeps anything where storage refuses', () => {
    const refusing = {
      getItem: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    } as unknown as Storage;
    expect(() => writeViewPreferences(key, { muted: true, showRaw: true }, refusing)).not.to.throw();
    expect(readViewPreferences(key, refusing)).to.deep.equal(DEFAULT_VIEW_PREFERENCES);
    expect(readViewPreferences(key, null)).to.deep.equal(DEFAULT_VIEW_PREFERENCES);
  });
});
