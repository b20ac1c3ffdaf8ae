import type { Messages } from '../app-error';

/** Document validation, clinical-record rules, identity vigilance and time input. */
export const VALIDATION_MESSAGES = {
  VALIDATION_DOCUMENT_INVALID: {
    fr: 'Les données reçues sont invalides ({{collection}}, champ « {{path}} »). Rien n’a été enregistré.',
    de: 'Die empfangenen Daten sind ungültig ({{collection}}, Feld „{{path}}“). Es wurde nichts gespeichert.',
    en: 'The data received is invalid ({{collection}}, field "{{path}}"). Nothing was saved.',
  },
  VALIDATION_COLLECTION_UNKNOWN: {
    fr: 'Type de données inconnu : {{collection}}.',
    de: 'Unbekannter Datentyp: {{collection}}.',
    en: 'Unknown data type: {{collection}}.',
  },
  PATIENT_IDENTITY_TRANSITION: {
    fr: 'Le statut d’identité ne peut pas passer de {{from}} à {{to}}.',
    de: 'Der Identitätsstatus kann nicht von {{from}} zu {{to}} wechseln.',
    en: 'The identity status cannot change from {{from}} to {{to}}.',
  },
  PATIENT_INS_REQUIRED: {
    fr: 'Le statut d’identité {{status}} exige un INS récupéré auprès du téléservice INSi.',
    de: 'Der Identitätsstatus {{status}} erfordert eine über den Teledienst INSi abgerufene INS.',
    en: 'Identity status {{status}} requires an INS retrieved from the INSi teleservice.',
  },
  PATIENT_DECEASED_BEFORE_BIRTH: {
    fr: 'La date de décès est antérieure à la date de naissance.',
    de: 'Das Sterbedatum liegt vor dem Geburtsdatum.',
    en: 'The date of death is before the date of birth.',
  },
  PATIENT_SEARCH_KEY_STALE: {
    fr: 'La clé de recherche du patient ne correspond pas à son nom. Rien n’a été enregistré.',
    de: 'Der Suchschlüssel des Patienten passt nicht zu seinem Namen. Es wurde nichts gespeichert.',
    en: 'The patient’s search key does not match the name. Nothing was saved.',
  },
  PATIENT_NIR_SEX_MISMATCH: {
    fr: 'Le sexe indiqué ne correspond pas au NIR. Vérifiez l’identité sur une pièce justificative.',
    de: 'Das angegebene Geschlecht stimmt nicht mit der NIR überein. Prüfen Sie die Identität anhand eines Nachweises.',
    en: 'The sex entered does not match the NIR. Check the identity against a supporting document.',
  },
  PATIENT_NIR_BIRTH_DATE_MISMATCH: {
    fr: 'L’année ou le mois de naissance ne correspond pas au NIR. Vérifiez qu’il s’agit bien du NIR du patient.',
    de: 'Geburtsjahr oder -monat stimmt nicht mit der NIR überein. Prüfen Sie, ob es die NIR des Patienten ist.',
    en: 'The birth year or month does not match the NIR. Check that it is the patient’s own NIR.',
  },
  PATIENT_NIR_BIRTHPLACE_MISMATCH: {
    fr: 'Le lieu de naissance ne correspond pas à celui du NIR (le code commune a pu changer depuis la naissance).',
    de: 'Der Geburtsort stimmt nicht mit dem der NIR überein (der Gemeindecode kann sich seit der Geburt geändert haben).',
    en: 'The birthplace does not match the NIR (the commune code may have changed since birth).',
  },
  PATIENT_INS_NIR_MISMATCH: {
    fr: 'Le matricule INS-NIR diffère du NIR enregistré pour ce patient.',
    de: 'Die INS-NIR-Matrikelnummer weicht von der für diesen Patienten gespeicherten NIR ab.',
    en: 'The INS-NIR matricule differs from the NIR recorded for this patient.',
  },
  ENCOUNTER_END_BEFORE_START: {
    fr: 'La fin de la consultation est antérieure à son début.',
    de: 'Das Ende der Konsultation liegt vor ihrem Beginn.',
    en: 'The end of the consultation is before its start.',
  },
  ENCOUNTER_ENTRY_ID_DUPLICATE: {
    fr: 'Deux notes de la consultation portent le même identifiant.',
    de: 'Zwei Einträge der Konsultation haben dieselbe Kennung.',
    en: 'Two entries of the consultation have the same identifier.',
  },
  ENCOUNTER_ADDENDUM_TARGET_REQUIRED: {
    fr: 'Un addendum doit indiquer la note qu’il complète.',
    de: 'Ein Nachtrag muss den Eintrag angeben, den er ergänzt.',
    en: 'An addendum must state the entry it amends.',
  },
  ENCOUNTER_ADDENDUM_TARGET_MISSING: {
    fr: 'La note complétée par cet addendum est introuvable dans la consultation.',
    de: 'Der durch diesen Nachtrag ergänzte Eintrag ist in der Konsultation nicht vorhanden.',
    en: 'The entry amended by this addendum is not in the consultation.',
  },
  ENCOUNTER_NOTE_AMENDS: {
    fr: 'Seul un addendum peut compléter une autre note.',
    de: 'Nur ein Nachtrag kann einen anderen Eintrag ergänzen.',
    en: 'Only an addendum may amend another entry.',
  },
  ENCOUNTER_SIGNATURE_INCOMPLETE: {
    fr: 'Une note signée doit comporter sa date de signature et son empreinte.',
    de: 'Ein signierter Eintrag muss Signaturdatum und Prüfsumme enthalten.',
    en: 'A signed entry must carry both its signature date and its content hash.',
  },
  ENCOUNTER_ID_CHANGED: {
    fr: 'L’identifiant d’une consultation ne peut pas être modifié.',
    de: 'Die Kennung einer Konsultation kann nicht geändert werden.',
    en: 'A consultation’s identifier cannot be changed.',
  },
  ENCOUNTER_PATIENT_CHANGED: {
    fr: 'Une consultation ne peut pas être rattachée à un autre patient.',
    de: 'Eine Konsultation kann keinem anderen Patienten zugeordnet werden.',
    en: 'A consultation cannot be moved to another patient.',
  },
  ENCOUNTER_SIGNED_ENTRY_IMMUTABLE: {
    fr: 'Une note signée ne peut plus être modifiée ; ajoutez un addendum pour la compléter.',
    de: 'Ein signierter Eintrag kann nicht mehr geändert werden; fügen Sie einen Nachtrag hinzu.',
    en: 'A signed entry can no longer be changed; add an addendum instead.',
  },
  ENCOUNTER_SIGNED_ENTRY_DELETED: {
    fr: 'Une note signée ne peut pas être supprimée.',
    de: 'Ein signierter Eintrag kann nicht gelöscht werden.',
    en: 'A signed entry cannot be deleted.',
  },
  OBSERVATION_LOINC_CHECK_DIGIT: {
    fr: 'Le code LOINC est invalide : son chiffre de contrôle ne correspond pas.',
    de: 'Der LOINC-Code ist ungültig: Die Prüfziffer stimmt nicht.',
    en: 'The LOINC code is invalid: its check digit does not match.',
  },
  OBSERVATION_RANGE_INVERTED: {
    fr: 'La borne basse de l’intervalle de référence dépasse la borne haute.',
    de: 'Die Untergrenze des Referenzbereichs liegt über der Obergrenze.',
    en: 'The low bound of the reference range is above the high bound.',
  },
  PRESCRIPTION_CIP13_CHECK_DIGIT: {
    fr: 'Le code CIP13 du médicament est invalide : son chiffre de contrôle ne correspond pas.',
    de: 'Der CIP13-Code des Arzneimittels ist ungültig: Die Prüfziffer stimmt nicht.',
    en: 'The medication’s CIP13 code is invalid: its check digit does not match.',
  },
  DOCUMENT_TYPE_CODE: {
    fr: 'Le type de document n’est pas un code LOINC valide.',
    de: 'Der Dokumenttyp ist kein gültiger LOINC-Code.',
    en: 'The document type is not a valid LOINC code.',
  },
  IMAGING_UID_DUPLICATE: {
    fr: 'L’identifiant DICOM {{uid}} apparaît plusieurs fois dans l’examen.',
    de: 'Die DICOM-Kennung {{uid}} kommt in der Untersuchung mehrfach vor.',
    en: 'DICOM identifier {{uid}} appears more than once in the study.',
  },
  AUDIT_REASON_REQUIRED: {
    fr: 'Un accès en urgence (bris de glace) doit être justifié.',
    de: 'Ein Notfallzugriff („Break Glass“) muss begründet werden.',
    en: 'An emergency (break-glass) access must be justified.',
  },
  TIME_INSTANT_INVALID: {
    fr: 'La date et l’heure sont invalides ou sans fuseau horaire.',
    de: 'Datum und Uhrzeit sind ungültig oder ohne Zeitzone.',
    en: 'The date and time are invalid or lack a time zone.',
  },
  TIME_LOCAL_INVALID: {
    fr: 'La date ou l’heure saisie est invalide.',
    de: 'Das eingegebene Datum oder die Uhrzeit ist ungültig.',
    en: 'The date or time entered is invalid.',
  },
  TIME_LOCAL_NONEXISTENT: {
    fr: 'Cette heure n’existe pas ce jour-là (passage à l’heure d’été).',
    de: 'Diese Uhrzeit gibt es an diesem Tag nicht (Umstellung auf Sommerzeit).',
    en: 'This time does not exist on that day (change to summer time).',
  },
} as const satisfies Record<string, Messages>;
