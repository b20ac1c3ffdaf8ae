import type { Messages } from '../app-error';

/** Identity (AUTH_) and access (ACCESS_) codes of the sync server. */
export const AUTH_MESSAGES = {
  AUTH_INVALID_CREDENTIALS: {
    fr: 'Identifiant ou mot de passe incorrect.',
    de: 'Benutzername oder Passwort ist falsch.',
    en: 'Incorrect username or password.',
  },
  AUTH_LOCKED: {
    fr: 'Trop d’essais de connexion échoués : le compte est bloqué pendant {{minutes}} minutes.',
    de: 'Zu viele fehlgeschlagene Anmeldeversuche: Das Konto ist für {{minutes}} Minuten gesperrt.',
    en: 'Too many failed sign-in attempts: the account is locked for {{minutes}} minutes.',
  },
  AUTH_RATE_LIMITED: {
    fr: 'Trop de tentatives de connexion depuis ce poste. Réessayez dans quelques minutes.',
    de: 'Zu viele Anmeldeversuche von diesem Arbeitsplatz. Versuchen Sie es in einigen Minuten erneut.',
    en: 'Too many sign-in attempts from this workstation. Try again in a few minutes.',
  },
  AUTH_TOKEN_MISSING: {
    fr: 'Authentification requise : connectez-vous.',
    de: 'Anmeldung erforderlich.',
    en: 'Authentication required: please sign in.',
  },
  AUTH_TOKEN_INVALID: {
    fr: 'La session n’est plus valide : reconnectez-vous.',
    de: 'Die Sitzung ist nicht mehr gültig: Bitte melden Sie sich erneut an.',
    en: 'The session is no longer valid: please sign in again.',
  },
  AUTH_TOKEN_EXPIRED: {
    fr: 'La session a expiré.',
    de: 'Die Sitzung ist abgelaufen.',
    en: 'The session has expired.',
  },
  AUTH_REFRESH_REUSED: {
    fr: 'Un jeton de session déjà utilisé a été présenté : par sécurité, la session a été fermée. Reconnectez-vous.',
    de: 'Ein bereits verwendetes Sitzungstoken wurde vorgelegt: Aus Sicherheitsgründen wurde die Sitzung beendet. Bitte melden Sie sich erneut an.',
    en: 'An already used session token was presented: the session was closed for safety. Please sign in again.',
  },
  AUTH_WORKSTATION_UNKNOWN: {
    fr: 'Ce poste n’est pas enregistré auprès du serveur de la clinique.',
    de: 'Dieser Arbeitsplatz ist beim Server der Praxis nicht registriert.',
    en: 'This workstation is not registered with the clinic server.',
  },
  AUTH_WORKSTATION_MISMATCH: {
    fr: 'Cette session appartient à un autre poste.',
    de: 'Diese Sitzung gehört zu einem anderen Arbeitsplatz.',
    en: 'This session belongs to another workstation.',
  },
  AUTH_FORBIDDEN: {
    fr: 'Votre rôle ne permet pas cette action.',
    de: 'Ihre Rolle erlaubt diese Aktion nicht.',
    en: 'Your role does not allow this action.',
  },
  AUTH_USERNAME_TAKEN: {
    fr: 'L’identifiant « {{username}} » est déjà utilisé.',
    de: 'Der Benutzername „{{username}}“ ist bereits vergeben.',
    en: 'The username "{{username}}" is already taken.',
  },
  AUTH_USER_NOT_FOUND: {
    fr: 'Utilisateur introuvable : « {{user}} ».',
    de: 'Benutzer nicht gefunden: „{{user}}“.',
    en: 'User not found: "{{user}}".',
  },
  AUTH_PASSWORD_WEAK: {
    fr: 'Le mot de passe doit compter au moins {{min}} caractères.',
    de: 'Das Passwort muss mindestens {{min}} Zeichen lang sein.',
    en: 'The password must be at least {{min}} characters long.',
  },
  AUTH_RPPS_NOT_ALLOWED: {
    fr: 'Seul un praticien a un numéro RPPS.',
    de: 'Nur Ärzte haben eine RPPS-Nummer.',
    en: 'Only a practitioner has an RPPS number.',
  },
  AUTH_WORKSTATION_NAME_TAKEN: {
    fr: 'Un poste nommé « {{name}} » est déjà enregistré.',
    de: 'Ein Arbeitsplatz namens „{{name}}“ ist bereits registriert.',
    en: 'A workstation named "{{name}}" is already registered.',
  },
  AUTH_WORKSTATION_NOT_FOUND: {
    fr: 'Poste introuvable : « {{workstation}} ».',
    de: 'Arbeitsplatz nicht gefunden: „{{workstation}}“.',
    en: 'Workstation not found: "{{workstation}}".',
  },
  AUTH_REQUEST_INVALID: {
    fr: 'Requête invalide.',
    de: 'Ungültige Anfrage.',
    en: 'Invalid request.',
  },
  AUTH_COMMAND_INVALID: {
    fr: 'Commande invalide : {{usage}}',
    de: 'Ungültiger Befehl: {{usage}}',
    en: 'Invalid command: {{usage}}',
  },
  ACCESS_NO_GRANT: {
    fr: 'Vous n’avez pas accès à ce patient.',
    de: 'Sie haben keinen Zugriff auf diesen Patienten.',
    en: 'You have no access to this patient.',
  },
  ACCESS_CLINICAL_DENIED: {
    fr: 'Votre rôle ne donne pas accès aux données cliniques.',
    de: 'Ihre Rolle erlaubt keinen Zugriff auf klinische Daten.',
    en: 'Your role gives no access to clinical data.',
  },
  ACCESS_ROLE_NO_DOCUMENTS: {
    fr: 'Votre rôle ne donne accès à aucun dossier patient.',
    de: 'Ihre Rolle erlaubt keinen Zugriff auf Patientenakten.',
    en: 'Your role gives no access to patient records.',
  },
  ACCESS_PATIENT_REQUIRED: {
    fr: 'Ce document n’est rattaché à aucun patient.',
    de: 'Dieses Dokument ist keinem Patienten zugeordnet.',
    en: 'This document is not linked to a patient.',
  },
  ACCESS_GRANT_NOT_FOUND: {
    fr: 'Aucun accès actif de cet utilisateur à ce patient.',
    de: 'Kein aktiver Zugriff dieses Benutzers auf diesen Patienten.',
    en: 'No active access of this user to this patient.',
  },
  ACCESS_GRANTEE_ROLE: {
    fr: 'Un accès à un patient ne peut être donné qu’à un praticien.',
    de: 'Zugriff auf einen Patienten kann nur einem Arzt gewährt werden.',
    en: 'Access to a patient can only be given to a practitioner.',
  },
  ACCESS_EXPIRY_PAST: {
    fr: 'La date de fin d’accès est déjà passée.',
    de: 'Das Ende des Zugriffs liegt bereits in der Vergangenheit.',
    en: 'The end of access is already in the past.',
  },
  ACCESS_TEAM_NOT_FOUND: {
    fr: 'Équipe de soins introuvable : « {{team}} ».',
    de: 'Behandlungsteam nicht gefunden: „{{team}}“.',
    en: 'Care team not found: "{{team}}".',
  },
  ACCESS_TEAM_NAME_TAKEN: {
    fr: 'Une équipe de soins nommée « {{name}} » existe déjà.',
    de: 'Ein Behandlungsteam namens „{{name}}“ existiert bereits.',
    en: 'A care team named "{{name}}" already exists.',
  },
  ACCESS_BREAK_GLASS_ROLE: {
    fr: 'Seul un praticien peut ouvrir un dossier en accès d’urgence.',
    de: 'Nur ein Arzt kann eine Akte im Notfallzugriff öffnen.',
    en: 'Only a practitioner can open a record with emergency access.',
  },
  ACCESS_BREAK_GLASS_REASON: {
    fr: 'L’accès d’urgence exige un motif d’au moins {{min}} caractères.',
    de: 'Der Notfallzugriff erfordert eine Begründung von mindestens {{min}} Zeichen.',
    en: 'Emergency access requires a reason of at least {{min}} characters.',
  },
} as const satisfies Record<string, Messages>;
