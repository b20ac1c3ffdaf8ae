import type { Messages } from '../app-error';

/** HL7 v2 import (shared/src/hl7, main/src/interop), the quarantine list, FHIR/PDF/HL7 exports. */
export const INTEROP_MESSAGES = {
  // ---- reading a message (parseHl7)
  HL7_EMPTY: {
    fr: 'Le message HL7 est vide.',
    de: 'Die HL7-Nachricht ist leer.',
    en: 'The HL7 message is empty.',
  },
  HL7_NOT_TEXT: {
    fr: 'Ce contenu n’est pas un message HL7 (ni texte ni octets).',
    de: 'Dieser Inhalt ist keine HL7-Nachricht (weder Text noch Bytes).',
    en: 'This content is not an HL7 message (neither text nor bytes).',
  },
  HL7_TOO_LARGE: {
    fr: 'Le message HL7 dépasse la taille admise ({{max}} caractères) : il n’a pas été lu.',
    de: 'Die HL7-Nachricht überschreitet die zulässige Größe ({{max}} Zeichen): Sie wurde nicht gelesen.',
    en: 'The HL7 message exceeds the allowed size ({{max}} characters): it was not read.',
  },
  HL7_MSH_MISSING: {
    fr: 'Le message ne commence pas par un segment MSH : ce n’est pas un message HL7 v2.',
    de: 'Die Nachricht beginnt nicht mit einem MSH-Segment: Es ist keine HL7-v2-Nachricht.',
    en: 'The message does not start with an MSH segment: it is not an HL7 v2 message.',
  },
  HL7_SEPARATORS_INVALID: {
    fr: 'Les séparateurs déclarés dans MSH-1 et MSH-2 sont invalides (absents, répétés ou non imprimables).',
    de: 'Die in MSH-1 und MSH-2 angegebenen Trennzeichen sind ungültig (fehlend, doppelt oder nicht druckbar).',
    en: 'The separators declared in MSH-1 and MSH-2 are invalid (missing, repeated or unprintable).',
  },
  HL7_TOO_MANY_SEGMENTS: {
    fr: 'Le message HL7 contient plus de {{max}} segments : il n’a pas été lu.',
    de: 'Die HL7-Nachricht enthält mehr als {{max}} Segmente: Sie wurde nicht gelesen.',
    en: 'The HL7 message has more than {{max}} segments: it was not read.',
  },
  HL7_SEGMENT_INVALID: {
    fr: 'La ligne {{line}} du message HL7 n’est pas un segment valide (nom ou séparateur incorrect).',
    de: 'Zeile {{line}} der HL7-Nachricht ist kein gültiges Segment (Name oder Trennzeichen falsch).',
    en: 'Line {{line}} of the HL7 message is not a valid segment (wrong name or separator).',
  },
  HL7_FIELD_TOO_LONG: {
    fr: 'Le champ {{segment}}-{{field}} dépasse la limite admise ({{max}}) : le message n’a pas été lu.',
    de: 'Das Feld {{segment}}-{{field}} überschreitet die zulässige Grenze ({{max}}): Die Nachricht wurde nicht gelesen.',
    en: 'Field {{segment}}-{{field}} exceeds the allowed limit ({{max}}): the message was not read.',
  },
  HL7_TOO_MANY_FIELDS: {
    fr: 'Le segment {{segment}} a plus de {{max}} champs : le message n’a pas été lu.',
    de: 'Das Segment {{segment}} hat mehr als {{max}} Felder: Die Nachricht wurde nicht gelesen.',
    en: 'Segment {{segment}} has more than {{max}} fields: the message was not read.',
  },
  HL7_CHARSET_UNSUPPORTED: {
    fr: 'Le jeu de caractères « {{charset}} » (MSH-18) n’est pas pris en charge (UNICODE UTF-8, 8859/1 ou 8859/15 attendus).',
    de: 'Der Zeichensatz „{{charset}}“ (MSH-18) wird nicht unterstützt (erwartet: UNICODE UTF-8, 8859/1 oder 8859/15).',
    en: 'The character set “{{charset}}” (MSH-18) is not supported (UNICODE UTF-8, 8859/1 or 8859/15 expected).',
  },
  HL7_ENCODING_INVALID: {
    fr: 'Le contenu du message ne correspond pas au jeu de caractères annoncé ({{charset}}).',
    de: 'Der Inhalt der Nachricht entspricht nicht dem angegebenen Zeichensatz ({{charset}}).',
    en: 'The message content does not match the announced character set ({{charset}}).',
  },
  // ---- reading its content
  HL7_SEGMENT_MISSING: {
    fr: 'Le segment obligatoire {{segment}} manque au message.',
    de: 'Das Pflichtsegment {{segment}} fehlt in der Nachricht.',
    en: 'The required segment {{segment}} is missing from the message.',
  },
  HL7_FIELD_MISSING: {
    fr: 'Le champ obligatoire {{segment}}-{{field}} est vide.',
    de: 'Das Pflichtfeld {{segment}}-{{field}} ist leer.',
    en: 'The required field {{segment}}-{{field}} is empty.',
  },
  HL7_MESSAGE_TYPE_UNSUPPORTED: {
    fr: 'Le type de message {{type}} n’est pas pris en charge (ORU^R01, ADT^A28 et ADT^A31 le sont).',
    de: 'Der Nachrichtentyp {{type}} wird nicht unterstützt (unterstützt: ORU^R01, ADT^A28, ADT^A31).',
    en: 'Message type {{type}} is not supported (ORU^R01, ADT^A28 and ADT^A31 are).',
  },
  HL7_VERSION_UNSUPPORTED: {
    fr: 'La version HL7 {{version}} n’est pas prise en charge (2.3 à 2.9).',
    de: 'Die HL7-Version {{version}} wird nicht unterstützt (2.3 bis 2.9).',
    en: 'HL7 version {{version}} is not supported (2.3 to 2.9).',
  },
  HL7_DATE_INVALID: {
    fr: 'La date du champ {{segment}}-{{field}} est invalide.',
    de: 'Das Datum im Feld {{segment}}-{{field}} ist ungültig.',
    en: 'The date in field {{segment}}-{{field}} is invalid.',
  },
  HL7_OBSERVATION_NOT_LOINC: {
    fr: 'Le résultat n° {{index}} (code {{code}}) n’est pas codé en LOINC : le message est mis en quarantaine.',
    de: 'Das Ergebnis Nr. {{index}} (Code {{code}}) ist nicht LOINC-codiert: Die Nachricht wurde in Quarantäne gestellt.',
    en: 'Result no. {{index}} (code {{code}}) is not LOINC-coded: the message was quarantined.',
  },
  HL7_OBSERVATION_LOINC_INVALID: {
    fr: 'Le code LOINC {{code}} du résultat n° {{index}} est invalide (format ou chiffre de contrôle).',
    de: 'Der LOINC-Code {{code}} des Ergebnisses Nr. {{index}} ist ungültig (Format oder Prüfziffer).',
    en: 'LOINC code {{code}} of result no. {{index}} is invalid (format or check digit).',
  },
  HL7_OBSERVATION_TYPE_UNSUPPORTED: {
    fr: 'Le type de valeur {{type}} du résultat n° {{index}} n’est pas pris en charge.',
    de: 'Der Werttyp {{type}} des Ergebnisses Nr. {{index}} wird nicht unterstützt.',
    en: 'Value type {{type}} of result no. {{index}} is not supported.',
  },
  HL7_OBSERVATION_VALUE_INVALID: {
    fr: 'La valeur du résultat n° {{index}} ne correspond pas à son type ({{type}}).',
    de: 'Der Wert des Ergebnisses Nr. {{index}} passt nicht zu seinem Typ ({{type}}).',
    en: 'The value of result no. {{index}} does not match its type ({{type}}).',
  },
  HL7_OBSERVATION_UNIT_INVALID: {
    fr: 'L’unité du résultat n° {{index}} n’est pas une unité UCUM valide.',
    de: 'Die Einheit des Ergebnisses Nr. {{index}} ist keine gültige UCUM-Einheit.',
    en: 'The unit of result no. {{index}} is not a valid UCUM unit.',
  },
  // ---- matching and quarantine
  HL7_PATIENT_UNMATCHED: {
    fr: 'Aucun patient ne correspond (ni INS/NIR, ni nom, date de naissance et sexe) : message mis en quarantaine.',
    de: 'Kein Patient passt (weder INS/NIR noch Name, Geburtsdatum und Geschlecht): Nachricht in Quarantäne.',
    en: 'No patient matches (neither INS/NIR nor name, birth date and sex): message quarantined.',
  },
  HL7_PATIENT_CONFIRMATION_REQUIRED: {
    fr: 'Un patient correspond par nom, date de naissance et sexe seulement : une personne doit confirmer le rattachement.',
    de: 'Ein Patient passt nur nach Name, Geburtsdatum und Geschlecht: Eine Person muss die Zuordnung bestätigen.',
    en: 'A patient matches by name, birth date and sex only: a person must confirm the attachment.',
  },
  HL7_PATIENT_AMBIGUOUS: {
    fr: 'Plusieurs patients correspondent à cette identité : une personne doit choisir le bon dossier.',
    de: 'Mehrere Patienten passen zu dieser Identität: Eine Person muss die richtige Akte wählen.',
    en: 'Several patients match this identity: a person must choose the right record.',
  },
  HL7_PATIENT_INS_CONFLICT: {
    fr: 'L’INS du message diffère de celui du dossier choisi : rattachement refusé (vigilance d’identité).',
    de: 'Die INS der Nachricht weicht von der der gewählten Akte ab: Zuordnung abgelehnt (Identitätsvigilanz).',
    en: 'The message’s INS differs from the chosen record’s: attachment refused (identity vigilance).',
  },
  HL7_IDENTITY_QUALIFIED_DIFFERS: {
    fr: 'Les traits d’identité du message diffèrent de ceux, vérifiés, du dossier : une personne doit contrôler avant toute modification.',
    de: 'Die Identitätsmerkmale der Nachricht weichen von den geprüften der Akte ab: Eine Person muss vor jeder Änderung prüfen.',
    en: 'The identity traits in the message differ from the record’s checked ones: a person must verify before any change.',
  },
  HL7_IDENTITY_INCOMPLETE: {
    fr: 'L’identité reçue est incomplète ou invalide ({{detail}}) : message mis en quarantaine.',
    de: 'Die empfangene Identität ist unvollständig oder ungültig ({{detail}}): Nachricht in Quarantäne.',
    en: 'The identity received is incomplete or invalid ({{detail}}): message quarantined.',
  },
  HL7_QUARANTINE_NOT_FOUND: {
    fr: 'Ce message n’est plus dans la liste de quarantaine.',
    de: 'Diese Nachricht ist nicht mehr in der Quarantäneliste.',
    en: 'This message is no longer in the quarantine list.',
  },
  HL7_QUARANTINE_RESOLVED: {
    fr: 'Ce message de quarantaine a déjà été traité.',
    de: 'Diese Quarantänenachricht wurde bereits bearbeitet.',
    en: 'This quarantined message has already been handled.',
  },
  HL7_QUARANTINE_CLINICAL: {
    fr: 'Ce message contient des résultats d’analyses : seul un praticien peut le rattacher à un dossier.',
    de: 'Diese Nachricht enthält Laborergebnisse: Nur ein Arzt kann sie einer Akte zuordnen.',
    en: 'This message holds lab results: only a practitioner can attach it to a record.',
  },
  // ---- exports
  INTEROP_EXPORT_WRITE_FAILED: {
    fr: 'Le fichier exporté n’a pas pu être enregistré à cet emplacement.',
    de: 'Die exportierte Datei konnte an diesem Ort nicht gespeichert werden.',
    en: 'The exported file could not be saved at this location.',
  },
  INTEROP_EXPORT_PATH_INVALID: {
    fr: 'L’emplacement choisi pour l’export n’est pas valide (dossier absent ou nom de fichier incorrect).',
    de: 'Der gewählte Speicherort für den Export ist ungültig (Ordner fehlt oder Dateiname falsch).',
    en: 'The location chosen for the export is invalid (missing folder or wrong file name).',
  },
} as const satisfies Record<string, Messages>;
