import type { RxJsonSchema } from 'rxdb';

/** A patient record shaped like the app's: identity, NIR, address. */
export type BenchPatient = {
  id: string;
  lastName: string;
  firstName: string;
  sex: 'F' | 'M';
  birthDate: string;
  nir: string;
  address: { line: string; postalCode: string; city: string };
  phone: string;
  updatedAt: number;
};

export const patientSchema: RxJsonSchema<BenchPatient> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    lastName: { type: 'string', maxLength: 80 },
    firstName: { type: 'string', maxLength: 80 },
    sex: { type: 'string', enum: ['F', 'M'], maxLength: 1 },
    birthDate: { type: 'string', maxLength: 10 },
    nir: { type: 'string', maxLength: 15 },
    address: {
      type: 'object',
      properties: {
        line: { type: 'string' },
        postalCode: { type: 'string' },
        city: { type: 'string' },
      },
      required: ['line', 'postalCode', 'city'],
    },
    phone: { type: 'string' },
    updatedAt: { type: 'number', minimum: 0, maximum: 1e15, multipleOf: 1 },
  },
  required: ['id', 'lastName', 'firstName', 'sex', 'birthDate', 'nir', 'address', 'phone', 'updatedAt'],
  indexes: ['birthDate', 'lastName'],
};

/** mulberry32: tiny, seedable, good enough to make every run write the same documents. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LAST_NAMES = [
  'Martin', 'Bernard', 'Lefèvre', 'Dubois', 'Moreau', 'Lefebvre', 'Girard', 'André', 'Mercier', 'Dupré',
  'Bénard', 'Noël', 'Gérard', 'Hébert', 'Lemaître', 'Prévost', 'Guérin', 'Maréchal', 'Sénéchal', 'Benoît',
  'Rousseau', 'Fournier', 'Chevalier', 'François', 'Clément', 'Faure', 'Gauthier', 'Barbier', 'Brunet', 'Bézier',
  'Ménard', 'Léger', 'Thébault', 'Côté', 'Lécuyer', 'Desmarais', 'Châtelain', 'Bourgeois', 'Roussel', 'Perrin',
];
const FIRST_F = ['Élodie', 'Chloé', 'Léa', 'Inès', 'Zoé', 'Anaïs', 'Héloïse', 'Maëlys', 'Hélène', 'Céline', 'Amélie', 'Agnès', 'Océane', 'Noémie', 'Camille', 'Françoise'];
const FIRST_M = ['Gaël', 'Jérôme', 'François', 'Loïc', 'Benoît', 'Noël', 'Cédric', 'Raphaël', 'Joël', 'Mathéo', 'Théo', 'Hugo', 'Clément', 'Aurélien', 'Stéphane', 'Frédéric'];
const STREETS = [
  'rue de la République', 'avenue Jean-Jaurès', 'boulevard Saint-Michel', 'place de l’Église', 'chemin des Écoliers',
  'impasse du Château', 'rue Émile-Zola', 'allée des Pêcheurs', 'quai de la Fontaine', 'rue du Général-de-Gaulle',
];
const CITIES: readonly (readonly [string, string, string])[] = [
  ['75011', 'Paris', '75'], ['69003', 'Lyon', '69'], ['13005', 'Marseille', '13'], ['42000', 'Saint-Étienne', '42'],
  ['25000', 'Besançon', '25'], ['30000', 'Nîmes', '30'], ['45000', 'Orléans', '45'], ['16000', 'Angoulême', '16'],
  ['27000', 'Évreux', '27'], ['51000', 'Châlons-en-Champagne', '51'], ['34500', 'Béziers', '34'], ['24000', 'Périgueux', '24'],
];

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('empty list');
  return item;
}

function digits(random: () => number, count: number): string {
  let s = '';
  for (let i = 0; i < count; i++) s += String(Math.floor(random() * 10));
  return s;
}

/** Birth dates span these days: 1925-01-01 to 2024-12-31. */
export const FIRST_BIRTH_DAY = Date.UTC(1925, 0, 1) / 86_400_000;
export const BIRTH_DAYS = Math.round(Date.UTC(2025, 0, 1) / 86_400_000 - FIRST_BIRTH_DAY);

export function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

export const DEFAULT_SEED = 20_260_101;

/** `count` patients, the same ones for the same seed. */
export function generatePatients(count: number, seed = DEFAULT_SEED): BenchPatient[] {
  return [...patientStream(count, seed)];
}

/** The same patients as generatePatients, made on demand, so a writer need not hold them all. */
export function* patientStream(count: number, seed = DEFAULT_SEED): Generator<BenchPatient> {
  const random = seededRandom(seed);
  for (let i = 0; i < count; i++) {
    const sex = random() < 0.5 ? 'F' : 'M';
    const birthDate = isoDay(FIRST_BIRTH_DAY + Math.floor(random() * BIRTH_DAYS));
    const [postalCode, city, department] = pick(random, CITIES);
    // NIR shape: sex, YYMM of birth, department, commune, order number, then the key 97 - (n mod 97).
    const body = `${sex === 'M' ? 1 : 2}${birthDate.slice(2, 4)}${birthDate.slice(5, 7)}${department}${digits(random, 3)}${digits(random, 3)}`;
    const nirKey = 97 - Number(BigInt(body) % 97n);
    yield {
      id: `pat-${i.toString(36).padStart(6, '0')}-${digits(random, 6)}`,
      lastName: pick(random, LAST_NAMES),
      firstName: pick(random, sex === 'F' ? FIRST_F : FIRST_M),
      sex,
      birthDate,
      nir: `${body}${String(nirKey).padStart(2, '0')}`,
      address: { line: `${1 + Math.floor(random() * 180)} ${pick(random, STREETS)}`, postalCode, city },
      phone: `0${6 + Math.floor(random() * 2)} ${digits(random, 2)} ${digits(random, 2)} ${digits(random, 2)} ${digits(random, 2)}`,
      updatedAt: 1_767_225_600_000 + i,
    };
  }
}
