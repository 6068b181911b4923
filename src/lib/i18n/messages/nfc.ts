/** UI text: nfc. Japanese first; English mirrors every key (the type enforces it). */
export const ja = {} as const;

export const en: Record<keyof typeof ja, string> = {};
