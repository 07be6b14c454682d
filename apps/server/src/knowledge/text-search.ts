/**
 * Which Postgres text search configuration reads an agent's documents: the one for the agent's
 * language (stemming, stop words), or `simple` for languages Postgres has no stemmer for.
 */
const CONFIGS: Record<string, string> = {
  ar: 'arabic',
  ca: 'catalan',
  da: 'danish',
  de: 'german',
  el: 'greek',
  en: 'english',
  es: 'spanish',
  eu: 'basque',
  fi: 'finnish',
  fr: 'french',
  ga: 'irish',
  hi: 'hindi',
  hu: 'hungarian',
  hy: 'armenian',
  id: 'indonesian',
  it: 'italian',
  lt: 'lithuanian',
  nb: 'norwegian',
  ne: 'nepali',
  nl: 'dutch',
  nn: 'norwegian',
  no: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sr: 'serbian',
  sv: 'swedish',
  ta: 'tamil',
  tr: 'turkish',
  yi: 'yiddish',
};

/** `en-US` → `english`; unknown languages → `simple`. Only names from the table above reach SQL. */
export function textSearchConfig(language: string): string {
  return CONFIGS[language.toLowerCase().split(/[-_]/)[0] ?? ''] ?? 'simple';
}
