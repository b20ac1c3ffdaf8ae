import { describe, expect, it } from 'vitest';
import { dateInputText, parseDateInput } from './date-input';

describe('date input', () => {
  it('reads the ways dates are typed in France and Germany', () => {
    expect(parseDateInput('03/12/1984')).toBe('1984-12-03');
    expect(parseDateInput('3.12.1984')).toBe('1984-12-03');
    expect(parseDateInput('03121984')).toBe('1984-12-03');
    expect(parseDateInput(' 1984-12-03 ')).toBe('1984-12-03');
  });

  it('refuses days that do not exist and other shapes', () => {
    expect(parseDateInput('30/02/2024')).toBeUndefined();
    expect(parseDateInput('29/02/2023')).toBeUndefined();
    expect(parseDateInput('12/1984')).toBeUndefined();
    expect(parseDateInput('')).toBeUndefined();
  });

  it('shows stored dates in the field format', () => {
    expect(dateInputText('1984-12-03')).toBe('03/12/1984');
    expect(dateInputText('1984-12-03', '.')).toBe('03.12.1984');
  });
});
