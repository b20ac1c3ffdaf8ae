// Pure decisions of `npm start` (scripts/start.mjs), tested in launch-plan.test.ts: which
// shell to start, whether to start a local sync server, and what its child processes get.
import path from 'node:path';

/** Where the launcher keeps the local sync server (SQLite, signing key) in the app data folder. */
export const LOCAL_SERVER_DIR = 'sync-server';
/** The server's SQLite file in that folder (sync-server/src/db: SQLITE_FILE_NAME). */
export const LOCAL_SERVER_DATABASE = 'sync.sqlite';
/** Port and workstation id of the local server, kept between launches (no secret). */
export const LOCAL_SERVER_STATE = 'launcher.json';
/** The first user's credentials, written once (0600) so the first-run setup can log in. */
export const FIRST_USER_FILE = 'first-user.json';

/**
 * An 11-digit RPPS number whose last digit is the Luhn key of the first ten (the server
 * requires an RPPS for a practitioner and warns on a bad key).
 * @param {string} first10
 */
export function rppsWithKey(first10) {
  if (!/^[0-9]{10}$/.test(first10)) throw new Error('ten digits expected');
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    // From the right of the final 11 digits, every second digit (starting with the one left of the key) is doubled.
    let d = Number(first10[9 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return `${first10}${(10 - (sum % 10)) % 10}`;
}

export const FIRST_USER = Object.freeze({
  username: 'medecin',
  role: 'practitioner',
  displayName: 'Médecin local',
  // A made-up number for the local demonstration server, not a real practitioner's.
  rpps: rppsWithKey('1999999999'),
});
export const LOCAL_WORKSTATION_NAME = 'poste-local';

/**
 * @param {string[]} argv
 * @returns {{ browser: boolean, port: number | undefined, noSyncServer: boolean, help: boolean, rendererDir: string | undefined }}
 */
export function parseStartArgs(argv) {
  const options = { browser: false, port: undefined, noSyncServer: false, help: false, rendererDir: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--browser') options.browser = true;
    else if (arg === '--no-sync-server') options.noSyncServer = true;
    else if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg === '--port') {
      const value = Number(argv[i + 1]);
      if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error('--port needs a number from 0 to 65535');
      options.port = value;
      i++;
    } else if (arg === '--renderer-dir') {
      const value = argv[i + 1];
      if (!value) throw new Error('--renderer-dir needs a folder');
      options.rendererDir = path.resolve(value);
      i++;
    } else throw new Error(`unknown argument: ${arg}`);
  }
  return options;
}

/**
 * Electron when its runtime binary is installed (and not overridden), browser mode otherwise.
 * @param {{ electronInstalled: boolean, forceBrowser: boolean, env: Record<string, string | undefined> }} input
 * @returns {{ shell: 'electron' | 'browser', reason: 'forced' | 'env' | 'no-runtime' | 'runtime' }}
 */
export function chooseShell({ electronInstalled, forceBrowser, env }) {
  if (forceBrowser) return { shell: 'browser', reason: 'forced' };
  if (env.CLINIQUE_BROWSER_MODE === '1') return { shell: 'browser', reason: 'env' };
  if (!electronInstalled) return { shell: 'browser', reason: 'no-runtime' };
  return { shell: 'electron', reason: 'runtime' };
}

/**
 * The Electron executable from the electron package's files (path.txt names it inside
 * dist/), or undefined when the binary was never downloaded. Never requires 'electron'.
 * @param {string} electronPackageDir
 * @param {{ exists: (file: string) => boolean, read: (file: string) => string }} files
 */
export function electronExecutable(electronPackageDir, files) {
  const pathFile = path.join(electronPackageDir, 'path.txt');
  if (!files.exists(pathFile)) return undefined;
  const relative = files.read(pathFile).trim();
  if (relative === '' || relative.includes('..')) return undefined;
  const executable = path.join(electronPackageDir, 'dist', relative);
  return files.exists(executable) ? executable : undefined;
}

/**
 * Whether to run a local sync server. A server named in CLINIQUE_SYNC_URL is used as is. A
 * data folder that already has the local server keeps it. A fresh data folder (no vault yet)
 * gets one, so the app comes up connected. A vault without a local server was set up
 * another way (a clinic server, or offline): nothing is started.
 * @param {{ env: Record<string, string | undefined>, noSyncServer: boolean, localServerExists: boolean, vaultExists: boolean }} input
 * @returns {{ kind: 'configured', url: string } | { kind: 'local', reason: 'fresh' | 'existing' } | { kind: 'none', reason: 'disabled' | 'vault-without-local-server' }}
 */
export function syncServerPlan({ env, noSyncServer, localServerExists, vaultExists }) {
  const url = env.CLINIQUE_SYNC_URL;
  if (url) return { kind: 'configured', url };
  if (noSyncServer) return { kind: 'none', reason: 'disabled' };
  if (localServerExists) return { kind: 'local', reason: 'existing' };
  if (!vaultExists) return { kind: 'local', reason: 'fresh' };
  return { kind: 'none', reason: 'vault-without-local-server' };
}

/** Settings of the sync server the launcher's environment must not leak into the local one. */
const SERVER_ENV = ['HOST', 'PORT', 'DATA_DIR', 'DATABASE_URL', 'DATABASE_SCHEMA', 'LOG_LEVEL', 'METRICS_TOKEN', 'BODY_LIMIT'];

/**
 * Command line and environment of the local sync server (and of its CLI commands): always
 * SQLite in the data folder, on 127.0.0.1, whatever the caller's environment says.
 * @param {{ root: string, nodePath: string, dir: string, port: number, env: Record<string, string | undefined>, command?: string[] }} input
 */
export function syncServerCommand({ root, nodePath, dir, port, env, command = [] }) {
  const childEnv = Object.fromEntries(Object.entries(env).filter(([name]) => !SERVER_ENV.includes(name)));
  return {
    file: nodePath,
    args: [
      '--import',
      'tsx',
      path.join(root, 'sync-server/src/cli/main.ts'),
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--data-dir',
      dir,
      '--log-level',
      'warn',
      ...command,
    ],
    env: childEnv,
  };
}

/**
 * Usernames of the active users in the output of `user list` (tab-separated lines:
 * username, role, display name, rpps, state).
 * @param {string} output
 */
export function activeUsers(output) {
  return output
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((cols) => cols.length >= 5 && cols[4] === 'active')
    .map((cols) => cols[0]);
}

/**
 * The workstation id printed by `workstation register` ("… registered: id <id>").
 * @param {string} output
 */
export function registeredWorkstationId(output) {
  const match = /registered: id (\S+)/.exec(output);
  return match?.[1];
}

/**
 * Parses the launcher state file; anything damaged gives undefined (a fresh port is chosen).
 * @param {string | undefined} text
 * @returns {{ port: number, workstationId?: string } | undefined}
 */
export function parseLocalServerState(text) {
  if (text === undefined) return undefined;
  try {
    const json = JSON.parse(text);
    if (typeof json !== 'object' || json === null) return undefined;
    if (!Number.isInteger(json.port) || json.port < 1 || json.port > 65535) return undefined;
    const state = { port: json.port };
    if (typeof json.workstationId === 'string' && /^[\w-]{1,128}$/.test(json.workstationId)) state.workstationId = json.workstationId;
    return state;
  } catch {
    return undefined;
  }
}

/**
 * Environment of the app (Electron or browser mode) for a sync server plan.
 * @param {Record<string, string | undefined>} env
 * @param {{ dataDir: string, syncUrl?: string, workstationId?: string }} input
 */
export function appEnv(env, { dataDir, syncUrl, workstationId }) {
  const out = { ...env, CLINIQUE_DATA_DIR: dataDir };
  if (syncUrl) out.CLINIQUE_SYNC_URL = syncUrl;
  if (workstationId) out.CLINIQUE_WORKSTATION_ID = workstationId;
  return out;
}

/** The launcher's terminal messages, in the language of LANG (French by default, as the workstation CLI). */
const MESSAGES = {
  building: {
    fr: 'Construction de l’interface (dist/renderer)…',
    de: 'Die Oberfläche wird gebaut (dist/renderer)…',
    en: 'Building the user interface (dist/renderer)…',
  },
  localServer: {
    fr: 'Serveur de synchronisation local : {url} (SQLite dans {dir})',
    de: 'Lokaler Synchronisationsserver: {url} (SQLite in {dir})',
    en: 'Local sync server: {url} (SQLite in {dir})',
  },
  localServerAgain: {
    fr: 'Serveur de synchronisation local : {url} (SQLite dans {dir} ; identifiants du premier utilisateur dans {file})',
    de: 'Lokaler Synchronisationsserver: {url} (SQLite in {dir}; Zugangsdaten des ersten Benutzers in {file})',
    en: 'Local sync server: {url} (SQLite in {dir}; first user’s credentials in {file})',
  },
  firstUser: {
    fr: 'Premier utilisateur du serveur local : connectez-vous avec ces identifiants dans l’application\n(affichés une seule fois ; conservés dans {file}, lisible par vous seul) :',
    de: 'Erster Benutzer des lokalen Servers: Melden Sie sich mit diesen Zugangsdaten in der Anwendung an\n(nur einmal angezeigt; aufbewahrt in {file}, nur für Sie lesbar):',
    en: 'First user of the local sync server: log in with these in the app\n(shown once; kept in {file}, readable by you only):',
  },
  username: { fr: '  identifiant : {value}', de: '  Benutzername: {value}', en: '  username: {value}' },
  password: { fr: '  mot de passe : {value}', de: '  Passwort: {value}', en: '  password: {value}' },
  configuredServer: {
    fr: 'Serveur de synchronisation : {url} (CLINIQUE_SYNC_URL)',
    de: 'Synchronisationsserver: {url} (CLINIQUE_SYNC_URL)',
    en: 'Sync server: {url} (CLINIQUE_SYNC_URL)',
  },
  electron: { fr: 'Clinique démarre dans Electron.', de: 'Clinique startet in Electron.', en: 'Clinique is starting in Electron.' },
  noRuntime: {
    fr: 'Le moteur Electron n’est pas installé (node_modules/electron n’a pas de binaire) : démarrage en MODE NAVIGATEUR.',
    de: 'Die Electron-Laufzeit ist nicht installiert (node_modules/electron hat keine Binärdatei): Start im BROWSER-MODUS.',
    en: 'The Electron runtime is not installed (node_modules/electron has no binary): starting BROWSER MODE instead.',
  },
  browserAsked: {
    fr: 'Démarrage en MODE NAVIGATEUR (demandé).',
    de: 'Start im BROWSER-MODUS (angefordert).',
    en: 'Starting BROWSER MODE (asked for).',
  },
  open: {
    fr: 'Ouvrez cette adresse dans Chromium, Chrome, Edge ou Firefox sur cet ordinateur (elle contient le secret de ce lancement) :\n  {url}',
    de: 'Öffnen Sie diese Adresse in Chromium, Chrome, Edge oder Firefox auf diesem Computer (sie enthält das Geheimnis dieses Starts):\n  {url}',
    en: 'Open this address in Chromium, Chrome, Edge or Firefox on this computer (it carries this launch’s secret):\n  {url}',
  },
  ctrlC: {
    fr: 'Ctrl+C arrête l’application (le coffre est verrouillé).',
    de: 'Strg+C beendet die Anwendung (der Tresor wird gesperrt).',
    en: 'Ctrl+C stops the app (the vault is locked).',
  },
  stopping: { fr: '{signal} : arrêt…', de: '{signal}: wird beendet…', en: '{signal}: stopping…' },
  stopped: { fr: 'Arrêté.', de: 'Beendet.', en: 'Stopped.' },
  failed: { fr: 'Échec du démarrage : {message}', de: 'Start fehlgeschlagen: {message}', en: 'npm start failed: {message}' },
};

/**
 * @param {Record<string, string | undefined>} env
 * @returns {'fr' | 'de' | 'en'}
 */
export function launcherLanguage(env) {
  const lang = (env.LC_ALL || env.LC_MESSAGES || env.LANG || '').toLowerCase().slice(0, 2);
  return lang === 'de' || lang === 'en' ? lang : 'fr';
}

/**
 * @param {'fr' | 'de' | 'en'} language
 * @param {keyof typeof MESSAGES} key
 * @param {Record<string, string>} [params]
 */
export function launcherText(language, key, params = {}) {
  return MESSAGES[key][language].replace(/\{(\w+)\}/g, (_, name) => params[name] ?? `{${name}}`);
}

export const LAUNCHER_MESSAGE_KEYS = Object.keys(MESSAGES);
