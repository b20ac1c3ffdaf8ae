/* eslint-disable security/detect-non-literal-fs-filename -- font files from a fixed list of system places or the administrator's CLINIQUE_PDF_FONT */
import fs from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import type { PDFFont, PDFPage } from 'pdf-lib';
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import type { Language } from '../../../shared/src/errors';
import type { PatientRecord } from '../../../shared/src/fhir';
import { insExportable } from '../../../shared/src/identity/ins-vigilance';
import { formatCalendarDate, formatParisDate, formatParisDateTime } from '../../../shared/src/time';

/**
 * The readable summary of a patient's record (RGPD Art. 15: "a copy … in a commonly used
 * electronic form"), in the patient's language (fr, de, en), made with pdf-lib (MIT).
 * A TrueType font is embedded (subset) so accents and ß print and can be searched and
 * copied: the first found of CLINIQUE_PDF_FONT, DejaVu Sans, Liberation Sans, Arial
 * (Linux, Windows and macOS places); where none exists the PDF's standard Helvetica is
 * used, which prints Western European letters (WinAnsi) and replaces others by "?".
 */

const T = {
  fr: {
    title: 'Résumé du dossier médical',
    generated: 'Document établi le',
    identity: 'Identité',
    birthName: 'Nom de naissance',
    usedName: 'Nom utilisé',
    firstNames: 'Prénoms',
    birthDate: 'Date de naissance',
    sex: 'Sexe',
    sexes: { F: 'féminin', M: 'masculin', U: 'indéterminé' },
    ins: 'INS (identité qualifiée)',
    status: 'Statut de l’identité',
    address: 'Adresse',
    allergies: 'Allergies et intolérances',
    treatments: 'Prescriptions',
    encounters: 'Consultations',
    results: 'Résultats et mesures',
    documents: 'Documents',
    imaging: 'Imagerie',
    none: 'Aucun élément enregistré.',
    range: 'valeurs de référence',
    page: 'Page',
    of: 'sur',
    prescriber: 'Prescripteur (RPPS)',
    renewals: 'renouvellements',
    criticality: {
      low: 'criticité faible',
      high: 'criticité élevée',
      'unable-to-assess': 'criticité non évaluable',
    },
    footer: 'Copie remise au patient au titre de son droit d’accès (RGPD, art. 15).',
  },
  de: {
    title: 'Zusammenfassung der Patientenakte',
    generated: 'Erstellt am',
    identity: 'Identität',
    birthName: 'Geburtsname',
    usedName: 'Gebrauchsname',
    firstNames: 'Vornamen',
    birthDate: 'Geburtsdatum',
    sex: 'Geschlecht',
    sexes: { F: 'weiblich', M: 'männlich', U: 'unbestimmt' },
    ins: 'INS (qualifizierte Identität)',
    status: 'Status der Identität',
    address: 'Anschrift',
    allergies: 'Allergien und Unverträglichkeiten',
    treatments: 'Verordnungen',
    encounters: 'Konsultationen',
    results: 'Ergebnisse und Messungen',
    documents: 'Dokumente',
    imaging: 'Bildgebung',
    none: 'Keine Einträge.',
    range: 'Referenzbereich',
    page: 'Seite',
    of: 'von',
    prescriber: 'Verordner (RPPS)',
    renewals: 'Wiederholungen',
    criticality: {
      low: 'geringe Kritikalität',
      high: 'hohe Kritikalität',
      'unable-to-assess': 'Kritikalität nicht beurteilbar',
    },
    footer: 'Kopie für die Patientin / den Patienten gemäß Auskunftsrecht (DSGVO, Art. 15).',
  },
  en: {
    title: 'Summary of the medical record',
    generated: 'Issued on',
    identity: 'Identity',
    birthName: 'Birth name',
    usedName: 'Used name',
    firstNames: 'First names',
    birthDate: 'Date of birth',
    sex: 'Sex',
    sexes: { F: 'female', M: 'male', U: 'undetermined' },
    ins: 'INS (qualified identity)',
    status: 'Identity status',
    address: 'Address',
    allergies: 'Allergies and intolerances',
    treatments: 'Prescriptions',
    encounters: 'Consultations',
    results: 'Results and measurements',
    documents: 'Documents',
    imaging: 'Imaging',
    none: 'Nothing recorded.',
    range: 'reference range',
    page: 'Page',
    of: 'of',
    prescriber: 'Prescriber (RPPS)',
    renewals: 'renewals',
    criticality: {
      low: 'low criticality',
      high: 'high criticality',
      'unable-to-assess': 'criticality not assessable',
    },
    footer: 'Copy given to the patient under the right of access (GDPR, Art. 15).',
  },
} as const;

