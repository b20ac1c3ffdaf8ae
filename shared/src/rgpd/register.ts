import type { Language } from '../errors/app-error';
import type { RetentionRules } from './retention';

/**
 * The register of processing activities (GDPR Article 30(1)) of the clinic's record system, as
 * a Markdown document a DPO can file (print it, or convert it with any Markdown tool). What
 * can be read from the running product (storage engine and place, collections and their data
 * class, retention rules and policy, roles and what each reads, audit checkpoints, emergency
 * access duration, counts of users) comes in `facts`; the rest is what the product does by
 * construction (encryption, hashing, audit) and is stated as such.
 */
export type RegisterFacts = {
  readonly generatedAt: string;
  readonly serverVersion: string;
  /** Clinic name and DPO contact when configured (CLINIC_NAME, DPO_CONTACT). */
  readonly controller?: string | undefined;
  readonly dpoContact?: string | undefined;
  readonly storage: { readonly engine: 'sqlite' | 'postgres'; readonly location: string };
  readonly retention: RetentionRules;
  readonly retentionPolicy: 'list' | 'purge';
  readonly collections: readonly { readonly name: string; readonly dataClass: string }[];
  readonly users: Readonly<Record<string, number>>;
  readonly breakGlassHours: number;
  readonly auditCheckpointMinutes: number;
};

type Texts = {
  title: string;
  generated: (at: string, version: string) => string;
  controller: string;
  notConfigured: string;
  dpo: string;
  purposesTitle: string;
  purposes: string[];
  basisTitle: string;
  basis: string[];
  subjectsTitle: string;
  subjects: string[];
  categoriesTitle: string;
  collectionHeader: [string, string, string];
  classes: Record<string, string>;
  describe: Record<string, string>;
  recipientsTitle: string;
  recipients: (users: Readonly<Record<string, number>>, breakGlassHours: number) => string[];
  transfers: string;
  retentionTitle: string;
  retention: (r: RetentionRules, policy: 'list' | 'purge') => string[];
  locationTitle: string;
  location: (engine: string, where: string) => string[];
  securityTitle: string;
  security: (checkpointMinutes: number) => string[];
  rightsTitle: string;
  rights: string[];
};

