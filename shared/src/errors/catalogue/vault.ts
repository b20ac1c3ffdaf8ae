import type { Messages } from '../app-error';

/**
 * Errors of the local vault (key management of the encrypted database). Params never hold
 * a secret: only counts, delays, sizes, version numbers and backend names.
 */
export const VAULT_MESSAGES = {
  VAULT_NOT_FOUND: {
    fr: 'Aucun coffre de données n’existe à cet emplacement.',
    de: 'An diesem Ort existiert kein Datentresor.',
    en: 'No data vault exists at this location.',
  },
  VAULT_ALREADY_EXISTS: {
    fr: 'Un coffre de données existe déjà à cet emplacement. Il n’a pas été modifié.',
    de: 'An diesem Ort existiert bereits ein Datentresor. Er wurde nicht verändert.',
    en: 'A data vault already exists at this location. It was not changed.',
  },
  VAULT_CREATE_FAILED: {
    fr: 'Le coffre de données n’a pas pu être créé. Aucun fichier partiel n’a été laissé.',
    de: 'Der Datentresor konnte nicht erstellt werden. Es wurden keine unvollständigen Dateien hinterlassen.',
    en: 'The data vault could not be created. No partial file was left behind.',
  },
  VAULT_KEYFILE_MISSING: {
    fr: 'Le fichier de clés du coffre est introuvable. La base de données n’a pas été touchée : restaurez le fichier de clés ou une sauvegarde.',
    de: 'Die Schlüsseldatei des Tresors fehlt. Die Datenbank wurde nicht verändert: Stellen Sie die Schlüsseldatei oder eine Sicherung wieder her.',
    en: 'The vault key file is missing. The database was not touched: restore the key file or a backup.',
  },
  VAULT_KEYFILE_CORRUPT: {
    fr: 'Le fichier de clés du coffre est endommagé. Rien n’a été modifié : restaurez une sauvegarde.',
    de: 'Die Schlüsseldatei des Tresors ist beschädigt. Nichts wurde verändert: Stellen Sie eine Sicherung wieder her.',
    en: 'The vault key file is damaged. Nothing was changed: restore a backup.',
  },
  VAULT_KEYFILE_UNSUPPORTED_VERSION: {
    fr: 'Le fichier de clés du coffre est au format {{version}}, que cette version du logiciel ne sait pas lire. Mettez le logiciel à jour.',
    de: 'Die Schlüsseldatei des Tresors hat das Format {{version}}, das diese Softwareversion nicht lesen kann. Bitte aktualisieren Sie die Software.',
    en: 'The vault key file uses format {{version}}, which this version of the software cannot read. Please update the software.',
  },
  VAULT_KEYFILE_WRITE_FAILED: {
    fr: 'Le fichier de clés du coffre n’a pas pu être enregistré. L’ancien fichier est intact.',
    de: 'Die Schlüsseldatei des Tresors konnte nicht gespeichert werden. Die bisherige Datei ist unverändert.',
    en: 'The vault key file could not be saved. The previous file is intact.',
  },
  VAULT_DATABASE_MISSING: {
    fr: 'La base de données du coffre est introuvable. Aucune base vide n’a été créée à sa place : restaurez une sauvegarde.',
    de: 'Die Datenbank des Tresors fehlt. Es wurde keine leere Datenbank an ihrer Stelle angelegt: Stellen Sie eine Sicherung wieder her.',
    en: 'The vault database is missing. No empty database was created in its place: restore a backup.',
  },
  VAULT_DATABASE_CORRUPT: {
    fr: 'La base de données du coffre est illisible avec la clé du coffre : fichier endommagé ou remplacé. Rien n’a été modifié : restaurez une sauvegarde.',
    de: 'Die Datenbank des Tresors ist mit dem Tresorschlüssel nicht lesbar: Datei beschädigt oder ersetzt. Nichts wurde verändert: Stellen Sie eine Sicherung wieder her.',
    en: 'The vault database cannot be read with the vault key: the file is damaged or was replaced. Nothing was changed: restore a backup.',
  },
  VAULT_WRONG_PASSPHRASE: {
    fr: 'Phrase de passe incorrecte ({{failures}} échec(s) consécutif(s)). Prochain essai possible dans {{retryAfterSeconds}} s.',
    de: 'Falsche Passphrase ({{failures}} aufeinanderfolgende Fehlversuche). Nächster Versuch in {{retryAfterSeconds}} s möglich.',
    en: 'Wrong passphrase ({{failures}} consecutive failure(s)). Next attempt possible in {{retryAfterSeconds}} s.',
  },
  VAULT_UNLOCK_THROTTLED: {
    fr: 'Trop d’essais infructueux ({{failures}}). Réessayez dans {{retryAfterSeconds}} s.',
    de: 'Zu viele Fehlversuche ({{failures}}). Bitte versuchen Sie es in {{retryAfterSeconds}} s erneut.',
    en: 'Too many failed attempts ({{failures}}). Try again in {{retryAfterSeconds}} s.',
  },
  VAULT_PASSPHRASE_TOO_SHORT: {
    fr: 'La phrase de passe doit comporter au moins {{min}} caractères.',
    de: 'Die Passphrase muss mindestens {{min}} Zeichen lang sein.',
    en: 'The passphrase must be at least {{min}} characters long.',
  },
  VAULT_PASSPHRASE_TOO_WEAK: {
    fr: 'Cette phrase de passe est trop facile à deviner. Utilisez plusieurs mots sans lien entre eux.',
    de: 'Diese Passphrase ist zu leicht zu erraten. Verwenden Sie mehrere Wörter ohne Zusammenhang.',
    en: 'This passphrase is too easy to guess. Use several unrelated words.',
  },
  VAULT_PASSPHRASE_UNCHANGED: {
    fr: 'La nouvelle phrase de passe doit être différente de l’actuelle.',
    de: 'Die neue Passphrase muss sich von der bisherigen unterscheiden.',
    en: 'The new passphrase must differ from the current one.',
  },
  VAULT_KDF_PARAMS_INVALID: {
    fr: 'Les paramètres de dérivation de clé demandés sont hors des limites autorisées.',
    de: 'Die angeforderten Parameter der Schlüsselableitung liegen außerhalb der zulässigen Grenzen.',
    en: 'The requested key-derivation parameters are outside the allowed limits.',
  },
  VAULT_LOCKED: {
    fr: 'Le coffre est verrouillé. Déverrouillez-le pour continuer.',
    de: 'Der Tresor ist gesperrt. Entsperren Sie ihn, um fortzufahren.',
    en: 'The vault is locked. Unlock it to continue.',
  },
  VAULT_KEYSTORE_UNAVAILABLE: {
    fr: 'Le trousseau sécurisé du système n’est pas disponible sur ce poste. Utilisez la phrase de passe.',
    de: 'Der sichere Schlüsselspeicher des Systems ist auf diesem Arbeitsplatz nicht verfügbar. Verwenden Sie die Passphrase.',
    en: 'The operating system’s secure keystore is not available on this workstation. Use the passphrase.',
  },
  VAULT_KEYSTORE_INSECURE: {
    fr: 'Le trousseau du système ({{backend}}) stockerait la clé sans protection réelle ; il n’est pas utilisé. Utilisez la phrase de passe.',
    de: 'Der Schlüsselspeicher des Systems ({{backend}}) würde den Schlüssel ohne echten Schutz speichern; er wird nicht verwendet. Verwenden Sie die Passphrase.',
    en: 'The system keystore ({{backend}}) would store the key without real protection, so it is not used. Use the passphrase.',
  },
  VAULT_KEYSTORE_NOT_ENABLED: {
    fr: 'Le déverrouillage par le trousseau du système n’est pas activé pour ce coffre. Utilisez la phrase de passe.',
    de: 'Das Entsperren über den Schlüsselspeicher des Systems ist für diesen Tresor nicht aktiviert. Verwenden Sie die Passphrase.',
    en: 'Unlocking with the system keystore is not enabled for this vault. Use the passphrase.',
  },
  VAULT_KEYSTORE_UNWRAP_FAILED: {
    fr: 'Le trousseau du système n’a pas pu déverrouiller le coffre (autre poste ou autre session ?). Utilisez la phrase de passe.',
    de: 'Der Schlüsselspeicher des Systems konnte den Tresor nicht entsperren (anderer Arbeitsplatz oder andere Sitzung?). Verwenden Sie die Passphrase.',
    en: 'The system keystore could not unlock the vault (another workstation or user session?). Use the passphrase.',
  },
  VAULT_BACKUP_FAILED: {
    fr: 'La sauvegarde du coffre a échoué. Aucun fichier de sauvegarde partiel n’a été laissé.',
    de: 'Die Sicherung des Tresors ist fehlgeschlagen. Es wurde keine unvollständige Sicherungsdatei hinterlassen.',
    en: 'The vault backup failed. No partial backup file was left behind.',
  },
  VAULT_BACKUP_DESTINATION_EXISTS: {
    fr: 'Un fichier existe déjà à l’emplacement de sauvegarde choisi. Il n’a pas été écrasé.',
    de: 'Am gewählten Sicherungsort existiert bereits eine Datei. Sie wurde nicht überschrieben.',
    en: 'A file already exists at the chosen backup location. It was not overwritten.',
  },
  VAULT_BACKUP_NOT_FOUND: {
    fr: 'Le fichier de sauvegarde est introuvable ou illisible. Rien n’a été restauré.',
    de: 'Die Sicherungsdatei wurde nicht gefunden oder ist nicht lesbar. Nichts wurde wiederhergestellt.',
    en: 'The backup file cannot be found or read. Nothing was restored.',
  },
  VAULT_BACKUP_WRONG_PASSPHRASE: {
    fr: 'Cette phrase de passe n’ouvre pas la sauvegarde. Saisissez celle qui était en vigueur au moment de la sauvegarde. Rien n’a été restauré.',
    de: 'Diese Passphrase öffnet die Sicherung nicht. Geben Sie die Passphrase ein, die zum Zeitpunkt der Sicherung galt. Nichts wurde wiederhergestellt.',
    en: 'This passphrase does not open the backup. Enter the passphrase that was in use when the backup was made. Nothing was restored.',
  },
  VAULT_BACKUP_CORRUPT: {
    fr: 'Le fichier de sauvegarde est endommagé, tronqué ou a été modifié. Rien n’a été restauré et le coffre actuel est intact.',
    de: 'Die Sicherungsdatei ist beschädigt, abgeschnitten oder wurde verändert. Nichts wurde wiederhergestellt, der aktuelle Tresor ist unverändert.',
    en: 'The backup file is damaged, truncated or was modified. Nothing was restored and the current vault is intact.',
  },
  VAULT_BACKUP_UNSUPPORTED_VERSION: {
    fr: 'Le fichier de sauvegarde est au format {{version}}, que cette version du logiciel ne sait pas lire. Rien n’a été restauré.',
    de: 'Die Sicherungsdatei hat das Format {{version}}, das diese Softwareversion nicht lesen kann. Nichts wurde wiederhergestellt.',
    en: 'The backup file uses format {{version}}, which this version of the software cannot read. Nothing was restored.',
  },
  VAULT_RESTORE_FAILED: {
    fr: 'La restauration n’a pas pu être terminée. Le coffre actuel est intact.',
    de: 'Die Wiederherstellung konnte nicht abgeschlossen werden. Der aktuelle Tresor ist unverändert.',
    en: 'The restore could not be completed. The current vault is intact.',
  },
} as const satisfies Record<string, Messages>;