const FONT_CANDIDATES = [
  ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'],
  ['/usr/share/fonts/dejavu/DejaVuSans.ttf', '/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf'],
  ['/usr/share/fonts/TTF/DejaVuSans.ttf', '/usr/share/fonts/TTF/DejaVuSans-Bold.ttf'],
  [
    '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
    '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf',
  ],
  ['C:\\Windows\\Fonts\\arial.ttf', 'C:\\Windows\\Fonts\\arialbd.ttf'],
  ['/System/Library/Fonts/Supplemental/Arial.ttf', '/System/Library/Fonts/Supplemental/Arial Bold.ttf'],
  ['/Library/Fonts/Arial.ttf', '/Library/Fonts/Arial Bold.ttf'],
] as const;

/** The TrueType files to embed (regular, bold), or undefined for the standard fonts. */
export function findPdfFonts(
  env: NodeJS.ProcessEnv = process.env,
): { regular: string; bold: string } | undefined {
  const own = env['CLINIQUE_PDF_FONT'];
  if (own !== undefined && own !== '' && fs.existsSync(own))
    return { regular: own, bold: env['CLINIQUE_PDF_FONT_BOLD'] ?? own };
  for (const [regular, bold] of FONT_CANDIDATES) {
    if (fs.existsSync(regular)) return { regular, bold: fs.existsSync(bold) ? bold : regular };
  }
  return undefined;
}

