/**
 * DICOM's linear VOI function (PS3.3 C.11.2.1.2, the one dcmtk applies) maps x to
 * ((x − (c − 0.5)) / (w − 1) + 0.5) × 255 inside the window; Cornerstone's maps it to
 * ((x − c) / w + 0.5) × 255. For narrow windows the two differ by several grey levels
 * (2.55 levels at the edges of a 100-wide window). Giving Cornerstone c − 0.5 and w − 1
 * makes its formula DICOM's; the viewer keeps showing the DICOM values c and w.
 */
export function cornerstoneVoi(center: number, width: number): { windowCenter: number; windowWidth: number } {
  return { windowCenter: center - 0.5, windowWidth: Math.max(1, width - 1) };
}

/** The DICOM window of Cornerstone values made by cornerstoneVoi. */
export function dicomVoi(windowCenter: number, windowWidth: number): { center: number; width: number } {
  return { center: windowCenter + 0.5, width: windowWidth + 1 };
}
