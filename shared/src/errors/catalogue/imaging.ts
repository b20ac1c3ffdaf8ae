import type { Messages } from '../app-error';

/** Errors, warnings and per-file outcomes of the DICOM import (shared/src/dicom, main/src/imaging). */
export const IMAGING_MESSAGES = {
  // ---- reading one file
  DICOM_NOT_DICOM: {
    fr: 'Ce fichier n’est pas un fichier DICOM : il a été ignoré.',
    de: 'Diese Datei ist keine DICOM-Datei: Sie wurde übersprungen.',
    en: 'This file is not a DICOM file: it was skipped.',
  },
  DICOM_TRUNCATED: {
    fr: 'Ce fichier DICOM est tronqué (copie interrompue ou support abîmé) : il n’a pas été importé.',
    de: 'Diese DICOM-Datei ist abgeschnitten (unterbrochene Kopie oder beschädigter Datenträger): Sie wurde nicht importiert.',
    en: 'This DICOM file is truncated (interrupted copy or damaged medium): it was not imported.',
  },
  DICOM_MALFORMED: {
    fr: 'La structure de ce fichier DICOM est illisible : il n’a pas été importé.',
    de: 'Die Struktur dieser DICOM-Datei ist nicht lesbar: Sie wurde nicht importiert.',
    en: 'The structure of this DICOM file cannot be read: it was not imported.',
  },
  DICOM_DEFLATE_FAILED: {
    fr: 'Ce fichier DICOM compressé (deflate) n’a pas pu être décompressé : il n’a pas été importé.',
    de: 'Diese komprimierte DICOM-Datei (Deflate) konnte nicht entpackt werden: Sie wurde nicht importiert.',
    en: 'This compressed (deflated) DICOM file could not be decompressed: it was not imported.',
  },
  DICOM_REQUIRED_ELEMENT_MISSING: {
    fr: 'Il manque à ce fichier DICOM l’élément obligatoire {{tag}} : il n’a pas été importé.',
    de: 'Dieser DICOM-Datei fehlt das Pflichtelement {{tag}}: Sie wurde nicht importiert.',
    en: 'This DICOM file lacks the required element {{tag}}: it was not imported.',
  },
  DICOM_UID_INVALID: {
    fr: 'L’identifiant (UID) {{tag}} de ce fichier DICOM est mal formé : il n’a pas été importé.',
    de: 'Die Kennung (UID) {{tag}} dieser DICOM-Datei ist fehlerhaft: Sie wurde nicht importiert.',
    en: 'The identifier (UID) {{tag}} of this DICOM file is malformed: it was not imported.',
  },
  DICOM_PIXEL_DATA_TRUNCATED: {
    fr: 'Les données d’image de ce fichier DICOM sont incomplètes : il n’a pas été importé.',
    de: 'Die Bilddaten dieser DICOM-Datei sind unvollständig: Sie wurde nicht importiert.',
    en: 'The image data of this DICOM file is incomplete: it was not imported.',
  },
  DICOMDIR_MALFORMED: {
    fr: 'Le répertoire DICOMDIR de ce support est illisible ; importez plutôt le dossier entier.',
    de: 'Das DICOMDIR-Verzeichnis dieses Datenträgers ist nicht lesbar; importieren Sie stattdessen den ganzen Ordner.',
    en: 'The DICOMDIR of this medium cannot be read; import the whole folder instead.',
  },
  DICOMDIR_FILE_MISSING: {
    fr: 'Le DICOMDIR mentionne le fichier {{fileId}}, absent du support.',
    de: 'Das DICOMDIR nennt die Datei {{fileId}}, die auf dem Datenträger fehlt.',
    en: 'The DICOMDIR lists the file {{fileId}}, which is not on the medium.',
  },
  DICOM_CHARSET_UNSUPPORTED: {
    fr: 'Le jeu de caractères {{charset}} de ce fichier n’est pas pris en charge : certains textes peuvent s’afficher mal.',
    de: 'Der Zeichensatz {{charset}} dieser Datei wird nicht unterstützt: Manche Texte werden eventuell falsch angezeigt.',
    en: 'The character set {{charset}} of this file is not supported: some text may display wrongly.',
  },
  DICOM_VALUE_IGNORED: {
    fr: 'La valeur de l’élément {{tag}} est invalide et n’a pas été reprise ; le fichier a été importé.',
    de: 'Der Wert des Elements {{tag}} ist ungültig und wurde nicht übernommen; die Datei wurde importiert.',
    en: 'The value of element {{tag}} is invalid and was left out; the file was imported.',
  },
  DICOM_NO_PART10_HEADER: {
    fr: 'Ce fichier DICOM n’a pas d’en-tête de fichier (ancien support) : il a été importé avec un en-tête ajouté.',
    de: 'Diese DICOM-Datei hat keinen Datei-Header (älterer Datenträger): Sie wurde mit einem ergänzten Header importiert.',
    en: 'This DICOM file has no file header (older medium): it was imported with a header added.',
  },
  // ---- the import as a whole
  IMAGING_FILE_UNREADABLE: {
    fr: 'Ce fichier n’a pas pu être lu (droits, support retiré ?) : il n’a pas été importé.',
    de: 'Diese Datei konnte nicht gelesen werden (Rechte, Datenträger entfernt?): Sie wurde nicht importiert.',
    en: 'This file could not be read (permissions, medium removed?): it was not imported.',
  },
  IMAGING_FILE_TOO_LARGE: {
    fr: 'Ce fichier dépasse la taille maximale importable ({{maxMiB}} Mio) : il n’a pas été importé.',
    de: 'Diese Datei überschreitet die maximale Importgröße ({{maxMiB}} MiB): Sie wurde nicht importiert.',
    en: 'This file exceeds the maximum import size ({{maxMiB}} MiB): it was not imported.',
  },
  IMAGING_FILE_CHANGED: {
    fr: 'Ce fichier a changé sur le support pendant l’import : il n’a pas été importé. Relancez l’import.',
    de: 'Diese Datei hat sich während des Imports auf dem Datenträger geändert: Sie wurde nicht importiert. Starten Sie den Import erneut.',
    en: 'This file changed on the medium during the import: it was not imported. Start the import again.',
  },
  IMAGING_PATH_NOT_FOUND: {
    fr: 'Le fichier ou dossier à importer est introuvable.',
    de: 'Die zu importierende Datei bzw. der Ordner wurde nicht gefunden.',
    en: 'The file or folder to import cannot be found.',
  },
  IMAGING_NOTHING_TO_IMPORT: {
    fr: 'Aucun fichier DICOM n’a été trouvé à cet endroit.',
    de: 'An diesem Ort wurde keine DICOM-Datei gefunden.',
    en: 'No DICOM file was found there.',
  },
  IMAGING_INSTANCE_ALREADY_PRESENT: {
    fr: 'Cette image est déjà dans le dossier : rien n’a été ajouté.',
    de: 'Dieses Bild ist bereits in der Akte: Es wurde nichts hinzugefügt.',
    en: 'This image is already in the record: nothing was added.',
  },
  IMAGING_DUPLICATE_IN_IMPORT: {
    fr: 'Cette image figure deux fois dans l’import (même identifiant) : elle n’a été importée qu’une fois.',
    de: 'Dieses Bild kommt im Import zweimal vor (gleiche Kennung): Es wurde nur einmal importiert.',
    en: 'This image appears twice in the import (same identifier): it was imported once.',
  },
  IMAGING_PATIENT_CONFIRMATION_REQUIRED: {
    fr: 'L’examen est au nom de {{filePatient}} : confirmez qu’il s’agit bien de ce patient avant de l’ajouter au dossier.',
    de: 'Die Untersuchung lautet auf {{filePatient}}: Bestätigen Sie, dass es sich um diesen Patienten handelt, bevor sie der Akte hinzugefügt wird.',
    en: 'The study is in the name of {{filePatient}}: confirm it is this patient before adding it to the record.',
  },
  IMAGING_PATIENT_MISMATCH: {
    fr: 'L’examen est au nom de {{filePatient}}, qui ne correspond pas au patient du dossier : il n’a pas été ajouté. Vérifiez l’identité avant de confirmer.',
    de: 'Die Untersuchung lautet auf {{filePatient}}, was nicht zum Patienten der Akte passt: Sie wurde nicht hinzugefügt. Prüfen Sie die Identität, bevor Sie bestätigen.',
    en: 'The study is in the name of {{filePatient}}, who does not match the patient of the record: it was not added. Check the identity before confirming.',
  },
  IMAGING_PATIENT_INS_MISMATCH: {
    fr: 'L’INS inscrit dans l’examen ne correspond pas à celui du patient : l’examen appartient à une autre personne et n’a pas été ajouté.',
    de: 'Die in der Untersuchung eingetragene INS stimmt nicht mit der des Patienten überein: Die Untersuchung gehört zu einer anderen Person und wurde nicht hinzugefügt.',
    en: 'The INS recorded in the study does not match the patient’s: the study belongs to someone else and was not added.',
  },
  IMAGING_PATIENT_NOT_FOUND: {
    fr: 'Aucun patient du poste ne correspond à l’examen au nom de {{filePatient}} : choisissez le patient.',
    de: 'Kein Patient auf diesem Arbeitsplatz passt zur Untersuchung auf den Namen {{filePatient}}: Wählen Sie den Patienten aus.',
    en: 'No patient on this workstation matches the study in the name of {{filePatient}}: choose the patient.',
  },
  IMAGING_STUDY_PATIENTS_DIFFER: {
    fr: 'Les fichiers de cet examen ne sont pas tous au nom du même patient : il n’a pas été importé.',
    de: 'Die Dateien dieser Untersuchung lauten nicht alle auf denselben Patienten: Sie wurde nicht importiert.',
    en: 'The files of this study are not all in the name of the same patient: it was not imported.',
  },
  IMAGING_STUDY_OTHER_PATIENT: {
    fr: 'Cet examen est déjà rangé dans le dossier d’un autre patient : il n’a pas été ajouté ici.',
    de: 'Diese Untersuchung ist bereits in der Akte eines anderen Patienten abgelegt: Sie wurde hier nicht hinzugefügt.',
    en: 'This study is already filed in another patient’s record: it was not added here.',
  },
  IMAGING_STUDY_DECLINED: {
    fr: 'Examen écarté à votre demande : rien n’a été ajouté.',
    de: 'Untersuchung auf Ihren Wunsch verworfen: Es wurde nichts hinzugefügt.',
    en: 'Study set aside at your request: nothing was added.',
  },
  IMAGING_STUDY_TOO_LARGE: {
    fr: 'Cet examen dépasse la taille qu’un dossier peut contenir ({{limit}}) : il n’a pas été importé.',
    de: 'Diese Untersuchung überschreitet die Größe, die eine Akte aufnehmen kann ({{limit}}): Sie wurde nicht importiert.',
    en: 'This study exceeds what a record can hold ({{limit}}): it was not imported.',
  },
  IMAGING_STUDY_WRITE_FAILED: {
    fr: 'L’enregistrement de l’examen a échoué : rien n’en a été gardé. Réessayez.',
    de: 'Das Speichern der Untersuchung ist fehlgeschlagen: Davon wurde nichts behalten. Versuchen Sie es erneut.',
    en: 'Saving the study failed: nothing of it was kept. Try again.',
  },
  IMAGING_IMPORT_CANCELLED: {
    fr: 'Import annulé : les examens déjà enregistrés restent complets, les autres n’ont pas été ajoutés.',
    de: 'Import abgebrochen: Bereits gespeicherte Untersuchungen bleiben vollständig, die übrigen wurden nicht hinzugefügt.',
    en: 'Import cancelled: studies already saved stay complete, the others were not added.',
  },
  IMAGING_IMPORT_NOT_FOUND: {
    fr: 'Cet import n’existe pas ou est terminé.',
    de: 'Dieser Import existiert nicht oder ist beendet.',
    en: 'This import does not exist or has finished.',
  },
  IMAGING_IMPORT_BUSY: {
    fr: 'Un import d’images est déjà en cours : attendez sa fin ou annulez-le.',
    de: 'Es läuft bereits ein Bildimport: Warten Sie sein Ende ab oder brechen Sie ihn ab.',
    en: 'An image import is already running: wait for it to finish or cancel it.',
  },
  IMAGING_IMPORT_NOT_WAITING: {
    fr: 'Cet examen n’attend pas de confirmation.',
    de: 'Diese Untersuchung wartet auf keine Bestätigung.',
    en: 'This study is not waiting for a confirmation.',
  },
  IMAGING_WORKER_FAILED: {
    fr: 'Le module de lecture DICOM s’est arrêté de façon inattendue : l’import a été interrompu sans rien laisser d’incomplet.',
    de: 'Das DICOM-Lesemodul wurde unerwartet beendet: Der Import wurde abgebrochen, ohne etwas Unvollständiges zu hinterlassen.',
    en: 'The DICOM reader stopped unexpectedly: the import was interrupted and left nothing incomplete.',
  },
  IMAGING_STUDY_NOT_FOUND: {
    fr: 'Cet examen d’imagerie n’existe pas (ou plus) sur ce poste.',
    de: 'Diese Bilduntersuchung existiert auf diesem Arbeitsplatz nicht (mehr).',
    en: 'This imaging study does not exist (any more) on this workstation.',
  },
  // ---- showing an image (renderer/src/features/imaging/pipeline)
  IMAGING_DISPLAY_UNSUPPORTED_SYNTAX: {
    fr: 'Cette image est compressée dans un format que la visionneuse ne sait pas lire ({{transferSyntax}}).',
    de: 'Dieses Bild ist in einem Format komprimiert, das der Betrachter nicht lesen kann ({{transferSyntax}}).',
    en: 'This image is compressed in a format the viewer cannot read ({{transferSyntax}}).',
  },
  IMAGING_DISPLAY_NOT_AN_IMAGE: {
    fr: 'Ce fichier DICOM ne contient pas d’image à afficher (compte rendu, plan de traitement ou autre objet) : ses informations restent consultables.',
    de: 'Diese DICOM-Datei enthält kein anzeigbares Bild (Bericht, Bestrahlungsplan oder anderes Objekt): Ihre Angaben bleiben einsehbar.',
    en: 'This DICOM file holds no image to display (report, treatment plan or other object): its information can still be browsed.',
  },
  IMAGING_DISPLAY_CORRUPT: {
    fr: 'Les données de cette image sont endommagées : elle ne peut pas être affichée.',
    de: 'Die Daten dieses Bildes sind beschädigt: Es kann nicht angezeigt werden.',
    en: 'The data of this image is damaged: it cannot be displayed.',
  },
  IMAGING_DISPLAY_TRUNCATED: {
    fr: 'Cette image est incomplète (fichier tronqué) : elle ne peut pas être affichée.',
    de: 'Dieses Bild ist unvollständig (abgeschnittene Datei): Es kann nicht angezeigt werden.',
    en: 'This image is incomplete (truncated file): it cannot be displayed.',
  },
  IMAGING_DISPLAY_UNREADABLE: {
    fr: 'Ce fichier d’image est illisible : il ne peut pas être affiché.',
    de: 'Diese Bilddatei ist nicht lesbar: Sie kann nicht angezeigt werden.',
    en: 'This image file cannot be read: it cannot be displayed.',
  },
  IMAGING_DISPLAY_UNSUPPORTED_PIXELS: {
    fr: 'Le format des pixels de cette image n’est pas pris en charge par la visionneuse.',
    de: 'Das Pixelformat dieses Bildes wird vom Betrachter nicht unterstützt.',
    en: 'The pixel format of this image is not supported by the viewer.',
  },
  IMAGING_DISPLAY_FRAME_NOT_FOUND: {
    fr: 'Cette vue n’existe pas dans l’image (vue {{frame}} sur {{frames}}).',
    de: 'Dieses Teilbild existiert in der Aufnahme nicht (Teilbild {{frame}} von {{frames}}).',
    en: 'This frame does not exist in the image (frame {{frame}} of {{frames}}).',
  },
} as const satisfies Record<string, Messages>;
