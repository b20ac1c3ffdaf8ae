import { describe, expect, it } from 'vitest';
import { filterTags } from './tag-filter';

const rows = [
  { tag: '(0010,0010)', vr: 'PN', name: 'PatientName', value: 'Buc^Jérôme' },
  { tag: '(0028,0030)', vr: 'DS', name: 'PixelSpacing', value: '0.5\\0.5' },
  { tag: '(0008,0060)', vr: 'CS', name: 'Modality', value: 'CT' },
];

describe('tag browser search', () => {
  it('matches keyword, tag with or without punctuation, VR and value, ignoring case and accents', () => {
    expect(filterTags(rows, 'pixel').map((r) => r.name)).toEqual(['PixelSpacing']);
    expect(filterTags(rows, '00280030').map((r) => r.name)).toEqual(['PixelSpacing']);
    expect(filterTags(rows, '(0010,0010)').map((r) => r.name)).toEqual(['PatientName']);
    expect(filterTags(rows, 'jerome').map((r) => r.name)).toEqual(['PatientName']);
    expect(filterTags(rows, 'cs ct').map((r) => r.name)).toEqual(['Modality']);
    expect(filterTags(rows, '  ')).toHaveLength(3);
    expect(filterTags(rows, 'nothing-like-this')).toEqual([]);
  });
});