const FR: Texts = {
  title: 'Registre des activités de traitement (RGPD, article 30)',
  generated: (at, v) => `Généré le ${at} (UTC) depuis la configuration du serveur de synchronisation, version ${v}.`,
  controller: 'Responsable du traitement',
  notConfigured: 'non renseigné (variable CLINIC_NAME)',
  dpo: 'Délégué à la protection des données',
  purposesTitle: 'Finalités',
  purposes: [
    'Tenue du dossier médical des patients : consultations, observations, allergies, prescriptions, documents, imagerie.',
    'Gestion administrative des patients (identité, INS, coordonnées) par le secrétariat.',
    'Traçabilité des accès aux dossiers (journal d’audit central) et réponse aux demandes des patients.',
  ],
  basisTitle: 'Bases légales',
  basis: [
    'Article 9(2)(h) du RGPD : traitement nécessaire aux fins de la médecine préventive, des diagnostics médicaux et de la prise en charge sanitaire, par des professionnels soumis au secret.',
    'Article 6(1)(c) du RGPD : obligation légale de tenue et de conservation du dossier médical (Code de la santé publique, art. R.1112-2 et R.1112-7) ; article 6(1)(e) pour la traçabilité des accès.',
  ],
  subjectsTitle: 'Personnes concernées',
  subjects: ['Patients de la clinique (y compris mineurs et personnes décédées).', 'Utilisateurs du logiciel (praticiens, secrétaires, DPO, administrateurs).'],
  categoriesTitle: 'Catégories de données',
  collectionHeader: ['Collection', 'Nature', 'Contenu'],
  classes: { clinical: 'données de santé', administrative: 'données administratives', audit: 'traçabilité' },
  describe: {
    patient: 'identité (noms, prénoms, date et lieu de naissance, sexe, NIR/INS, statut d’identité), coordonnées, décès',
    encounter: 'consultations et notes cliniques signées, avenants',
    observation: 'résultats et mesures (codes LOINC)',
    allergy: 'allergies et intolérances',
    prescription: 'prescriptions (codes CIP13)',
    document: 'documents cliniques et administratifs (fichiers joints)',
    imaging_study: 'examens d’imagerie DICOM (images jointes)',
    audit_event: 'événements d’accès (qui, quand, quel dossier, quelle action), sans contenu médical',
  },
  recipientsTitle: 'Destinataires',
  recipients: (u, h) => [
    `Praticiens (${u.practitioner ?? 0}) : les dossiers qu’ils suivent (autorisation nominative ou équipe de soins) ; accès d’urgence motivé (« bris de glace ») limité à ${h} h, revu par le DPO.`,
    `Secrétaires (${u.secretary ?? 0}) : identité et documents administratifs uniquement, jamais les données cliniques.`,
    `DPO (${u.dpo ?? 0}) : journal d’audit et demandes des patients, sans contenu clinique.`,
    `Administrateurs (${u.admin ?? 0}) : comptes et autorisations, sans contenu clinique.`,
    'Aucun destinataire externe n’est configuré dans le logiciel ; les exports (FHIR, PDF) sont faits à la demande du patient ou pour sa prise en charge.',
  ],
  transfers: 'Transferts hors de l’Union européenne : aucun.',
  retentionTitle: 'Durées de conservation',
  retention: (r, p) => [
    `Dossier patient : ${r.yearsAfterLastEncounter} ans après la dernière consultation, au moins jusqu’au ${r.untilAge}e anniversaire ; ${r.yearsAfterDeath} ans après le décès si celui-ci survient moins de ${r.deathWithinYears} ans après la dernière consultation ; suspendue par une conservation pour motif juridique.`,
    p === 'purge'
      ? 'Les dossiers dont la durée est échue sont effacés automatiquement par la tâche de conservation du serveur (tracée).'
      : 'Les dossiers dont la durée est échue sont listés par la tâche de conservation du serveur ; le DPO décide de leur effacement.',
    'Journal d’audit : conservé sans limite, en ajout seul ; après effacement d’un dossier il ne garde qu’une trace pseudonyme (identifiant aléatoire du dossier).',
  ],
  locationTitle: 'Localisation des données',
  location: (e, w) => [
    'Postes de travail : base locale chiffrée (SQLCipher) dans le dossier de l’utilisateur.',
    `Serveur de synchronisation de la clinique : ${e === 'postgres' ? 'PostgreSQL' : 'SQLite'}, ${w}.`,
  ],
  securityTitle: 'Mesures de sécurité',
  security: (m) => [
    'Chiffrement des bases locales (SQLCipher, AES-256) ; verrouillage automatique après inactivité.',
    'Mots de passe hachés avec Argon2id ; jetons d’accès de courte durée et jetons de renouvellement rotatifs liés à un poste enregistré ; blocage après échecs répétés.',
    'Autorisations par patient vérifiées par le serveur à chaque lecture et écriture.',
    `Journal d’audit central chaîné (SHA-256), non modifiable par la base elle-même, avec points de contrôle signés (Ed25519) toutes les ${m} minutes.`,
    'Limitation (gel) d’un dossier, conservation pour motif juridique et historique des rectifications.',
  ],
  rightsTitle: 'Droits des personnes',
  rights: [
    'Accès et portabilité : export FHIR R4 et résumé PDF.',
    'Rectification avec historique ; limitation ; effacement à l’échéance de la durée légale (refus motivé par l’article 17(3)(b), (c) et (e) auparavant).',
  ],
};

