import { describe, expect, it } from 'vitest';
import { IMAGING_API, IMAGING_API_CHANNELS, IMAGING_API_EVENTS, IMAGING_EVENTS } from './imaging-contract';

describe('imaging contract entries', () => {
  it('name exactly the channels and events they define', () => {
    expect([...IMAGING_API_CHANNELS].sort()).toEqual(Object.keys(IMAGING_API).sort());
    expect([...IMAGING_API_EVENTS].sort()).toEqual(Object.keys(IMAGING_EVENTS).sort());
  });

  it('refuse a confirmation that attaches without a patient, and unknown fields', () => {
    const confirm = IMAGING_API['imaging:import-confirm'].request;
    expect(confirm.safeParse({ importId: 'a1', studyInstanceUid: '1.2.3', decision: { attach: true } }).success).toBe(false);
    expect(confirm.safeParse({ importId: 'a1', studyInstanceUid: '1.2.3', decision: { attach: false } }).success).toBe(true);
    expect(IMAGING_API['imaging:import-start'].request.safeParse({ paths: ['/media/cdrom'], extra: 1 }).success).toBe(false);
    expect(IMAGING_API['imaging:import-start'].request.safeParse({ paths: [] }).success).toBe(false);
  });
});
