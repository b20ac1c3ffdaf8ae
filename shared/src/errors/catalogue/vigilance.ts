import type { Messages } from '../app-error';

/** Identity vigilance (merge, unmerge, duplicates) and the DPO's review of break-the-glass accesses. */
export const VIGILANCE_MESSAGES = {
  IDENTITY_MERGE_SAME_PATIENT: {
    fr: 'Fusion impossible : les deux identités sont la même.',
    de: 'Zusammenführung nicht möglich: Beide Identitäten sind dieselbe.',
    en: 'Cannot merge: both identities are the same.',
  },
  IDENTITY_MERGE_PATIENT_NOT_FOUND: {
    fr: 'Fusion impossible : l’une des deux identités est introuvable sur le serveur (pas encore synchronisée, ou supprimée).',
    de: 'Zusammenführung nicht möglich: Eine der beiden Identitäten ist auf dem Server nicht vorhanden (noch nicht synchronisiert oder gelöscht).',
    en: 'Cannot merge: one of the two identities is not on the server (not synchronised yet, or deleted).',
  },
  IDENTITY_MERGE_ALREADY_MERGED: {
    fr: 'Fusion impossible : l’une des deux identités a déjà été fusionnée. Annulez d’abord cette fusion.',
    de: 'Zusammenführung nicht möglich: Eine der beiden Identitäten wurde bereits zusammengeführt. Machen Sie diese Zusammenführung zuerst rückgängig.',
    en: 'Cannot merge: one of the two identities was already merged. Undo that merge first.',
  },
  IDENTITY_MERGE_FORBIDDEN: {
    fr: 'Accès refusé : fusionner des identités demande l’accès aux deux dossiers (praticien autorisé ou secrétariat).',
    de: 'Zugriff verweigert: Das Zusammenführen von Identitäten erfordert Zugriff auf beide Akten (berechtigte Behandelnde oder Sekretariat).',
    en: 'Access denied: merging identities needs access to both records (a granted practitioner or the secretariat).',
  },
  IDENTITY_MERGE_NOT_FOUND: {
    fr: 'Cette fusion est introuvable.',
    de: 'Diese Zusammenführung wurde nicht gefunden.',
    en: 'This merge was not found.',
  },
  IDENTITY_MERGE_ALREADY_UNDONE: {
    fr: 'Cette fusion a déjà été annulée.',
    de: 'Diese Zusammenführung wurde bereits rückgängig gemacht.',
    en: 'This merge was already undone.',
  },
  IDENTITY_SERVER_REQUIRED: {
    fr: 'La fusion d’identités se fait sur le serveur du cabinet : connectez-vous au serveur pour fusionner ou annuler une fusion.',
    de: 'Identitäten werden auf dem Server der Praxis zusammengeführt: Melden Sie sich am Server an, um zusammenzuführen oder rückgängig zu machen.',
    en: 'Identities are merged on the clinic’s server: sign in to the server to merge or undo a merge.',
  },
  BREAK_GLASS_NOT_FOUND: {
    fr: 'Cet accès en urgence (bris de glace) est introuvable.',
    de: 'Dieser Notfallzugriff („Break-the-Glass“) wurde nicht gefunden.',
    en: 'This break-the-glass access was not found.',
  },
  BREAK_GLASS_ALREADY_REVIEWED: {
    fr: 'Cet accès en urgence a déjà été revu.',
    de: 'Dieser Notfallzugriff wurde bereits geprüft.',
    en: 'This break-the-glass access was already reviewed.',
  },
  AUDIT_EXPORT_CANCELLED: {
    fr: 'Export annulé : aucun fichier n’a été enregistré.',
    de: 'Export abgebrochen: Es wurde keine Datei gespeichert.',
    en: 'Export cancelled: no file was saved.',
  },
  AUDIT_CHECKPOINT_KEY_CHANGED: {
    fr: 'Attention : la clé qui signe le journal d’audit n’est plus celle que ce poste a enregistrée ({{expected}} attendue, {{actual}} reçue). Prévenez le service informatique.',
    de: 'Achtung: Der Schlüssel, der das Audit-Protokoll signiert, ist nicht mehr der auf diesem Arbeitsplatz gespeicherte ({{expected}} erwartet, {{actual}} erhalten). Informieren Sie die IT.',
    en: 'Warning: the key signing the audit log is no longer the one this workstation recorded ({{expected}} expected, {{actual}} received). Tell IT.',
  },
} as const satisfies Record<string, Messages>;
