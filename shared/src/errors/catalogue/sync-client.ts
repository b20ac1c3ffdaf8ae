import type { Messages } from '../app-error';

export const SYNC_CLIENT_MESSAGES = {
  SYNC_CLIENT_OFFLINE: {
    fr: 'Serveur de synchronisation injoignable : vos modifications restent enregistrées sur ce poste et seront envoyées au retour du réseau.',
    de: 'Synchronisationsserver nicht erreichbar: Ihre Änderungen bleiben auf diesem Arbeitsplatz gespeichert und werden gesendet, sobald das Netzwerk wieder verfügbar ist.',
    en: 'Sync server unreachable: your changes stay saved on this workstation and will be sent when the network is back.',
  },
  SYNC_CLIENT_LOGIN_REQUIRED: {
    fr: 'Votre session de synchronisation a expiré : reconnectez-vous pour reprendre la synchronisation. Vos modifications locales sont conservées.',
    de: 'Ihre Synchronisationssitzung ist abgelaufen: Melden Sie sich erneut an, um die Synchronisation fortzusetzen. Ihre lokalen Änderungen bleiben erhalten.',
    en: 'Your sync session has expired: sign in again to resume syncing. Your local changes are kept.',
  },
  SYNC_CLIENT_SERVER_ERROR: {
    fr: 'Le serveur de synchronisation a répondu par une erreur (HTTP {{status}}). Nouvel essai automatique.',
    de: 'Der Synchronisationsserver hat mit einem Fehler geantwortet (HTTP {{status}}). Automatischer neuer Versuch.',
    en: 'The sync server answered with an error (HTTP {{status}}). Retrying automatically.',
  },
  SYNC_CLIENT_BAD_RESPONSE: {
    fr: 'Réponse inattendue du serveur de synchronisation ({{endpoint}}) : version incompatible ? Rien n’a été modifié sur ce poste.',
    de: 'Unerwartete Antwort des Synchronisationsservers ({{endpoint}}): inkompatible Version? Auf diesem Arbeitsplatz wurde nichts verändert.',
    en: 'Unexpected answer from the sync server ({{endpoint}}): incompatible version? Nothing was changed on this workstation.',
  },
  SYNC_CLIENT_PUSH_REJECTED: {
    fr: 'Le serveur a refusé une modification ({{collection}} {{documentId}}) : {{reason}}. Elle reste sur ce poste mais n’est pas partagée.',
    de: 'Der Server hat eine Änderung abgelehnt ({{collection}} {{documentId}}): {{reason}}. Sie bleibt auf diesem Arbeitsplatz, wird aber nicht geteilt.',
    en: 'The server refused a change ({{collection}} {{documentId}}): {{reason}}. It stays on this workstation but is not shared.',
  },
  SYNC_CLIENT_DOCUMENT_INVALID: {
    fr: 'Un document reçu du serveur est invalide ({{collection}} {{documentId}} : {{reason}}) ; il n’a pas été enregistré sur ce poste.',
    de: 'Ein vom Server empfangenes Dokument ist ungültig ({{collection}} {{documentId}}: {{reason}}); es wurde auf diesem Arbeitsplatz nicht gespeichert.',
    en: 'A document received from the server is invalid ({{collection}} {{documentId}}: {{reason}}); it was not saved on this workstation.',
  },
  SYNC_CLIENT_CONFLICT_NOT_FOUND: {
    fr: 'Ce conflit de synchronisation n’existe plus ou a déjà été résolu.',
    de: 'Dieser Synchronisationskonflikt existiert nicht mehr oder wurde bereits gelöst.',
    en: 'This sync conflict no longer exists or has already been resolved.',
  },
  SYNC_CLIENT_CONFLICT_DOCUMENT_MISSING: {
    fr: 'Le dossier concerné par ce conflit n’est plus sur ce poste ; le conflit ne peut pas être appliqué.',
    de: 'Das von diesem Konflikt betroffene Dokument ist nicht mehr auf diesem Arbeitsplatz; der Konflikt kann nicht angewendet werden.',
    en: 'The record this conflict concerns is no longer on this workstation; the conflict cannot be applied.',
  },
  SYNC_CLIENT_CLOSED: {
    fr: 'La synchronisation est arrêtée.',
    de: 'Die Synchronisation ist beendet.',
    en: 'Syncing has been stopped.',
  },
} as const satisfies Record<string, Messages>;
