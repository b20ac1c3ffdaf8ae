import type { Messages } from '../app-error';

export const STORAGE_MESSAGES = {
  STORAGE_INVALID_KEY: {
    fr: 'La clé de chiffrement de la base locale est invalide.',
    de: 'Der Schlüssel der lokalen Datenbank ist ungültig.',
    en: 'The local database encryption key is invalid.',
  },
  STORAGE_OPEN_FAILED: {
    fr: 'La base de données locale n’a pas pu être ouverte.',
    de: 'Die lokale Datenbank konnte nicht geöffnet werden.',
    en: 'The local database could not be opened.',
  },
  STORAGE_WRONG_KEY_OR_CORRUPT: {
    fr: 'La base de données locale est illisible : clé incorrecte ou fichier endommagé. Rien n’a été modifié.',
    de: 'Die lokale Datenbank ist nicht lesbar: falscher Schlüssel oder beschädigte Datei. Nichts wurde verändert.',
    en: 'The local database cannot be read: wrong key or damaged file. Nothing was changed.',
  },
} as const satisfies Record<string, Messages>;
