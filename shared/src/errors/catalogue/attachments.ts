import type { Messages } from '../app-error';

/** Files of documents (images, scans) between workstations and the sync server. */
export const ATTACHMENTS_MESSAGES = {
  SYNC_ATTACHMENT_UNKNOWN: {
    fr: 'Ce fichier n’appartient à aucun document connu du serveur (le document n’est peut-être pas encore synchronisé).',
    de: 'Diese Datei gehört zu keinem dem Server bekannten Dokument (das Dokument ist möglicherweise noch nicht synchronisiert).',
    en: 'This file belongs to no document the server knows (the document may not be synchronised yet).',
  },
  SYNC_ATTACHMENT_NOT_UPLOADED: {
    fr: 'Ce fichier n’est pas encore sur le serveur : le poste qui l’a importé doit se synchroniser.',
    de: 'Diese Datei ist noch nicht auf dem Server: Der Arbeitsplatz, der sie importiert hat, muss sich synchronisieren.',
    en: 'This file is not on the server yet: the workstation that imported it must synchronise.',
  },
  SYNC_ATTACHMENT_OFFSET: {
    fr: 'Envoi du fichier désynchronisé : il reprendra à l’octet {{received}}.',
    de: 'Dateiübertragung nicht synchron: Sie wird ab Byte {{received}} fortgesetzt.',
    en: 'File upload out of step: it will resume at byte {{received}}.',
  },
  SYNC_ATTACHMENT_TOO_LARGE: {
    fr: 'Fichier ou fragment trop volumineux pour le serveur.',
    de: 'Datei oder Teilstück zu groß für den Server.',
    en: 'File or chunk too large for the server.',
  },
  SYNC_ATTACHMENT_DIGEST: {
    fr: 'Le fichier reçu ne correspond pas à son empreinte : il a été écarté et sera renvoyé.',
    de: 'Die empfangene Datei entspricht nicht ihrer Prüfsumme: Sie wurde verworfen und wird erneut gesendet.',
    en: 'The file received does not match its digest: it was discarded and will be sent again.',
  },
} as const satisfies Record<string, Messages>;
