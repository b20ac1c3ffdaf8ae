import type { Messages } from '../app-error';

/**
 * Errors of the desktop app's host (API layer, setup, settings, profile) and the codes of
 * form field issues (shared/src/api/envelope.ts: FIELD_ISSUE_CODES). Params never hold
 * what the user typed: only limits, names of settings and roles.
 */
export const APP_MESSAGES = {
  APP_INTERNAL_ERROR: {
    fr: 'Une erreur interne est survenue. L’opération n’a pas abouti ; réessayez, et signalez le problème s’il se répète.',
    de: 'Ein interner Fehler ist aufgetreten. Der Vorgang wurde nicht abgeschlossen; versuchen Sie es erneut und melden Sie das Problem, falls es wieder auftritt.',
    en: 'An internal error occurred. The operation did not complete; try again, and report the problem if it happens again.',
  },
  API_CHANNEL_UNKNOWN: {
    fr: 'Demande inconnue de l’application. Rechargez la fenêtre ou mettez le logiciel à jour.',
    de: 'Unbekannte Anfrage an die Anwendung. Laden Sie das Fenster neu oder aktualisieren Sie die Software.',
    en: 'Unknown request to the application. Reload the window or update the software.',
  },
  API_REQUEST_INVALID: {
    fr: 'Certaines informations saisies sont invalides. Corrigez les champs signalés.',
    de: 'Einige Eingaben sind ungültig. Bitte korrigieren Sie die markierten Felder.',
    en: 'Some of the information entered is invalid. Correct the highlighted fields.',
  },
  APP_PROFILE_REQUIRED: {
    fr: 'Aucun profil n’est configuré sur ce poste : connectez-vous au serveur ou créez un profil local.',
    de: 'Auf diesem Arbeitsplatz ist kein Profil eingerichtet: Melden Sie sich am Server an oder legen Sie ein lokales Profil an.',
    en: 'No profile is set up on this workstation: log in to the server or create a local profile.',
  },
  APP_PROFILE_EXISTS: {
    fr: 'Un utilisateur du serveur est déjà enregistré sur ce poste ; un profil local ne peut plus le remplacer.',
    de: 'Auf diesem Arbeitsplatz ist bereits ein Serverbenutzer eingetragen; ein lokales Profil kann ihn nicht mehr ersetzen.',
    en: 'A server user is already registered on this workstation; a local profile can no longer replace it.',
  },
  APP_PROFILE_CORRUPT: {
    fr: 'Le profil enregistré sur ce poste est illisible. Reconnectez-vous ou recréez le profil local.',
    de: 'Das auf diesem Arbeitsplatz gespeicherte Profil ist unlesbar. Melden Sie sich erneut an oder legen Sie das lokale Profil neu an.',
    en: 'The profile stored on this workstation cannot be read. Log in again or create the local profile again.',
  },
  APP_SETTINGS_CORRUPT: {
    fr: 'Le fichier des réglages ({{file}}) est invalide. Les réglages par défaut sont utilisés ; enregistrez-les à nouveau pour le remplacer.',
    de: 'Die Einstellungsdatei ({{file}}) ist ungültig. Es gelten die Standardeinstellungen; speichern Sie sie erneut, um die Datei zu ersetzen.',
    en: 'The settings file ({{file}}) is invalid. Default settings are used; save them again to replace it.',
  },
  APP_POLICY_INVALID: {
    fr: 'La configuration imposée par le service informatique ({{file}}) est invalide (champ {{field}}). L’application ne démarre pas tant qu’elle n’est pas corrigée : contactez votre service informatique.',
    de: 'Die von der IT-Abteilung vorgegebene Konfiguration ({{file}}) ist ungültig (Feld {{field}}). Die Anwendung startet erst, wenn sie korrigiert ist: Wenden Sie sich an Ihre IT-Abteilung.',
    en: 'The configuration set by your IT department ({{file}}) is invalid (field {{field}}). The application does not start until it is corrected: contact your IT department.',
  },
  APP_SETTING_SET_BY_POLICY: {
    fr: 'Ce réglage ({{field}}) est défini par votre service informatique et ne peut pas être modifié sur ce poste.',
    de: 'Diese Einstellung ({{field}}) wird von Ihrer IT-Abteilung festgelegt und kann an diesem Arbeitsplatz nicht geändert werden.',
    en: 'This setting ({{field}}) is set by your IT department and cannot be changed on this workstation.',
  },
  APP_SETTINGS_WRITE_FAILED: {
    fr: 'Les réglages n’ont pas pu être enregistrés. Les réglages précédents restent en vigueur.',
    de: 'Die Einstellungen konnten nicht gespeichert werden. Die bisherigen Einstellungen bleiben gültig.',
    en: 'The settings could not be saved. The previous settings remain in effect.',
  },
  APP_SERVER_NOT_CONFIGURED: {
    fr: 'Aucun serveur de synchronisation n’est configuré. Indiquez son adresse dans les réglages.',
    de: 'Es ist kein Synchronisationsserver eingerichtet. Geben Sie seine Adresse in den Einstellungen an.',
    en: 'No sync server is configured. Enter its address in the settings.',
  },
  APP_WORKSTATION_NOT_CONFIGURED: {
    fr: 'Ce poste n’a pas d’identifiant de poste de travail pour le serveur. Demandez-le au service informatique.',
    de: 'Dieser Arbeitsplatz hat keine Arbeitsplatzkennung für den Server. Bitte fragen Sie die IT-Abteilung danach.',
    en: 'This workstation has no workstation id for the server. Ask your IT department for it.',
  },
  APP_VAULT_BUSY: {
    fr: 'Le coffre est en cours d’ouverture ou de fermeture. Patientez un instant.',
    de: 'Der Tresor wird gerade geöffnet oder geschlossen. Bitte warten Sie einen Moment.',
    en: 'The vault is being opened or closed. Please wait a moment.',
  },
  APP_VAULT_ALREADY_UNLOCKED: {
    fr: 'Le coffre est déjà déverrouillé.',
    de: 'Der Tresor ist bereits entsperrt.',
    en: 'The vault is already unlocked.',
  },
  APP_CLOSED: {
    fr: 'L’application est en cours de fermeture.',
    de: 'Die Anwendung wird gerade beendet.',
    en: 'The application is shutting down.',
  },
  VALIDATION_REQUIRED: {
    fr: 'Ce champ est obligatoire.',
    de: 'Dieses Feld ist erforderlich.',
    en: 'This field is required.',
  },
  VALIDATION_TYPE: {
    fr: 'Valeur d’un type inattendu.',
    de: 'Wert eines unerwarteten Typs.',
    en: 'Value of an unexpected type.',
  },
  VALIDATION_TOO_SHORT: {
    fr: 'Au moins {{min}} caractères.',
    de: 'Mindestens {{min}} Zeichen.',
    en: 'At least {{min}} characters.',
  },
  VALIDATION_TOO_LONG: {
    fr: 'Au plus {{max}} caractères.',
    de: 'Höchstens {{max}} Zeichen.',
    en: 'At most {{max}} characters.',
  },
  VALIDATION_TOO_FEW: {
    fr: 'Au moins {{min}} élément(s).',
    de: 'Mindestens {{min}} Element(e).',
    en: 'At least {{min}} item(s).',
  },
  VALIDATION_TOO_MANY: {
    fr: 'Au plus {{max}} élément(s).',
    de: 'Höchstens {{max}} Element(e).',
    en: 'At most {{max}} item(s).',
  },
  VALIDATION_TOO_SMALL: {
    fr: 'La valeur doit être au moins {{min}}.',
    de: 'Der Wert muss mindestens {{min}} betragen.',
    en: 'The value must be at least {{min}}.',
  },
  VALIDATION_TOO_BIG: {
    fr: 'La valeur doit être au plus {{max}}.',
    de: 'Der Wert darf höchstens {{max}} betragen.',
    en: 'The value must be at most {{max}}.',
  },
  VALIDATION_FORMAT: {
    fr: 'Format invalide.',
    de: 'Ungültiges Format.',
    en: 'Invalid format.',
  },
  VALIDATION_DATE: {
    fr: 'Date invalide.',
    de: 'Ungültiges Datum.',
    en: 'Invalid date.',
  },
  VALIDATION_DATE_TIME: {
    fr: 'Date et heure invalides.',
    de: 'Ungültiges Datum oder ungültige Uhrzeit.',
    en: 'Invalid date and time.',
  },
  VALIDATION_EMAIL: {
    fr: 'Adresse électronique invalide.',
    de: 'Ungültige E-Mail-Adresse.',
    en: 'Invalid email address.',
  },
  VALIDATION_URL: {
    fr: 'Adresse invalide : elle doit commencer par http:// ou https://.',
    de: 'Ungültige Adresse: Sie muss mit http:// oder https:// beginnen.',
    en: 'Invalid address: it must start with http:// or https://.',
  },
  VALIDATION_VALUE: {
    fr: 'Valeur non autorisée.',
    de: 'Unzulässiger Wert.',
    en: 'Value not allowed.',
  },
  VALIDATION_UNKNOWN_FIELD: {
    fr: 'Champ inconnu.',
    de: 'Unbekanntes Feld.',
    en: 'Unknown field.',
  },
  VALIDATION_INVALID: {
    fr: 'Valeur invalide.',
    de: 'Ungültiger Wert.',
    en: 'Invalid value.',
  },
} as const satisfies Record<string, Messages>;