/** WinAnsi covers Latin-1 and a few more (œ, Œ, €, ’, “ ”, –, —); the standard fonts cannot draw anything else. */
const WIN_ANSI_EXTRA = new Set([...'œŒ€‚ƒ„…†‡ˆ‰Š‹ŽšžŸ‘’“”•–—˜™›']);
function winAnsi(s: string): string {
  let out = '';
  for (const ch of s.normalize('NFC')) {
    const c = ch.codePointAt(0) ?? 63;
    out += (c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.has(ch) ? ch : '?';
  }
  return out;
}

type Writer = {
  heading(text: string): void;
  line(text: string, opts?: { bold?: boolean; indent?: number; size?: number; grey?: boolean }): void;
  gap(h?: number): void;
};

export type PdfSummaryOptions = {
  readonly language: Language;
  readonly at: string;
  readonly testMode?: boolean;
  /** Override of the font lookup (tests); null forces the standard fonts. */
  readonly fonts?: { regular: string; bold: string } | null;
};

export async function buildPdfSummary(
  record: PatientRecord,
  options: PdfSummaryOptions,
): Promise<Uint8Array> {
  const t = T[options.language];
  const lang = options.language;
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${t.title} — ${record.patient.birthName}`);
  pdf.setLanguage({ fr: 'fr-FR', de: 'de-DE', en: 'en-GB' }[lang]);
  pdf.setProducer('Clinique');
  pdf.setCreationDate(new Date(options.at));
  const files = options.fonts === null ? undefined : (options.fonts ?? findPdfFonts());
  let regular: PDFFont;
  let bold: PDFFont;
  let clean: (s: string) => string;
  if (files !== undefined) {
    pdf.registerFontkit(fontkit);
    regular = await pdf.embedFont(fs.readFileSync(files.regular), { subset: true });
    bold =
      files.bold === files.regular
        ? regular
        : await pdf.embedFont(fs.readFileSync(files.bold), { subset: true });
    // Characters the font lacks would draw as boxes: a space-like fallback keeps the layout.
    const set = new Set(regular.getCharacterSet());
    clean = (s) =>
      [...s.normalize('NFC').replace(/\t/g, ' ')]
        .map((ch) => (set.has(ch.codePointAt(0) ?? 0) ? ch : '?'))
        .join('');
  } else {
    regular = await pdf.embedFont(StandardFonts.Helvetica);
    bold = await pdf.embedFont(StandardFonts.HelveticaBold);
    clean = winAnsi;
  }

  const W = 595.28;
  const H = 841.89;
  const M = 50;
  let page: PDFPage = pdf.addPage([W, H]);
  let y = H - M;
  const pages: PDFPage[] = [page];
  const newPage = () => {
    page = pdf.addPage([W, H]);
    pages.push(page);
    y = H - M;
  };
  const wrap = (text: string, font: PDFFont, size: number, width: number): string[] => {
    const out: string[] = [];
    for (const para of clean(text).split('\n')) {
      let current = '';
      for (const word of para.split(' ')) {
        const next = current === '' ? word : `${current} ${word}`;
        if (font.widthOfTextAtSize(next, size) <= width || current === '') {
          current = next;
          // A single word wider than the line is cut.
          while (font.widthOfTextAtSize(current, size) > width && current.length > 1) {
            let cut = current.length - 1;
            while (cut > 1 && font.widthOfTextAtSize(current.slice(0, cut), size) > width) cut -= 1;
            out.push(current.slice(0, cut));
            current = current.slice(cut);
          }
        } else {
          out.push(current);
          current = word;
        }
      }
      out.push(current);
    }
    return out;
  };
  const w: Writer = {
    heading(text) {
      if (y < M + 60) newPage();
      y -= 8;
      page.drawText(clean(text), { x: M, y, size: 13, font: bold, color: rgb(0.1, 0.2, 0.45) });
      y -= 6;
      page.drawLine({ start: { x: M, y }, end: { x: W - M, y }, thickness: 0.5, color: rgb(0.6, 0.6, 0.7) });
      y -= 14;
    },
    line(text, opts = {}) {
      const size = opts.size ?? 10;
      const font = opts.bold === true ? bold : regular;
      const x = M + (opts.indent ?? 0);
      for (const l of wrap(text, font, size, W - M - x)) {
        if (y < M + 20) newPage();
        page.drawText(l, {
          x,
          y,
          size,
          font,
          color: opts.grey === true ? rgb(0.35, 0.35, 0.35) : rgb(0, 0, 0),
        });
        y -= size * 1.35;
      }
    },
    gap(h = 6) {
      y -= h;
    },
  };

  const p = record.patient;
  w.line(t.title, { bold: true, size: 18 });
  w.line(`${t.generated} ${formatParisDateTime(options.at, lang)}`, { grey: true });
  w.gap(4);
  w.heading(t.identity);
  w.line(`${t.birthName} : ${p.birthName}`.replace(' :', lang === 'fr' ? ' :' : ':'));
  if (p.usedName !== undefined) w.line(`${t.usedName}${lang === 'fr' ? ' :' : ':'} ${p.usedName}`);
  w.line(
    `${t.firstNames}${lang === 'fr' ? ' :' : ':'} ${p.firstNames.join(', ')}${p.usedFirstName === undefined ? '' : ` (${p.usedFirstName})`}`,
  );
  w.line(`${t.birthDate}${lang === 'fr' ? ' :' : ':'} ${formatCalendarDate(p.birthDate, lang)}`);
  w.line(`${t.sex}${lang === 'fr' ? ' :' : ':'} ${t.sexes[p.sex]}`);
  w.line(`${t.status}${lang === 'fr' ? ' :' : ':'} ${p.identityStatus}`);
  const ins = insExportable(p, { testMode: options.testMode === true });
  if (ins !== undefined) w.line(`${t.ins}${lang === 'fr' ? ' :' : ':'} ${ins.matricule} (${ins.oid})`);
  const addr = [
    ...p.contact.addressLines,
    [p.contact.postalCode, p.contact.city].filter(Boolean).join(' '),
  ].filter((s) => s !== '');
  if (addr.length > 0) w.line(`${t.address}${lang === 'fr' ? ' :' : ':'} ${addr.join(', ')}`);

  w.heading(t.allergies);
  if (record.allergies.length === 0) w.line(t.none, { grey: true });
  for (const a of record.allergies) {
    if (a.status === 'entered-in-error') continue;
    w.line(
      `• ${a.substance.display} — ${t.criticality[a.criticality]}${a.reaction === undefined ? '' : ` — ${a.reaction}`}`,
    );
  }

  w.heading(t.treatments);
  if (record.prescriptions.length === 0) w.line(t.none, { grey: true });
  for (const rx of [...record.prescriptions].sort((a, b) => (a.date < b.date ? 1 : -1))) {
    if (rx.status === 'entered-in-error') continue;
    w.line(
      `${formatCalendarDate(rx.date, lang)} — ${t.prescriber} ${rx.prescriberRpps}${rx.renewals > 0 ? ` — ${rx.renewals} ${t.renewals}` : ''}`,
      { bold: true },
    );
    for (const line of rx.lines)
      w.line(`• ${line.medication.display} : ${line.dosageText}`.replace(' :', lang === 'fr' ? ' :' : ':'), {
        indent: 10,
      });
  }

  w.heading(t.encounters);
  if (record.encounters.length === 0) w.line(t.none, { grey: true });
  for (const e of [...record.encounters].sort((a, b) => (a.start < b.start ? 1 : -1))) {
    if (e.status === 'entered-in-error') continue;
    w.line(`${formatParisDate(e.start, lang)}${e.reason.trim() === '' ? '' : ` — ${e.reason}`}`, {
      bold: true,
    });
    for (const entry of e.entries) w.line(entry.text, { indent: 10 });
    w.gap(2);
  }

  w.heading(t.results);
  if (record.observations.length === 0) w.line(t.none, { grey: true });
  for (const o of [...record.observations].sort((a, b) => (a.effectiveAt < b.effectiveAt ? 1 : -1))) {
    if (o.status === 'entered-in-error' || o.status === 'cancelled') continue;
    const v =
      o.value.type === 'quantity'
        ? `${o.value.value.toLocaleString({ fr: 'fr-FR', de: 'de-DE', en: 'en-GB' }[lang])}${o.unit === undefined ? '' : ` ${o.unit}`}`
        : o.value.type === 'string'
          ? o.value.value
          : (o.value.display ?? o.value.code);
    const range = o.referenceRange;
    const r =
      range === undefined
        ? ''
        : ` (${t.range} ${range.text ?? [range.low, range.high].map((n) => (n === undefined ? '…' : String(n))).join('–')})`;
    w.line(
      `${formatParisDate(o.effectiveAt, lang)} — ${o.display} : ${v}${o.interpretation === undefined || o.interpretation === 'N' ? '' : ` [${o.interpretation}]`}${r}`.replace(
        ' : ',
        lang === 'fr' ? ' : ' : ': ',
      ),
    );
  }

  w.heading(t.documents);
  if (record.documents.length === 0) w.line(t.none, { grey: true });
  for (const d of record.documents) w.line(`${formatParisDate(d.createdAt, lang)} — ${d.title}`);

  w.heading(t.imaging);
  if (record.imagingStudies.length === 0) w.line(t.none, { grey: true });
  for (const s of record.imagingStudies) {
    w.line(
      `${s.studyDate === undefined ? '' : `${formatCalendarDate(s.studyDate, lang)} — `}${s.modalities.join(', ')}${s.description === undefined ? '' : ` — ${s.description}`}`,
    );
  }

  for (const [i, pg] of pages.entries()) {
    const footer = clean(`${t.footer}   ${t.page} ${i + 1} ${t.of} ${pages.length}`);
    pg.drawText(footer, { x: M, y: 25, size: 8, font: regular, color: rgb(0.4, 0.4, 0.4) });
  }
  return pdf.save();
}
