import type { Messages } from '../app-error';

/** Errors and warnings of the workstation's patient-record services (patients, consultations, conflicts). */
export const PATIENTS_MESSAGES = {
  PATIENT_NOT_FOUND: {
    fr: 'Ce patient n’existe pas (ou plus) sur ce poste.',
    de: 'Dieser Patient existiert auf diesem Arbeitsplatz nicht (mehr).',
    en: 'This patient does not exist (any more) on this workstation.',
  },
  PATIENT_CHANGED_ELSEWHERE: {
    fr: 'Ce dossier a été modifié entre-temps (sur ce poste ou par la synchronisation). Rechargez-le avant d’enregistrer ; vos saisies n’ont pas été enregistrées.',
    de: 'Diese Akte wurde zwischenzeitlich geändert (an diesem Arbeitsplatz oder durch die Synchronisation). Laden Sie sie neu, bevor Sie speichern; Ihre Eingaben wurden nicht gespeichert.',
    en: 'This record was changed in the meantime (here or by synchronisation). Reload it before saving; your input was not saved.',
  },
  PATIENT_DUPLICATE_NIR: {
    fr: 'Un autre patient a le même NIR : vérifiez qu’il ne s’agit pas d’un doublon.',
    de: 'Ein anderer Patient hat dieselbe NIR: Prüfen Sie, ob es sich um eine Dublette handelt.',
    en: 'Another patient has the same NIR: check that this is not a duplicate.',
  },
  PATIENT_DUPLICATE_TRAITS: {
    fr: 'Un autre patient a les mêmes nom de naissance, prénom, date de naissance et sexe : vérifiez qu’il ne s’agit pas d’un doublon.',
    de: 'Ein anderer Patient hat denselben Geburtsnamen, Vornamen, dasselbe Geburtsdatum und Geschlecht: Prüfen Sie, ob es sich um eine Dublette handelt.',
    en: 'Another patient has the same birth name, first name, birth date and sex: check that this is not a duplicate.',
  },
  ENCOUNTER_NOT_FOUND: {
    fr: 'Cette consultation n’existe pas (ou plus) sur ce poste.',
    de: 'Diese Konsultation existiert auf diesem Arbeitsplatz nicht (mehr).',
    en: 'This consultation does not exist (any more) on this workstation.',
  },
  ENCOUNTER_ENTRY_NOT_FOUND: {
    fr: 'Cette entrée de la consultation est introuvable.',
    de: 'Dieser Eintrag der Konsultation wurde nicht gefunden.',
    en: 'This entry of the consultation cannot be found.',
  },
  ENCOUNTER_ENTRY_ALREADY_SIGNED: {
    fr: 'Cette entrée est déjà signée. Pour la corriger, ajoutez un complément.',
    de: 'Dieser Eintrag ist bereits signiert. Fügen Sie zur Korrektur einen Nachtrag hinzu.',
    en: 'This entry is already signed. To correct it, add an addendum.',
  },
  ENCOUNTER_SIGN_NOT_AUTHOR: {
    fr: 'Seul l’auteur d’une entrée peut la signer.',
    de: 'Nur der Verfasser eines Eintrags kann ihn signieren.',
    en: 'Only the author of an entry can sign it.',
  },
  ENCOUNTER_RPPS_REQUIRED: {
    fr: 'Votre profil n’a pas de numéro RPPS : il est nécessaire pour rédiger ou signer une consultation.',
    de: 'Ihr Profil hat keine RPPS-Nummer: Sie ist zum Verfassen oder Signieren einer Konsultation erforderlich.',
    en: 'Your profile has no RPPS number: it is required to write or sign a consultation.',
  },
  ENCOUNTER_NOT_EDITABLE: {
    fr: 'Cette consultation est close ou annulée ; ajoutez un complément plutôt que de la modifier.',
    de: 'Diese Konsultation ist abgeschlossen oder storniert; fügen Sie einen Nachtrag hinzu, statt sie zu ändern.',
    en: 'This consultation is closed or cancelled; add an addendum instead of changing it.',
  },
  CONFLICT_VALUE_REQUIRED: {
    fr: 'Indiquez la valeur combinée à retenir.',
    de: 'Geben Sie den zusammengeführten Wert an, der übernommen werden soll.',
    en: 'Enter the combined value to keep.',
  },
  CONFLICT_VALUE_INVALID: {
    fr: 'La valeur choisie rendrait le dossier invalide ({{path}}). Rien n’a été modifié.',
    de: 'Der gewählte Wert würde die Akte ungültig machen ({{path}}). Nichts wurde geändert.',
    en: 'The chosen value would make the record invalid ({{path}}). Nothing was changed.',
  },
  CONFLICT_SIGNED_ENTRY: {
    fr: 'Une entrée signée ne peut pas être remplacée : ajoutez un complément avec le texte à conserver.',
    de: 'Ein signierter Eintrag kann nicht ersetzt werden: Fügen Sie einen Nachtrag mit dem zu behaltenden Text hinzu.',
    en: 'A signed entry cannot be replaced: add an addendum with the text to keep.',
  },
} as const satisfies Record<string, Messages>;