const EN: Texts = {
  title: 'Record of processing activities (GDPR Article 30)',
  generated: (at, v) => `Generated on ${at} (UTC) from the sync server's configuration, version ${v}.`,
  controller: 'Controller',
  notConfigured: 'not set (CLINIC_NAME variable)',
  dpo: 'Data protection officer',
  purposesTitle: 'Purposes',
  purposes: [
    'Keeping patients’ medical records: encounters, observations, allergies, prescriptions, documents, imaging.',
    'Administrative management of patients (identity, INS, contact details) by the front desk.',
    'Traceability of accesses to records (central audit log) and answering patients’ requests.',
  ],
  basisTitle: 'Legal basis',
  basis: [
    'GDPR Article 9(2)(h): processing necessary for preventive medicine, medical diagnosis and the provision of health care, by professionals bound by secrecy.',
    'GDPR Article 6(1)(c): legal obligation to keep the medical record (French Public Health Code, Art. R.1112-2 and R.1112-7); Article 6(1)(e) for access traceability.',
  ],
  subjectsTitle: 'Data subjects',
  subjects: ['Patients of the clinic (including minors and deceased persons).', 'Users of the software (practitioners, secretaries, DPO, administrators).'],
  categoriesTitle: 'Categories of data',
  collectionHeader: ['Collection', 'Kind', 'Content'],
  classes: { clinical: 'health data', administrative: 'administrative data', audit: 'traceability' },
  describe: {
    patient: 'identity (names, first names, birth date and place, sex, NIR/INS, identity status), contact details, death',
    encounter: 'encounters and signed clinical notes, addenda',
    observation: 'results and measurements (LOINC codes)',
    allergy: 'allergies and intolerances',
    prescription: 'prescriptions (CIP13 codes)',
    document: 'clinical and administrative documents (attached files)',
    imaging_study: 'DICOM imaging studies (attached images)',
    audit_event: 'access events (who, when, which record, which action), no medical content',
  },
  recipientsTitle: 'Recipients',
  recipients: (u, h) => [
    `Practitioners (${u.practitioner ?? 0}): the records they follow (personal grant or care team); justified emergency access ("break the glass") limited to ${h} h, reviewed by the DPO.`,
    `Secretaries (${u.secretary ?? 0}): identity and administrative documents only, never clinical data.`,
    `DPO (${u.dpo ?? 0}): audit log and patients’ requests, no clinical content.`,
    `Administrators (${u.admin ?? 0}): accounts and grants, no clinical content.`,
    'No external recipient is configured in the software; exports (FHIR, PDF) are made at the patient’s request or for their care.',
  ],
  transfers: 'Transfers outside the European Union: none.',
  retentionTitle: 'Retention periods',
  retention: (r, p) => [
    `Patient record: ${r.yearsAfterLastEncounter} years after the last encounter, at least until the ${r.untilAge}th birthday; ${r.yearsAfterDeath} years after death when death occurs less than ${r.deathWithinYears} years after the last encounter; suspended by a legal hold.`,
    p === 'purge'
      ? 'Records whose retention has expired are erased automatically by the server’s retention job (audited).'
      : 'Records whose retention has expired are listed by the server’s retention job; the DPO decides their erasure.',
    'Audit log: kept without limit, append-only; after a record is erased it keeps only a pseudonymous trace (the record’s random id).',
  ],
  locationTitle: 'Where the data are',
  location: (e, w) => [
    'Workstations: encrypted local database (SQLCipher) in the user’s profile folder.',
    `The clinic’s sync server: ${e === 'postgres' ? 'PostgreSQL' : 'SQLite'}, ${w}.`,
  ],
  securityTitle: 'Security measures',
  security: (m) => [
    'Local databases encrypted (SQLCipher, AES-256); automatic lock after inactivity.',
    'Passwords hashed with Argon2id; short-lived access tokens and rotating refresh tokens bound to a registered workstation; lockout after repeated failures.',
    'Per-patient grants checked by the server on every read and write.',
    `Central hash-chained audit log (SHA-256), refused changes by the database itself, signed checkpoints (Ed25519) every ${m} minutes.`,
    'Restriction (freeze) of a record, legal holds and rectification history.',
  ],
  rightsTitle: 'Data subjects’ rights',
  rights: [
    'Access and portability: FHIR R4 export and PDF summary.',
    'Rectification with history; restriction; erasure once the legal retention has expired (refused before that under Article 17(3)(b), (c) and (e)).',
  ],
};

