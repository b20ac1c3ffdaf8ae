import type { Messages } from '../app-error';

/** French health identifiers: NIR, INS, RPPS, ADELI. Warnings (…_PROVISIONAL, …_CHECKSUM, …) share the catalogue. */
export const IDENTIFIERS_MESSAGES = {
  NIR_REQUIRED: {
    fr: 'Le NIR (numéro de sécurité sociale) est obligatoire.',
    de: 'Die NIR (französische Sozialversicherungsnummer) ist erforderlich.',
    en: 'The NIR (French social security number) is required.',
  },
  NIR_FORMAT: {
    fr: 'Le NIR doit comporter 15 caractères : 13 chiffres (2A ou 2B pour la Corse) suivis d’une clé de 2 chiffres.',
    de: 'Die NIR muss 15 Zeichen umfassen: 13 Ziffern (2A oder 2B für Korsika), gefolgt von einem zweistelligen Schlüssel.',
    en: 'The NIR must have 15 characters: 13 digits (2A or 2B for Corsica) followed by a 2-digit key.',
  },
  NIR_SEX: {
    fr: 'Le premier chiffre du NIR (sexe) est invalide.',
    de: 'Die erste Ziffer der NIR (Geschlecht) ist ungültig.',
    en: 'The first digit of the NIR (sex) is invalid.',
  },
  NIR_MONTH: {
    fr: 'Le mois de naissance indiqué dans le NIR est invalide.',
    de: 'Der in der NIR angegebene Geburtsmonat ist ungültig.',
    en: 'The birth month in the NIR is invalid.',
  },
  NIR_DEPARTMENT: {
    fr: 'Le département de naissance indiqué dans le NIR est invalide.',
    de: 'Das in der NIR angegebene Département des Geburtsorts ist ungültig.',
    en: 'The birth department in the NIR is invalid.',
  },
  NIR_KEY: {
    fr: 'La clé du NIR ne correspond pas au numéro. Vérifiez la saisie.',
    de: 'Der Schlüssel der NIR passt nicht zur Nummer. Bitte überprüfen Sie die Eingabe.',
    en: 'The NIR key does not match the number. Please check the entry.',
  },
  NIR_PROVISIONAL_REFUSED: {
    fr: 'Ce NIR est un numéro provisoire ; un NIR définitif est requis ici.',
    de: 'Diese NIR ist eine vorläufige Nummer; hier ist eine endgültige NIR erforderlich.',
    en: 'This NIR is a provisional number; a definitive NIR is required here.',
  },
  NIR_PROVISIONAL: {
    fr: 'Ce NIR est un numéro provisoire : il pourra être remplacé par un numéro définitif.',
    de: 'Diese NIR ist eine vorläufige Nummer und kann durch eine endgültige Nummer ersetzt werden.',
    en: 'This NIR is a provisional number and may be replaced by a definitive one.',
  },
  NIR_MONTH_UNKNOWN: {
    fr: 'Le NIR indique un mois de naissance inconnu ; vérifiez la date de naissance sur une pièce d’identité.',
    de: 'Die NIR weist einen unbekannten Geburtsmonat aus; prüfen Sie das Geburtsdatum anhand eines Ausweisdokuments.',
    en: 'The NIR indicates an unknown birth month; check the birth date against an identity document.',
  },
  INS_REQUIRED: {
    fr: 'L’INS (identifiant national de santé) est obligatoire.',
    de: 'Die INS (nationale Gesundheitskennung) ist erforderlich.',
    en: 'The INS (national health identifier) is required.',
  },
  INS_FORMAT: {
    fr: 'L’INS doit comporter un matricule et un OID.',
    de: 'Die INS muss eine Matrikelnummer und eine OID enthalten.',
    en: 'The INS must consist of a matricule and an OID.',
  },
  INS_OID_UNKNOWN: {
    fr: 'L’OID de l’INS n’est pas reconnu (attendu : INS-NIR ou INS-NIA).',
    de: 'Die OID der INS wird nicht erkannt (erwartet: INS-NIR oder INS-NIA).',
    en: 'The INS OID is not recognised (expected: INS-NIR or INS-NIA).',
  },
  INS_TEST_OID_REFUSED: {
    fr: 'Cet INS est un identifiant de test ou de démonstration ; il est refusé en production.',
    de: 'Diese INS ist eine Test- oder Demonstrationskennung und wird im Produktivbetrieb abgelehnt.',
    en: 'This INS is a test or demonstration identifier and is refused in production.',
  },
  INS_TEST_OID: {
    fr: 'Cet INS est un identifiant de test ou de démonstration.',
    de: 'Diese INS ist eine Test- oder Demonstrationskennung.',
    en: 'This INS is a test or demonstration identifier.',
  },
  INS_OID_MISMATCH: {
    fr: 'Le matricule est un numéro provisoire alors que l’OID indique un INS-NIR.',
    de: 'Die Matrikelnummer ist vorläufig, die OID weist jedoch eine INS-NIR aus.',
    en: 'The matricule is a provisional number but the OID says INS-NIR.',
  },
  INS_NIA_FORMAT: {
    fr: 'Le matricule INS-NIA doit comporter 15 caractères : 13 chiffres suivis d’une clé de 2 chiffres.',
    de: 'Die INS-NIA-Matrikelnummer muss 15 Zeichen umfassen: 13 Ziffern, gefolgt von einem zweistelligen Schlüssel.',
    en: 'The INS-NIA matricule must have 15 characters: 13 digits followed by a 2-digit key.',
  },
  INS_NIA_KEY: {
    fr: 'La clé du matricule INS-NIA ne correspond pas au numéro. Vérifiez la saisie.',
    de: 'Der Schlüssel der INS-NIA-Matrikelnummer passt nicht zur Nummer. Bitte überprüfen Sie die Eingabe.',
    en: 'The INS-NIA matricule key does not match the number. Please check the entry.',
  },
  RPPS_REQUIRED: {
    fr: 'Le numéro RPPS est obligatoire.',
    de: 'Die RPPS-Nummer ist erforderlich.',
    en: 'The RPPS number is required.',
  },
  RPPS_FORMAT: {
    fr: 'Le numéro RPPS doit comporter 11 chiffres.',
    de: 'Die RPPS-Nummer muss 11 Ziffern umfassen.',
    en: 'The RPPS number must have 11 digits.',
  },
  RPPS_CHECKSUM: {
    fr: 'Le chiffre de contrôle du numéro RPPS ne correspond pas ; vérifiez le numéro dans l’annuaire santé.',
    de: 'Die Prüfziffer der RPPS-Nummer stimmt nicht; bitte prüfen Sie die Nummer im Gesundheitsverzeichnis.',
    en: 'The RPPS check digit does not match; please check the number in the health directory.',
  },
  ADELI_REQUIRED: {
    fr: 'Le numéro ADELI est obligatoire.',
    de: 'Die ADELI-Nummer ist erforderlich.',
    en: 'The ADELI number is required.',
  },
  ADELI_FORMAT: {
    fr: 'Le numéro ADELI doit comporter 9 caractères, dont le département d’enregistrement en tête.',
    de: 'Die ADELI-Nummer muss 9 Zeichen umfassen und mit dem Département der Registrierung beginnen.',
    en: 'The ADELI number must have 9 characters, starting with the department of registration.',
  },
} as const satisfies Record<string, Messages>;
