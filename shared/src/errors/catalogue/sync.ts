import type { Messages } from '../app-error';

export const SYNC_MESSAGES = {
  SYNC_DATABASE_NEWER: {
    fr: 'La base du serveur a été mise à jour par une version plus récente (migration {{migration}}). Installez cette version du serveur.',
    de: 'Die Serverdatenbank wurde von einer neueren Version aktualisiert (Migration {{migration}}). Installieren Sie diese Serverversion.',
    en: 'The server database was upgraded by a newer version (migration {{migration}}). Install that server version.',
  },
  SYNC_DATABASE_UNAVAILABLE: {
    fr: 'La base de données du serveur est injoignable. Réessayez dans un instant.',
    de: 'Die Datenbank des Servers ist nicht erreichbar. Versuchen Sie es gleich noch einmal.',
    en: 'The server database cannot be reached. Try again in a moment.',
  },
  SYNC_WRITE_DENIED: {
    fr: 'Vous n’avez pas le droit de modifier ce document ; la modification a été refusée.',
    de: 'Sie dürfen dieses Dokument nicht ändern; die Änderung wurde abgelehnt.',
    en: 'You may not change this document; the change was refused.',
  },
  SYNC_COLLECTION_PUSH_ONLY: {
    fr: 'La collection « {{collection}} » est envoyée au serveur mais jamais redistribuée.',
    de: 'Die Sammlung „{{collection}}“ wird an den Server gesendet, aber nie zurückverteilt.',
    en: 'The collection "{{collection}}" is sent to the server but never distributed back.',
  },
  SYNC_COLLECTION_UNKNOWN: {
    fr: 'Collection inconnue du serveur de synchronisation : « {{collection}} ».',
    de: 'Dem Synchronisationsserver unbekannte Sammlung: „{{collection}}“.',
    en: 'Collection unknown to the sync server: "{{collection}}".',
  },
  SYNC_PATIENT_CHANGED: {
    fr: 'Un document ne peut pas changer de patient ; la modification a été refusée.',
    de: 'Ein Dokument kann nicht den Patienten wechseln; die Änderung wurde abgelehnt.',
    en: 'A document cannot move to another patient; the change was refused.',
  },
  SYNC_ID_MISMATCH: {
    fr: 'L’état supposé et le nouvel état ne désignent pas le même document.',
    de: 'Angenommener und neuer Zustand bezeichnen nicht dasselbe Dokument.',
    en: 'The assumed and the new state do not name the same document.',
  },
  SYNC_DUPLICATE_ROW: {
    fr: 'Le même document apparaît deux fois dans un envoi ; seule la première ligne est traitée.',
    de: 'Dasselbe Dokument erscheint zweimal in einer Sendung; nur die erste Zeile wird verarbeitet.',
    en: 'The same document appears twice in one push; only the first row is processed.',
  },
  SYNC_BODY_TOO_LARGE: {
    fr: 'La requête est trop volumineuse (limite : {{limit}} octets).',
    de: 'Die Anfrage ist zu groß (Grenze: {{limit}} Bytes).',
    en: 'The request is too large (limit: {{limit}} bytes).',
  },
  SYNC_BATCH_TOO_LARGE: {
    fr: 'Trop de documents dans un seul envoi (limite : {{limit}}).',
    de: 'Zu viele Dokumente in einer Sendung (Grenze: {{limit}}).',
    en: 'Too many documents in one push (limit: {{limit}}).',
  },
  SYNC_BODY_INVALID: {
    fr: 'Le contenu de la requête est invalide ; rien n’a été enregistré.',
    de: 'Der Inhalt der Anfrage ist ungültig; nichts wurde gespeichert.',
    en: 'The request content is invalid; nothing was saved.',
  },
  SYNC_BODY_TOO_DEEP: {
    fr: 'Le contenu de la requête est trop imbriqué (profondeur maximale : {{limit}}).',
    de: 'Der Inhalt der Anfrage ist zu tief verschachtelt (maximale Tiefe: {{limit}}).',
    en: 'The request content is nested too deeply (maximum depth: {{limit}}).',
  },
  SYNC_UNSUPPORTED_MEDIA_TYPE: {
    fr: 'Type de contenu non accepté : le serveur attend du JSON.',
    de: 'Nicht akzeptierter Inhaltstyp: Der Server erwartet JSON.',
    en: 'Unsupported content type: the server expects JSON.',
  },
  SYNC_NOT_FOUND: {
    fr: 'Adresse inconnue du serveur de synchronisation.',
    de: 'Dem Synchronisationsserver unbekannte Adresse.',
    en: 'Address unknown to the sync server.',
  },
  SYNC_METHOD_NOT_ALLOWED: {
    fr: 'Méthode non acceptée pour cette adresse.',
    de: 'Methode für diese Adresse nicht zulässig.',
    en: 'Method not allowed for this address.',
  },
  SYNC_METRICS_DISABLED: {
    fr: 'Les métriques sont désactivées sur ce serveur : définissez METRICS_TOKEN pour les activer.',
    de: 'Die Metriken sind auf diesem Server deaktiviert: Setzen Sie METRICS_TOKEN, um sie zu aktivieren.',
    en: 'Metrics are disabled on this server: set METRICS_TOKEN to enable them.',
  },
  SYNC_METRICS_UNAUTHORIZED: {
    fr: 'Accès aux métriques refusé : le jeton (Authorization: Bearer) est absent ou incorrect.',
    de: 'Zugriff auf die Metriken verweigert: Das Token (Authorization: Bearer) fehlt oder ist falsch.',
    en: 'Access to the metrics refused: the token (Authorization: Bearer) is missing or wrong.',
  },
  SYNC_SHUTTING_DOWN: {
    fr: 'Le serveur de synchronisation redémarre ; la requête sera réessayée.',
    de: 'Der Synchronisationsserver startet neu; die Anfrage wird wiederholt.',
    en: 'The sync server is restarting; the request will be retried.',
  },
  SYNC_TOO_MANY_STREAMS: {
    fr: 'Trop de connexions en direct ouvertes (limite : {{limit}}).',
    de: 'Zu viele offene Live-Verbindungen (Grenze: {{limit}}).',
    en: 'Too many live connections open (limit: {{limit}}).',
  },
  SYNC_UNAUTHENTICATED: {
    fr: 'Session absente ou expirée : reconnectez-vous.',
    de: 'Sitzung fehlt oder ist abgelaufen: Bitte erneut anmelden.',
    en: 'Missing or expired session: sign in again.',
  },
  SYNC_INTERNAL_ERROR: {
    fr: 'Erreur interne du serveur de synchronisation ; rien n’a été enregistré.',
    de: 'Interner Fehler des Synchronisationsservers; nichts wurde gespeichert.',
    en: 'Internal error of the sync server; nothing was saved.',
  },
  SYNC_CONFIG_INVALID: {
    fr: 'Configuration du serveur invalide : {{field}}.',
    de: 'Ungültige Serverkonfiguration: {{field}}.',
    en: 'Invalid server configuration: {{field}}.',
  },
} as const satisfies Record<string, Messages>;
