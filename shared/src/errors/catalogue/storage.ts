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
  STORAGE_INVALID_NAME: {
    fr: 'Nom de collection ou de base invalide pour la base locale : « {{name}} ».',
    de: 'Ungültiger Sammlungs- oder Datenbankname für die lokale Datenbank: „{{name}}“.',
    en: 'Invalid collection or database name for the local database: "{{name}}".',
  },
  STORAGE_CLOSED: {
    fr: 'La base de données locale est déjà fermée.',
    de: 'Die lokale Datenbank ist bereits geschlossen.',
    en: 'The local database is already closed.',
  },
  STORAGE_DISK_FULL: {
    fr: 'Le disque est plein : l’enregistrement a été annulé, rien n’a été écrit.',
    de: 'Der Datenträger ist voll: Der Speichervorgang wurde abgebrochen, nichts wurde geschrieben.',
    en: 'The disk is full: the save was cancelled and nothing was written.',
  },
  STORAGE_BUSY: {
    fr: 'La base de données locale est utilisée par un autre programme. Fermez-le puis réessayez.',
    de: 'Die lokale Datenbank wird von einem anderen Programm verwendet. Schließen Sie es und versuchen Sie es erneut.',
    en: 'The local database is in use by another program. Close it and try again.',
  },
  STORAGE_READ_ONLY: {
    fr: 'La base de données locale est en lecture seule : rien n’a été écrit.',
    de: 'Die lokale Datenbank ist schreibgeschützt: Nichts wurde geschrieben.',
    en: 'The local database is read-only: nothing was written.',
  },
  STORAGE_IO_ERROR: {
    fr: 'Erreur de lecture ou d’écriture du disque sur la base locale. Rien n’a été modifié.',
    de: 'Lese- oder Schreibfehler des Datenträgers bei der lokalen Datenbank. Nichts wurde verändert.',
    en: 'A disk read or write error occurred on the local database. Nothing was changed.',
  },
  STORAGE_WRITE_FAILED: {
    fr: 'L’enregistrement dans la base locale a échoué ; rien n’a été écrit.',
    de: 'Das Speichern in der lokalen Datenbank ist fehlgeschlagen; nichts wurde geschrieben.',
    en: 'Saving to the local database failed; nothing was written.',
  },
  STORAGE_READ_FAILED: {
    fr: 'La lecture de la base de données locale a échoué.',
    de: 'Das Lesen der lokalen Datenbank ist fehlgeschlagen.',
    en: 'Reading the local database failed.',
  },
  STORAGE_ATTACHMENT_MISSING: {
    fr: 'La pièce jointe « {{attachmentId}} » est introuvable dans la base locale.',
    de: 'Der Anhang „{{attachmentId}}“ wurde in der lokalen Datenbank nicht gefunden.',
    en: 'The attachment "{{attachmentId}}" was not found in the local database.',
  },
  STORAGE_INDEX_UNKNOWN: {
    fr: 'La requête utilise un index inconnu de la base locale : {{index}}.',
    de: 'Die Abfrage verwendet einen der lokalen Datenbank unbekannten Index: {{index}}.',
    en: 'The query uses an index the local database does not know: {{index}}.',
  },
  STORAGE_WORKER_CRASHED: {
    fr: 'Le moteur de la base de données locale s’est arrêté de façon inattendue (code {{exitCode}}). Aucune écriture n’est restée à moitié faite ; redémarrez l’application.',
    de: 'Die lokale Datenbank-Engine wurde unerwartet beendet (Code {{exitCode}}). Kein Schreibvorgang wurde nur halb ausgeführt; starten Sie die Anwendung neu.',
    en: 'The local database engine stopped unexpectedly (code {{exitCode}}). No write was left half-done; restart the application.',
  },
  STORAGE_WORKER_START_FAILED: {
    fr: 'Le moteur de la base de données locale n’a pas pu démarrer. Rien n’a été modifié.',
    de: 'Die lokale Datenbank-Engine konnte nicht gestartet werden. Nichts wurde verändert.',
    en: 'The local database engine could not start. Nothing was changed.',
  },
  STORAGE_OPERATION_FAILED: {
    fr: 'L’opération « {{operation}} » sur la base de données locale a échoué ; rien n’a été modifié.',
    de: 'Der Vorgang „{{operation}}“ in der lokalen Datenbank ist fehlgeschlagen; nichts wurde verändert.',
    en: 'The operation “{{operation}}” on the local database failed; nothing was changed.',
  },
} as const satisfies Record<string, Messages>;
