import type { Messages } from '../app-error';

/** Errors the renderer meets on its own: the link to the host (IPC or browser-mode WebSocket) and answers it cannot trust. */
export const RENDERER_MESSAGES = {
  RENDERER_HOST_UNREACHABLE: {
    fr: 'La liaison avec l’application est interrompue. L’opération n’a peut-être pas abouti : vérifiez avant de recommencer.',
    de: 'Die Verbindung zur Anwendung ist unterbrochen. Der Vorgang wurde möglicherweise nicht abgeschlossen: Prüfen Sie dies, bevor Sie ihn wiederholen.',
    en: 'The link to the application was interrupted. The operation may not have completed: check before trying again.',
  },
  RENDERER_CALL_TIMEOUT: {
    fr: 'L’application ne répond pas. L’opération n’a peut-être pas abouti : vérifiez avant de recommencer.',
    de: 'Die Anwendung antwortet nicht. Der Vorgang wurde möglicherweise nicht abgeschlossen: Prüfen Sie dies, bevor Sie ihn wiederholen.',
    en: 'The application is not responding. The operation may not have completed: check before trying again.',
  },
  RENDERER_RESPONSE_INVALID: {
    fr: 'L’application a renvoyé une réponse inattendue ({{channel}}). Rechargez la fenêtre ; si le problème persiste, signalez-le.',
    de: 'Die Anwendung hat eine unerwartete Antwort geliefert ({{channel}}). Laden Sie das Fenster neu; melden Sie das Problem, falls es bestehen bleibt.',
    en: 'The application returned an unexpected answer ({{channel}}). Reload the window; if the problem persists, report it.',
  },
  RENDERER_SECRET_MISSING: {
    fr: 'Adresse incomplète : ouvrez l’adresse complète affichée au lancement de l’application (avec #secret=…).',
    de: 'Unvollständige Adresse: Öffnen Sie die vollständige Adresse, die beim Start der Anwendung angezeigt wurde (mit #secret=…).',
    en: 'Incomplete address: open the full address shown when the application started (with #secret=…).',
  },
} as const satisfies Record<string, Messages>;
