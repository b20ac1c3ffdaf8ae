import { describe, expect, it } from 'vitest';
import { userDataDir } from './paths';

describe('userDataDir', () => {
  it('follows each OS convention, as Electron does', () => {
    expect(userDataDir({ platform: 'linux', env: {}, homedir: '/home/anne' })).toBe('/home/anne/.config/Clinique');
    expect(userDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/cfg' }, homedir: '/home/anne' })).toBe('/cfg/Clinique');
    expect(userDataDir({ platform: 'darwin', env: {}, homedir: '/Users/anne' })).toBe(
      '/Users/anne/Library/Application Support/Clinique',
    );
    expect(
      userDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\anne\\AppData\\Roaming' }, homedir: 'C:\\Users\\anne' }),
    ).toBe('C:\\Users\\anne\\AppData\\Roaming\\Clinique');
  });

  it('honours CLINIQUE_DATA_DIR', () => {
    expect(userDataDir({ platform: 'linux', env: { CLINIQUE_DATA_DIR: '/srv/clinique' }, homedir: '/root' })).toBe(
      '/srv/clinique',
    );
  });
});
