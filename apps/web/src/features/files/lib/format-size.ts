const UNITS = ['KB', 'MB', 'GB'] as const;

/** "512 B", "1.2 MB": one decimal below 10 of a unit, none above. */
export function formatFileSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(bytes || 0))} B`;
  let value = bytes;
  let unit: (typeof UNITS)[number] = 'KB';
  for (const next of UNITS) {
    value /= 1024;
    unit = next;
    if (value < 1024) break;
  }
  const rounded = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  // 1023.95 KB rounds to 1024 KB: show the next unit instead.
  if (rounded >= 1024 && unit !== 'GB') return formatFileSize(1024 ** (UNITS.indexOf(unit) + 2));
  return `${rounded} ${unit}`;
}

export const isImage = (mimeType: string) => mimeType.startsWith('image/');
