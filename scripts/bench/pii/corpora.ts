// The labelled corpora the PII benchmark scores: the project's own corpus (written alongside the
// detectors) and the independent one written without sight of them, in its tuning half (which the
// detectors were tuned against) and its held-out half (scored only for the report). Each case
// keeps its language, for per-language scores; the original corpus has none.
import originalData from "../../../convex/pii/fixtures/corpus.json";
import heldOutData from "../../../convex/pii/fixtures/independent/heldout.json";
import tuningData from "../../../convex/pii/fixtures/independent/tuning.json";
import { readCorpus, type CorpusCase } from "../../../convex/pii/score";

export interface LabelledCorpus {
  name: string;
  cases: CorpusCase[];
  /** `languages[index]` is the language of `cases[index]`, or null when the corpus records none. */
  languages: Array<string | null>;
}

function languagesOf(data: unknown[]): Array<string | null> {
  return data.map((entry) => {
    const language = (entry as { language?: unknown }).language;
    return typeof language === "string" ? language : null;
  });
}

export const CORPORA: LabelledCorpus[] = [
  { name: "original", cases: readCorpus(originalData), languages: languagesOf(originalData) },
  { name: "independent, tuning", cases: readCorpus(tuningData), languages: languagesOf(tuningData) },
  { name: "independent, held-out", cases: readCorpus(heldOutData), languages: languagesOf(heldOutData) },
];

export const LANGUAGES = ["en", "es", "fr", "de", "nl", "it", "pt", "ja"];
