import { describe, expect, it } from 'vitest';
import { answerImagingRequest, isImagingPath, isImagingRequestAllowed, parseImagingPath, statusOfCode } from './imaging-route';

describe('image byte route (pure part)', () => {
  it('takes exactly /imaging/<document id>/<DICOM UID>, as sent', () => {
    expect(parseImagingPath('/imaging/abc_1-2/1.2.840.10008.5')).toEqual({ studyId: 'abc_1-2', sopInstanceUid: '1.2.840.10008.5' });
    for (const p of ['/imaging/abc/1.2/', '/imaging/abc', '/imaging//1.2', '/imaging/a%62c/1.2', '/imaging/abc/1.02', '/imaging/abc/.1', '/imaging/../1.2', '/imaging/abc/1.2?x', '/Imaging/abc/1.2', '/imaging/_a/1.2'])
      expect(parseImagingPath(p), p).toBeUndefined();
    expect(isImagingPath('/imaging')).toBe(true);
    expect(isImagingPath('/imaging-viewer')).toBe(false);
  });

  it('maps host error codes to statuses and answers only the code', async () => {
    expect([statusOfCode('IMAGING_STUDY_NOT_FOUND'), statusOfCode('ACCESS_CLINICAL_DENIED'), statusOfCode('ACCESS_ROLE_NO_DOCUMENTS'), statusOfCode('VAULT_LOCKED'), statusOfCode('APP_INTERNAL_ERROR')]).toEqual([404, 403, 403, 423, 500]);
    let asked = 0;
    const read = async () => {
      asked += 1;
      return { ok: false as const, error: { code: 'ACCESS_CLINICAL_DENIED', params: { role: 'secretary' } } };
    };
    const denied = await answerImagingRequest(read, { method: 'GET', rawPathname: '/imaging/s1/1.2' }, { 'X-Frame-Options': 'DENY' });
    expect(denied).toEqual({ status: 403, headers: { 'X-Frame-Options': 'DENY', 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }, body: '{"code":"ACCESS_CLINICAL_DENIED"}' });
    await answerImagingRequest(read, { method: 'GET', rawPathname: '/imaging/s1/x' }, {});
    await answerImagingRequest(read, { method: 'HEAD', rawPathname: '/imaging/s1/1.2' }, {});
    expect(asked).toBe(1);
    const thrown = await answerImagingRequest(async () => Promise.reject(new Error('text with patient data')), { method: 'GET', rawPathname: '/imaging/s1/1.2' }, {});
    expect([thrown.status, thrown.body]).toEqual([500, '{"code":"APP_INTERNAL_ERROR"}']);
    const ok = await answerImagingRequest(async () => ({ ok: true as const, bytes: new Uint8Array([1, 2, 3]) }), { method: 'GET', rawPathname: '/imaging/s1/1.2' }, {});
    expect(ok.headers).toMatchObject({ 'Content-Type': 'application/dicom', 'Content-Length': '3', 'Cache-Control': 'no-store', 'Cross-Origin-Resource-Policy': 'same-origin' });
  });

  it('lets only fetches of our main frame reach the route (Electron onBeforeRequest)', () => {
    const main = { url: 'app://clinique/index.html', parent: null };
    const url = 'app://clinique/imaging/s1/1.2';
    expect(isImagingRequestAllowed({ url, resourceType: 'xhr', frame: main })).toBe(true);
    expect(isImagingRequestAllowed({ url, resourceType: 'fetch', frame: main })).toBe(true);
    expect(isImagingRequestAllowed({ url, resourceType: 'image', frame: main })).toBe(false);
    expect(isImagingRequestAllowed({ url, resourceType: 'mainFrame', frame: main })).toBe(false);
    expect(isImagingRequestAllowed({ url, resourceType: 'xhr', frame: { url: 'app://clinique/x', parent: main } })).toBe(false);
    expect(isImagingRequestAllowed({ url, resourceType: 'xhr', frame: { url: 'https://evil.example/', parent: null } })).toBe(false);
    expect(isImagingRequestAllowed({ url, resourceType: 'xhr', frame: null })).toBe(false);
    expect(isImagingRequestAllowed({ url: 'app://clinique/app.js', resourceType: 'script', frame: null })).toBe(true);
  });
});