const DE: Texts = {
  title: 'Verzeichnis von Verarbeitungstätigkeiten (DSGVO Artikel 30)',
  generated: (at, v) => `Erstellt am ${at} (UTC) aus der Konfiguration des Synchronisationsservers, Version ${v}.`,
  controller: 'Verantwortlicher',
  notConfigured: 'nicht angegeben (Variable CLINIC_NAME)',
  dpo: 'Datenschutzbeauftragter',
  purposesTitle: 'Zwecke',
  purposes: [
    'Führung der Patientenakten: Konsultationen, Befunde, Allergien, Verordnungen, Dokumente, Bildgebung.',
    'Administrative Verwaltung der Patienten (Identität, INS, Kontaktdaten) durch das Sekretariat.',
    'Nachvollziehbarkeit der Zugriffe (zentrales Audit-Protokoll) und Beantwortung von Anträgen der Patienten.',
  ],
  basisTitle: 'Rechtsgrundlagen',
  basis: [
    'DSGVO Artikel 9 Absatz 2 Buchstabe h: Verarbeitung für Zwecke der Gesundheitsvorsorge, der medizinischen Diagnostik und der Versorgung durch der Schweigepflicht unterliegendes Fachpersonal.',
    'DSGVO Artikel 6 Absatz 1 Buchstabe c: gesetzliche Pflicht zur Führung und Aufbewahrung der Akte (Code de la santé publique, Art. R.1112-2 und R.1112-7); Artikel 6 Absatz 1 Buchstabe e für die Zugriffsnachweise.',
  ],
  subjectsTitle: 'Betroffene Personen',
  subjects: ['Patienten der Klinik (auch Minderjährige und Verstorbene).', 'Benutzer der Software (Behandelnde, Sekretariat, DSB, Administratoren).'],
  categoriesTitle: 'Datenkategorien',
  collectionHeader: ['Sammlung', 'Art', 'Inhalt'],
  classes: { clinical: 'Gesundheitsdaten', administrative: 'Verwaltungsdaten', audit: 'Nachvollziehbarkeit' },
  describe: {
    patient: 'Identität (Namen, Vornamen, Geburtsdatum und -ort, Geschlecht, NIR/INS, Identitätsstatus), Kontaktdaten, Tod',
    encounter: 'Konsultationen und signierte klinische Notizen, Nachträge',
    observation: 'Ergebnisse und Messwerte (LOINC-Codes)',
    allergy: 'Allergien und Unverträglichkeiten',
    prescription: 'Verordnungen (CIP13-Codes)',
    document: 'klinische und administrative Dokumente (Anhänge)',
    imaging_study: 'DICOM-Bildgebungsstudien (Bilder als Anhänge)',
    audit_event: 'Zugriffsereignisse (wer, wann, welche Akte, welche Aktion), ohne medizinischen Inhalt',
  },
  recipientsTitle: 'Empfänger',
  recipients: (u, h) => [
    `Behandelnde (${u.practitioner ?? 0}): die von ihnen betreuten Akten (persönliche Freigabe oder Behandlungsteam); begründeter Notfallzugriff („Break the Glass“) auf ${h} Std. begrenzt, vom DSB geprüft.`,
    `Sekretariat (${u.secretary ?? 0}): nur Identität und Verwaltungsdokumente, nie klinische Daten.`,
    `DSB (${u.dpo ?? 0}): Audit-Protokoll und Anträge der Patienten, ohne klinischen Inhalt.`,
    `Administratoren (${u.admin ?? 0}): Konten und Freigaben, ohne klinischen Inhalt.`,
    'In der Software ist kein externer Empfänger eingerichtet; Exporte (FHIR, PDF) erfolgen auf Verlangen des Patienten oder für seine Versorgung.',
  ],
  transfers: 'Übermittlungen außerhalb der Europäischen Union: keine.',
  retentionTitle: 'Aufbewahrungsfristen',
  retention: (r, p) => [
    `Patientenakte: ${r.yearsAfterLastEncounter} Jahre nach dem letzten Kontakt, mindestens bis zum ${r.untilAge}. Geburtstag; ${r.yearsAfterDeath} Jahre nach dem Tod, wenn dieser weniger als ${r.deathWithinYears} Jahre nach dem letzten Kontakt eintritt; ausgesetzt durch eine Aufbewahrung aus rechtlichen Gründen.`,
    p === 'purge'
      ? 'Akten mit abgelaufener Frist werden vom Aufbewahrungsjob des Servers automatisch gelöscht (protokolliert).'
      : 'Akten mit abgelaufener Frist werden vom Aufbewahrungsjob des Servers aufgelistet; der DSB entscheidet über die Löschung.',
    'Audit-Protokoll: unbefristet, nur Anfügen; nach Löschung einer Akte bleibt nur eine pseudonyme Spur (zufällige Kennung der Akte).',
  ],
  locationTitle: 'Speicherort',
  location: (e, w) => [
    'Arbeitsplätze: verschlüsselte lokale Datenbank (SQLCipher) im Benutzerprofil.',
    `Synchronisationsserver der Klinik: ${e === 'postgres' ? 'PostgreSQL' : 'SQLite'}, ${w}.`,
  ],
  securityTitle: 'Sicherheitsmaßnahmen',
  security: (m) => [
    'Verschlüsselte lokale Datenbanken (SQLCipher, AES-256); automatische Sperre bei Inaktivität.',
    'Passwörter mit Argon2id gehasht; kurzlebige Zugriffstoken und rotierende, an einen registrierten Arbeitsplatz gebundene Erneuerungstoken; Sperre nach wiederholten Fehlversuchen.',
    'Freigaben pro Patient, vom Server bei jedem Lesen und Schreiben geprüft.',
    `Zentrales, verkettetes Audit-Protokoll (SHA-256), Änderungen von der Datenbank selbst verweigert, signierte Prüfpunkte (Ed25519) alle ${m} Minuten.`,
    'Einschränkung (Sperre) einer Akte, Aufbewahrung aus rechtlichen Gründen und Berichtigungsverlauf.',
  ],
  rightsTitle: 'Rechte der Betroffenen',
  rights: [
    'Auskunft und Übertragbarkeit: FHIR-R4-Export und PDF-Zusammenfassung.',
    'Berichtigung mit Verlauf; Einschränkung; Löschung nach Ablauf der gesetzlichen Frist (vorher abgelehnt nach Artikel 17 Absatz 3 Buchstaben b, c und e).',
  ],
};

