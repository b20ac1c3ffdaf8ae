import type { Messages } from '../app-error';

/** Patients' rights (GDPR Articles 16, 17, 18, 30): erasure, restriction, rectification, legal holds. */
export const RIGHTS_MESSAGES = {
  RIGHTS_ERASURE_REFUSED_RETENTION: {
    fr: 'Effacement refusé : la durée légale de conservation du dossier court jusqu’au {{keptUntil}} inclus (RGPD art. 17(3)(b) et (c)).',
    de: 'Löschung abgelehnt: Die gesetzliche Aufbewahrungsfrist der Akte läuft bis einschließlich {{keptUntil}} (DSGVO Art. 17 Abs. 3 Buchst. b und c).',
    en: 'Erasure refused: the record’s legal retention runs until {{keptUntil}} inclusive (GDPR Art. 17(3)(b) and (c)).',
  },
  RIGHTS_ERASURE_REFUSED_HOLD: {
    fr: 'Effacement refusé : le dossier fait l’objet d’une conservation pour motif juridique (RGPD art. 17(3)(e)).',
    de: 'Löschung abgelehnt: Für die Akte besteht eine Aufbewahrung aus rechtlichen Gründen (DSGVO Art. 17 Abs. 3 Buchst. e).',
    en: 'Erasure refused: the record is under a legal hold (GDPR Art. 17(3)(e)).',
  },
  RIGHTS_PATIENT_RESTRICTED: {
    fr: 'Dossier gelé (limitation du traitement, RGPD art. 18) : aucune modification n’est possible tant que la limitation n’est pas levée.',
    de: 'Akte gesperrt (Einschränkung der Verarbeitung, DSGVO Art. 18): Keine Änderung möglich, solange die Einschränkung besteht.',
    en: 'Record frozen (restriction of processing, GDPR Art. 18): no change is possible until the restriction is lifted.',
  },
  RIGHTS_PATIENT_ERASED: {
    fr: 'Ce dossier a été effacé à la demande du patient : il ne peut plus être modifié ni recréé.',
    de: 'Diese Akte wurde auf Verlangen des Patienten gelöscht: Sie kann weder geändert noch neu angelegt werden.',
    en: 'This record was erased at the patient’s request: it can no longer be changed or recreated.',
  },
  RIGHTS_PATIENT_UNKNOWN: {
    fr: 'Patient inconnu du serveur de synchronisation.',
    de: 'Patient dem Synchronisationsserver unbekannt.',
    en: 'Patient unknown to the sync server.',
  },
  RIGHTS_FORBIDDEN: {
    fr: 'Action réservée : {{allowed}}.',
    de: 'Aktion vorbehalten für: {{allowed}}.',
    en: 'Action reserved for: {{allowed}}.',
  },
  RIGHTS_NOT_FOUND: {
    fr: 'Élément introuvable (demande, limitation ou conservation pour motif juridique).',
    de: 'Eintrag nicht gefunden (Antrag, Einschränkung oder Aufbewahrung aus rechtlichen Gründen).',
    en: 'Item not found (request, restriction or legal hold).',
  },
  RIGHTS_ALREADY_ACTIVE: {
    fr: 'Une limitation ou une conservation pour motif juridique est déjà active sur ce dossier.',
    de: 'Für diese Akte besteht bereits eine Einschränkung oder Aufbewahrung aus rechtlichen Gründen.',
    en: 'A restriction or legal hold is already active on this record.',
  },
  RIGHTS_RECTIFICATION_FIELD: {
    fr: 'Ce champ ne peut pas être rectifié ici : {{field}}. Une note clinique signée se corrige par un avenant.',
    de: 'Dieses Feld kann hier nicht berichtigt werden: {{field}}. Ein signierter klinischer Eintrag wird durch einen Nachtrag korrigiert.',
    en: 'This field cannot be rectified here: {{field}}. A signed clinical entry is corrected with an addendum.',
  },
  RIGHTS_RECTIFICATION_INVALID: {
    fr: 'La rectification donnerait une identité invalide ({{detail}}).',
    de: 'Die Berichtigung ergäbe eine ungültige Identität ({{detail}}).',
    en: 'The rectification would make the identity invalid ({{detail}}).',
  },
  RIGHTS_CLI_USAGE: {
    fr: 'Commande invalide : {{detail}}',
    de: 'Ungültiger Befehl: {{detail}}',
    en: 'Invalid command: {{detail}}',
  },
} as const satisfies Record<string, Messages>;
