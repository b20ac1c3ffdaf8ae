import type { Language } from '../../../shared/src/errors';
import { interpolate, LANGUAGES } from '../../../shared/src/errors';

/** Texts of the workstation command line, French first like the app. */
const MESSAGES = {
  usage: {
    fr: 'Usage : clinique [start | status | backup <fichier> | restore <fichier> | change-passphrase]\n  start              ouvre (ou crée) le coffre local et le garde ouvert jusqu’à Ctrl+C\n  status             état du coffre, sans phrase de passe\n  backup <fichier>   sauvegarde chiffrée du coffre\n  restore <fichier>  restaure une sauvegarde dans un dossier de coffre vide\n  change-passphrase  change la phrase de passe (la base n’est pas rechiffrée)\nDossier du coffre : {{dir}} (variable CLINIQUE_DATA_DIR pour un autre dossier)',
    de: 'Aufruf: clinique [start | status | backup <Datei> | restore <Datei> | change-passphrase]\n  start              öffnet (oder erstellt) den lokalen Tresor und hält ihn bis Strg+C offen\n  status             Zustand des Tresors, ohne Passphrase\n  backup <Datei>     verschlüsselte Sicherung des Tresors\n  restore <Datei>    stellt eine Sicherung in einem leeren Tresorordner wieder her\n  change-passphrase  ändert die Passphrase (die Datenbank wird nicht neu verschlüsselt)\nTresorordner: {{dir}} (Variable CLINIQUE_DATA_DIR für einen anderen Ordner)',
    en: 'Usage: clinique [start | status | backup <file> | restore <file> | change-passphrase]\n  start              opens (or creates) the local vault and keeps it open until Ctrl+C\n  status             vault status, no passphrase needed\n  backup <file>      encrypted backup of the vault\n  restore <file>     restores a backup into an empty vault folder\n  change-passphrase  changes the passphrase (the database is not re-encrypted)\nVault folder: {{dir}} (set CLINIQUE_DATA_DIR for another folder)',
  },
  electronMissing: {
    fr: 'Le moteur Electron n’est pas installé sur ce poste : l’application démarre en mode console.',
    de: 'Die Electron-Laufzeit ist auf diesem Arbeitsplatz nicht installiert: die Anwendung startet im Konsolenmodus.',
    en: 'The Electron runtime is not installed on this workstation: the application starts in console mode.',
  },
  firstRun: {
    fr: 'Première utilisation : aucun coffre dans {{dir}}. Choisissez la phrase de passe qui protégera les dossiers patients (au moins {{min}} caractères).',
    de: 'Erste Verwendung: kein Tresor in {{dir}}. Wählen Sie die Passphrase, die die Patientenakten schützt (mindestens {{min}} Zeichen).',
    en: 'First run: no vault in {{dir}}. Choose the passphrase that will protect patient records (at least {{min}} characters).',
  },
  promptPassphrase: { fr: 'Phrase de passe : ', de: 'Passphrase: ', en: 'Passphrase: ' },
  promptNewPassphrase: { fr: 'Nouvelle phrase de passe : ', de: 'Neue Passphrase: ', en: 'New passphrase: ' },
  promptConfirm: { fr: 'Confirmez la phrase de passe : ', de: 'Passphrase bestätigen: ', en: 'Confirm the passphrase: ' },
  promptOld: { fr: 'Phrase de passe actuelle : ', de: 'Aktuelle Passphrase: ', en: 'Current passphrase: ' },
  mismatch: {
    fr: 'Les deux saisies diffèrent. Rien n’a été créé ni modifié.',
    de: 'Die beiden Eingaben stimmen nicht überein. Nichts wurde erstellt oder geändert.',
    en: 'The two entries differ. Nothing was created or changed.',
  },
  strength: {
    fr: 'Robustesse estimée : {{score}}/4 (≈ {{bits}} bits).',
    de: 'Geschätzte Stärke: {{score}}/4 (≈ {{bits}} Bit).',
    en: 'Estimated strength: {{score}}/4 (≈ {{bits}} bits).',
  },
  created: {
    fr: 'Coffre créé ({{id}}). Sans la phrase de passe, les données sont irrécupérables : conservez-la et faites des sauvegardes.',
    de: 'Tresor erstellt ({{id}}). Ohne die Passphrase sind die Daten nicht wiederherstellbar: bewahren Sie sie auf und erstellen Sie Sicherungen.',
    en: 'Vault created ({{id}}). Without the passphrase the data cannot be recovered: keep it safe and make backups.',
  },
  failures: {
    fr: 'Tentatives échouées depuis le dernier déverrouillage : {{count}}.',
    de: 'Fehlversuche seit der letzten Entsperrung: {{count}}.',
    en: 'Failed attempts since the last unlock: {{count}}.',
  },
  ready: {
    fr: 'Coffre ouvert : {{db}}',
    de: 'Tresor geöffnet: {{db}}',
    en: 'Vault open: {{db}}',
  },
  count: { fr: '  {{collection}} : {{count}}', de: '  {{collection}}: {{count}}', en: '  {{collection}}: {{count}}' },
  waiting: {
    fr: 'Prêt. Ctrl+C verrouille le coffre et quitte.',
    de: 'Bereit. Strg+C sperrt den Tresor und beendet.',
    en: 'Ready. Ctrl+C locks the vault and quits.',
  },
  locked: { fr: 'Coffre verrouillé.', de: 'Tresor gesperrt.', en: 'Vault locked.' },
  status: {
    fr: 'Coffre {{id}}, créé le {{created}}\n  Dérivation : Argon2id, {{memory}} Mio, {{iterations}} passes\n  Trousseau du système : {{keystore}}\n  Tentatives échouées : {{failures}}{{retry}}',
    de: 'Tresor {{id}}, erstellt am {{created}}\n  Schlüsselableitung: Argon2id, {{memory}} MiB, {{iterations}} Durchläufe\n  Schlüsselbund des Systems: {{keystore}}\n  Fehlversuche: {{failures}}{{retry}}',
    en: 'Vault {{id}}, created {{created}}\n  Key derivation: Argon2id, {{memory}} MiB, {{iterations}} passes\n  OS keystore: {{keystore}}\n  Failed attempts: {{failures}}{{retry}}',
  },
  keystoreNone: { fr: 'non utilisé', de: 'nicht verwendet', en: 'not used' },
  retry: { fr: ' (prochain essai dans {{s}} s)', de: ' (nächster Versuch in {{s}} s)', en: ' (next try in {{s}} s)' },
  backupDone: {
    fr: 'Sauvegarde chiffrée écrite : {{file}}',
    de: 'Verschlüsselte Sicherung geschrieben: {{file}}',
    en: 'Encrypted backup written: {{file}}',
  },
  restoreDone: {
    fr: 'Sauvegarde restaurée dans {{dir}} (coffre {{id}}).',
    de: 'Sicherung wiederhergestellt in {{dir}} (Tresor {{id}}).',
    en: 'Backup restored into {{dir}} (vault {{id}}).',
  },
  passphraseChanged: {
    fr: 'Phrase de passe changée.',
    de: 'Passphrase geändert.',
    en: 'Passphrase changed.',
  },
  missingArgument: {
    fr: 'Argument manquant : {{name}}.',
    de: 'Fehlendes Argument: {{name}}.',
    en: 'Missing argument: {{name}}.',
  },
  error: { fr: 'Erreur [{{code}}] : {{message}}', de: 'Fehler [{{code}}]: {{message}}', en: 'Error [{{code}}]: {{message}}' },
} as const satisfies Record<string, Record<Language, string>>;

export type CliMessage = keyof typeof MESSAGES;

export function cliText(language: Language, key: CliMessage, params?: Record<string, string | number>): string {
  return interpolate(MESSAGES[key][language], params);
}

/** fr unless the locale says de or en (LC_ALL, LC_MESSAGES, LANG, as POSIX orders them). */
export function languageFromEnv(env: Readonly<Record<string, string | undefined>>): Language {
  const locale = env['CLINIQUE_LANG'] || env['LC_ALL'] || env['LC_MESSAGES'] || env['LANG'] || '';
  const code = locale.slice(0, 2).toLowerCase();
  return (LANGUAGES as readonly string[]).includes(code) ? (code as Language) : 'fr';
}

export const CLI_MESSAGES = MESSAGES;