const TEXTS: Readonly<Record<Language, Texts>> = { fr: FR, de: DE, en: EN };

/** Markdown table cells: no pipe or line break can break the table. */
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

export function renderRegister(facts: RegisterFacts, language: Language): string {
  const t = TEXTS[language];
  const list = (items: readonly string[]): string => items.map((i) => `- ${i}`).join('\n');
  const rows = facts.collections
    .map((c) => `| ${cell(c.name)} | ${cell(t.classes[c.dataClass] ?? c.dataClass)} | ${cell(t.describe[c.name] ?? '')} |`)
    .join('\n');
  return [
    `# ${t.title}`,
    '',
    t.generated(facts.generatedAt, facts.serverVersion),
    '',
    `- **${t.controller}** : ${facts.controller ?? t.notConfigured}`,
    `- **${t.dpo}** : ${facts.dpoContact ?? t.notConfigured.replace('CLINIC_NAME', 'DPO_CONTACT')}`,
    '',
    `## 1. ${t.purposesTitle}`,
    '',
    list(t.purposes),
    '',
    `## 2. ${t.basisTitle}`,
    '',
    list(t.basis),
    '',
    `## 3. ${t.subjectsTitle}`,
    '',
    list(t.subjects),
    '',
    `## 4. ${t.categoriesTitle}`,
    '',
    `| ${t.collectionHeader.join(' | ')} |`,
    '| --- | --- | --- |',
    rows,
    '',
    `## 5. ${t.recipientsTitle}`,
    '',
    list(t.recipients(facts.users, facts.breakGlassHours)),
    '',
    t.transfers,
    '',
    `## 6. ${t.retentionTitle}`,
    '',
    list(t.retention(facts.retention, facts.retentionPolicy)),
    '',
    `## 7. ${t.locationTitle}`,
    '',
    list(t.location(facts.storage.engine, facts.storage.location)),
    '',
    `## 8. ${t.securityTitle}`,
    '',
    list(t.security(facts.auditCheckpointMinutes)),
    '',
    `## 9. ${t.rightsTitle}`,
    '',
    list(t.rights),
    '',
  ].join('\n');
}
