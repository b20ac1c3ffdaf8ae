import type { Messages } from '../app-error';

export const AUDIT_MESSAGES = {
  AUDIT_EVENT_NOT_YOURS: {
    fr: 'Événement d’audit refusé : il vient d’un autre poste que la session qui l’envoie, ou d’un utilisateur qui ne s’est jamais connecté sur ce poste.',
    de: 'Audit-Ereignis abgelehnt: Es stammt von einem anderen Arbeitsplatz als die sendende Sitzung oder von einem Benutzer, der sich an diesem Arbeitsplatz nie angemeldet hat.',
    en: 'Audit event refused: it comes from another workstation than the session sending it, or from a user who never signed in on this workstation.',
  },
  AUDIT_LOG_APPEND_ONLY: {
    fr: 'Le journal d’audit ne peut être ni modifié ni effacé : seules des entrées nouvelles peuvent y être ajoutées.',
    de: 'Das Audit-Protokoll kann weder geändert noch gelöscht werden: Es können nur neue Einträge hinzugefügt werden.',
    en: 'The audit log can be neither changed nor erased: only new entries can be added.',
  },
  AUDIT_FORBIDDEN: {
    fr: 'Accès refusé : seul le délégué à la protection des données (DPO) peut consulter le journal d’audit.',
    de: 'Zugriff verweigert: Nur der Datenschutzbeauftragte darf das Audit-Protokoll einsehen.',
    en: 'Access denied: only the data protection officer (DPO) may read the audit log.',
  },
  AUDIT_PATIENT_REPORT_FORBIDDEN: {
    fr: 'Accès refusé : ce rapport est réservé au DPO et aux praticiens ayant accès au dossier de ce patient.',
    de: 'Zugriff verweigert: Dieser Bericht ist dem Datenschutzbeauftragten und den Behandelnden mit Zugriff auf diese Patientenakte vorbehalten.',
    en: 'Access denied: this report is reserved for the DPO and for practitioners with access to this patient’s record.',
  },
  AUDIT_RANGE_INVALID: {
    fr: 'Période invalide : la date de début doit précéder la date de fin.',
    de: 'Ungültiger Zeitraum: Das Anfangsdatum muss vor dem Enddatum liegen.',
    en: 'Invalid period: the start must come before the end.',
  },
  AUDIT_CHAIN_BROKEN: {
    fr: 'Le journal d’audit a été altéré : première entrée incohérente n° {{sequence}} ({{kind}}).',
    de: 'Das Audit-Protokoll wurde verändert: erster inkonsistenter Eintrag Nr. {{sequence}} ({{kind}}).',
    en: 'The audit log has been tampered with: first inconsistent entry no. {{sequence}} ({{kind}}).',
  },
  AUDIT_CHECKPOINT_SIGNATURE_INVALID: {
    fr: 'La signature du point de contrôle du journal d’audit est invalide.',
    de: 'Die Signatur des Prüfpunkts des Audit-Protokolls ist ungültig.',
    en: 'The signature of the audit log checkpoint is invalid.',
  },
  AUDIT_CHECKPOINT_KEY_UNKNOWN: {
    fr: 'Le point de contrôle est signé par une clé inconnue de ce serveur ({{keyId}}).',
    de: 'Der Prüfpunkt ist mit einem diesem Server unbekannten Schlüssel signiert ({{keyId}}).',
    en: 'The checkpoint is signed by a key this server does not know ({{keyId}}).',
  },
  AUDIT_CHECKPOINT_HEAD_MISMATCH: {
    fr: 'Le journal d’audit ne correspond plus au point de contrôle signé n° {{sequence}} : des entrées ont été modifiées ou supprimées.',
    de: 'Das Audit-Protokoll stimmt nicht mehr mit dem signierten Prüfpunkt Nr. {{sequence}} überein: Einträge wurden geändert oder gelöscht.',
    en: 'The audit log no longer matches signed checkpoint no. {{sequence}}: entries were changed or removed.',
  },
  AUDIT_CHECKPOINT_NONE: {
    fr: 'Aucun point de contrôle signé n’existe encore pour le journal d’audit.',
    de: 'Für das Audit-Protokoll gibt es noch keinen signierten Prüfpunkt.',
    en: 'No signed checkpoint exists yet for the audit log.',
  },
  AUDIT_CLI_USAGE: {
    fr: 'Commande d’audit invalide : {{detail}}',
    de: 'Ungültiger Audit-Befehl: {{detail}}',
    en: 'Invalid audit command: {{detail}}',
  },
} as const satisfies Record<string, Messages>;
