export * from './nir';
export * from './ins';
export * from './rpps';
export * from './adeli';
export { luhnValid, luhnCheckDigit } from './luhn';
