import type { Language } from '../errors/app-error';

/**
 * The exceptions of GDPR Article 17(3) a clinic invokes when it refuses an erasure while the
 * legal retention runs, with the text of the Regulation (EU) 2016/679 in the official
 * language versions (fr, de, en), and the national rule that sets the retention.
 */
export const ERASURE_EXCEPTIONS = ['17(3)(b)', '17(3)(c)', '17(3)(e)'] as const;
export type ErasureException = (typeof ERASURE_EXCEPTIONS)[number];

export const ERASURE_EXCEPTION_TEXT: Readonly<Record<ErasureException, Readonly<Record<Language, string>>>> = {
  '17(3)(b)': {
    fr: 'Article 17, paragraphe 3, point b) du RGPD : le droit à l’effacement ne s’applique pas dans la mesure où le traitement est nécessaire pour respecter une obligation légale qui requiert le traitement prévue par le droit de l’Union ou par le droit de l’État membre auquel le responsable du traitement est soumis, ou pour exécuter une mission d’intérêt public ou relevant de l’exercice de l’autorité publique dont est investi le responsable du traitement.',
    de: 'Artikel 17 Absatz 3 Buchstabe b DSGVO: Das Recht auf Löschung gilt nicht, soweit die Verarbeitung erforderlich ist zur Erfüllung einer rechtlichen Verpflichtung, die die Verarbeitung nach dem Recht der Union oder der Mitgliedstaaten, dem der Verantwortliche unterliegt, erfordert, oder zur Wahrnehmung einer Aufgabe, die im öffentlichen Interesse liegt oder in Ausübung öffentlicher Gewalt erfolgt, die dem Verantwortlichen übertragen wurde.',
    en: 'GDPR Article 17(3)(b): the right to erasure does not apply to the extent that processing is necessary for compliance with a legal obligation which requires processing by Union or Member State law to which the controller is subject or for the performance of a task carried out in the public interest or in the exercise of official authority vested in the controller.',
  },
  '17(3)(c)': {
    fr: 'Article 17, paragraphe 3, point c) du RGPD : le droit à l’effacement ne s’applique pas dans la mesure où le traitement est nécessaire pour des motifs d’intérêt public dans le domaine de la santé publique, conformément à l’article 9, paragraphe 2, points h) et i), ainsi qu’à l’article 9, paragraphe 3.',
    de: 'Artikel 17 Absatz 3 Buchstabe c DSGVO: Das Recht auf Löschung gilt nicht, soweit die Verarbeitung erforderlich ist aus Gründen des öffentlichen Interesses im Bereich der öffentlichen Gesundheit gemäß Artikel 9 Absatz 2 Buchstaben h und i sowie Artikel 9 Absatz 3.',
    en: 'GDPR Article 17(3)(c): the right to erasure does not apply to the extent that processing is necessary for reasons of public interest in the area of public health in accordance with points (h) and (i) of Article 9(2) as well as Article 9(3).',
  },
  '17(3)(e)': {
    fr: 'Article 17, paragraphe 3, point e) du RGPD : le droit à l’effacement ne s’applique pas dans la mesure où le traitement est nécessaire à la constatation, à l’exercice ou à la défense de droits en justice.',
    de: 'Artikel 17 Absatz 3 Buchstabe e DSGVO: Das Recht auf Löschung gilt nicht, soweit die Verarbeitung erforderlich ist zur Geltendmachung, Ausübung oder Verteidigung von Rechtsansprüchen.',
    en: 'GDPR Article 17(3)(e): the right to erasure does not apply to the extent that processing is necessary for the establishment, exercise or defence of legal claims.',
  },
};

/** The national rule behind the retention (shown with 17(3)(b)). */
export const RETENTION_LAW_TEXT: Readonly<Record<Language, string>> = {
  fr: 'Code de la santé publique, article R.1112-7 : le dossier médical est conservé vingt ans à compter du dernier passage du patient, au moins jusqu’à son vingt-huitième anniversaire, et dix ans après son décès s’il survient moins de dix ans après le dernier passage.',
  de: 'Französisches Gesetzbuch über die öffentliche Gesundheit (Code de la santé publique), Artikel R.1112-7: Die Patientenakte wird zwanzig Jahre ab dem letzten Kontakt aufbewahrt, mindestens bis zum 28. Geburtstag, und zehn Jahre nach dem Tod, wenn dieser weniger als zehn Jahre nach dem letzten Kontakt eintritt.',
  en: 'French Public Health Code (Code de la santé publique), Article R.1112-7: the medical record is kept twenty years from the patient’s last encounter, at least until their 28th birthday, and ten years after death when death occurs less than ten years after the last encounter.',
};

/**
 * Which exceptions justify a refusal: a running retention is a legal obligation (b) of
 * public health (c); a legal hold keeps the record for legal claims (e).
 */
export function erasureExceptionsFor(reason: { readonly retentionRunning: boolean; readonly legalHold: boolean }): ErasureException[] {
  const out: ErasureException[] = [];
  if (reason.retentionRunning) out.push('17(3)(b)', '17(3)(c)');
  if (reason.legalHold) out.push('17(3)(e)');
  return out;
}
