/** The screens of the unlocked app; no router library: a workstation app has no URLs to share. */
export type View =
  | { readonly name: 'patients' }
  | { readonly name: 'patient-new' }
  | { readonly name: 'patient-edit'; readonly patientId: string }
  | { readonly name: 'record'; readonly patientId: string }
  | { readonly name: 'consultation'; readonly patientId: string; readonly encounterId?: string }
  | { readonly name: 'conflicts' }
  | { readonly name: 'settings' }
  | { readonly name: 'audit' }
  | { readonly name: 'rights' }
  | { readonly name: 'duplicates' }
  | { readonly name: 'hl7' };

export type Role = 'practitioner' | 'secretary' | 'dpo' | 'admin';

/** Who sees what (as the host and server enforce it; the UI only hides what would be refused). */
export function canSeeClinical(role: Role): boolean {
  return role === 'practitioner';
}

export function canSeePatients(role: Role): boolean {
  return role === 'practitioner' || role === 'secretary';
}

export function homeView(role: Role): View {
  return canSeePatients(role) ? { name: 'patients' } : { name: 'audit' };
}

/** Whether a role may open a view at all; anything else falls back to its home view. */
export function allowedView(role: Role, view: View): boolean {
  switch (view.name) {
    case 'patients':
    case 'patient-new':
    case 'patient-edit':
    case 'record':
      return canSeePatients(role);
    case 'consultation':
      return canSeeClinical(role);
    case 'audit':
      return role === 'dpo' || role === 'admin';
    case 'rights':
      return role === 'dpo';
    case 'duplicates':
    case 'hl7':
    case 'conflicts':
      // Conflicts are fields of patient documents: only for roles that work on patients.
      return canSeePatients(role);
    case 'settings':
      return true;
  }
}
