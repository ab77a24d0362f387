// Measures our PII detector and three npm libraries (openredaction, @redactpii/node, redact-pii)
// on the labelled corpora (the original one and both halves of the independent one): precision and
// recall overall, per category and per language, throughput on ~5 MB of chat-like text, and our
// worst time on the adversarial inputs. Prints a table, writes bench-output/pii-libraries.json and
// rewrites the generated section of docs/pii.md. Every loop is bounded; the run takes a few minutes.
// Run: npm run bench:pii
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { ADVERSARIAL_INPUTS } from "../../../convex/pii/fixtures/adversarialInputs";
import { PII_CATEGORIES } from "../../../convex/pii/categories";
import { redactPii } from "../../../convex/pii/index";
import { locateEntities, scoreCorpus, type CorpusScore, type PredictedSpan } from "../../../convex/pii/score";
import { CORPORA, LANGUAGES, type LabelledCorpus } from "./corpora";
import { makeDetectors, type Detector } from "./libraries";
import { realisticText } from "./realistic-text";
import { median } from "../stats";
import { renderReport, writeSection, type DetectorReport, type Mistake } from "./report-markdown";

const OUTPUT_DIRECTORY = fileURLToPath(new URL("../../../bench-output/", import.meta.url));
const DOCUMENT = fileURLToPath(new URL("../../../docs/pii.md", import.meta.url));
const THROUGHPUT_SIZES = [65_536, 262_144, 1_048_576, 5_000_000];
// A library is not run on the next, larger size when that run would take longer than this.
const THROUGHPUT_STEP_LIMIT_MS = 5_000;
// Repeats only for runs shorter than this, so a slow library is timed once per size.
const REPEATED_RUN_LIMIT_MS = 500;
const THROUGHPUT_REPEATS = 5;
const ADVERSARIAL_LENGTH = 200_000;
const ADVERSARIAL_SMALL_LENGTH = 20_000;
const ADVERSARIAL_REPEATS = 5;

/**
 * The fastest run is the headline: on a shared machine the other runs measure the neighbours too.
 * The median is kept beside it.
 */
interface Throughput {
  bytes: number;
  runs: number;
  fastestMilliseconds: number;
  medianMilliseconds: number;
  megabytesPerSecond: number;
  medianMegabytesPerSecond: number;
}

interface LibraryResult {
  name: string;
  configuration: string;
  /** On the original corpus, as the tables printed to the console show. */
  scores?: CorpusScore;
  /** By corpus name. */
  corpora?: Record<string, CorpusScore>;
  /** By corpus name, then language (independent corpus only). */
  languages?: Record<string, Record<string, CorpusScore>>;
  throughput?: Throughput;
  error?: string;
}

function originalCorpus(): LabelledCorpus {
  const [first] = CORPORA;
  if (first === undefined) throw new Error("no corpora configured");
  return first;
}

const ORIGINAL = originalCorpus();
const corpus = ORIGINAL.cases;
const encoder = new TextEncoder();

async function timeOnce(run: () => unknown): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function predict(detector: Detector, labelled: LabelledCorpus): Promise<PredictedSpan[][]> {
  const predictions: PredictedSpan[][] = [];
  for (const entry of labelled.cases) predictions.push(await detector.detect(entry.text));
  return predictions;
}

/** Scores of the cases in each language, for a corpus that records languages. */
function scoreByLanguage(labelled: LabelledCorpus, predictions: PredictedSpan[][]): Record<string, CorpusScore> {
  const byLanguage: Record<string, CorpusScore> = {};
  for (const language of LANGUAGES) {
    const indexes = labelled.languages.flatMap((entry, index) => (entry === language ? [index] : []));
    if (indexes.length === 0) continue;
    byLanguage[language] = scoreCorpus(
      indexes.map((index) => labelled.cases[index] ?? { text: "", entities: [] }),
      indexes.map((index) => predictions[index] ?? []),
    );
  }
  return byLanguage;
}

/** Every labelled value no same-category prediction touches, and every prediction touching no same-category value. */
function mistakes(labelled: LabelledCorpus, predictions: PredictedSpan[][]): Mistake[] {
  const found: Mistake[] = [];
  labelled.cases.forEach((entry, index) => {
    const spans = locateEntities(entry);
    const predicted = predictions[index] ?? [];
    const language = labelled.languages[index] ?? "—";
    const overlaps = (left: { start: number; end: number }, right: { start: number; end: number }) =>
      left.start < right.end && right.start < left.end;
    for (const span of spans) {
      if (!predicted.some((prediction) => prediction.category === span.category && overlaps(prediction, span))) {
        found.push({ kind: "missed", category: span.category, language, value: span.value });
      }
    }
    for (const prediction of predicted) {
      if (!spans.some((span) => span.category === prediction.category && overlaps(prediction, span))) {
        const value = entry.text.slice(prediction.start, prediction.end);
        found.push({ kind: "false alarm", category: prediction.category ?? "other", language, value });
      }
    }
  });
  return found;
}

/** Runs on the largest text size the detector gets through within budget. */
async function throughput(detector: Detector): Promise<Throughput> {
  const texts = THROUGHPUT_SIZES.map((size) => realisticText(corpus, size));
  await detector.scrub(texts[0] ?? "");
  let measured: Throughput | undefined;
  for (const [index, text] of texts.entries()) {
    const first = await timeOnce(() => detector.scrub(text));
    const repeats = first < REPEATED_RUN_LIMIT_MS ? THROUGHPUT_REPEATS - 1 : 0;
    const timings = [first];
    for (let index = 0; index < repeats; index++) timings.push(await timeOnce(() => detector.scrub(text)));
    const bytes = encoder.encode(text).length;
    const fastestMilliseconds = Math.min(...timings);
    const medianMilliseconds = median(timings);
    measured = {
      bytes,
      runs: timings.length,
      fastestMilliseconds,
      medianMilliseconds,
      megabytesPerSecond: bytes / 1e6 / (fastestMilliseconds / 1000),
      medianMegabytesPerSecond: bytes / 1e6 / (medianMilliseconds / 1000),
    };
    const next = texts[index + 1];
    if (next === undefined || (first * next.length) / text.length > THROUGHPUT_STEP_LIMIT_MS) break;
  }
  if (measured === undefined) throw new Error("no throughput sizes configured");
  return measured;
}

interface AdversarialTiming {
  /** Fastest of the runs, as for throughput. */
  milliseconds: number;
  medianMilliseconds: number;
  ratioTo20KB: number;
}

function adversarialTimings(): Record<string, AdversarialTiming> {
  const time = (text: string) => {
    redactPii(text);
    const timings: number[] = [];
    for (let index = 0; index < ADVERSARIAL_REPEATS; index++) {
      const started = performance.now();
      redactPii(text);
      timings.push(performance.now() - started);
    }
    return { fastest: Math.min(...timings), median: median(timings) };
  };
  return Object.fromEntries(
    Object.entries(ADVERSARIAL_INPUTS).map(([name, make]) => {
      const large = time(make(ADVERSARIAL_LENGTH));
      const small = time(make(ADVERSARIAL_SMALL_LENGTH));
      return [
        name,
        { milliseconds: large.fastest, medianMilliseconds: large.median, ratioTo20KB: large.fastest / small.fastest },
      ];
    }),
  );
}

function formatRatio(value: number | null | undefined): string {
  return value === null || value === undefined ? "  —  " : value.toFixed(3);
}

function printTables(results: LibraryResult[]): void {
  console.log(
    "\nDetector                          | Precision | Recall | P (any category) | R (any category) | Recall, whole value | MB/s (fastest, median)",
  );
  console.log(
    "----------------------------------|-----------|--------|------------------|------------------|---------------------|-----------------------",
  );
  for (const result of results) {
    if (result.scores === undefined) {
      console.log(`${result.name.padEnd(34)}| failed: ${result.error ?? "unknown error"}`);
      continue;
    }
    const { overall, categoryAgnostic } = result.scores;
    const covered = overall.labelled === 0 ? null : overall.covered / overall.labelled;
    const speed =
      result.throughput === undefined
        ? "—"
        : `${result.throughput.megabytesPerSecond.toFixed(2)}, ${result.throughput.medianMegabytesPerSecond.toFixed(2)}`;
    console.log(
      `${result.name.padEnd(34)}| ${formatRatio(overall.precision).padEnd(10)}| ${formatRatio(overall.recall).padEnd(7)}` +
        `| ${formatRatio(categoryAgnostic.precision).padEnd(17)}| ${formatRatio(categoryAgnostic.recall).padEnd(17)}` +
        `| ${formatRatio(covered).padEnd(20)}| ${speed}`,
    );
  }
  console.log("\nPer category, precision / recall:");
  console.log(`${"".padEnd(34)}| ${PII_CATEGORIES.map((category) => category.padEnd(13)).join("| ")}`);
  for (const result of results) {
    if (result.scores === undefined) continue;
    const scores = result.scores;
    const cells = PII_CATEGORIES.map((category) => {
      const score = scores.byCategory[category];
      return `${formatRatio(score.precision)} / ${formatRatio(score.recall)}`.padEnd(13);
    });
    console.log(`${result.name.padEnd(34)}| ${cells.join("| ")}`);
  }
}

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0] ?? 0;
  const results: LibraryResult[] = [];
  const heldOutMistakes: Mistake[] = [];
  for (const detector of makeDetectors()) {
    const result: LibraryResult = { name: detector.name, configuration: detector.configuration };
    try {
      result.corpora = {};
      result.languages = {};
      for (const labelled of CORPORA) {
        const predictions = await predict(detector, labelled);
        result.corpora[labelled.name] = scoreCorpus(labelled.cases, predictions);
        if (labelled.languages.some((language) => language !== null)) {
          result.languages[labelled.name] = scoreByLanguage(labelled, predictions);
        }
        if (labelled === CORPORA[CORPORA.length - 1] && results.length === 0) {
          heldOutMistakes.push(...mistakes(labelled, predictions));
        }
      }
      result.scores = result.corpora[ORIGINAL.name];
      result.throughput = await throughput(detector);
    } catch (error) {
      result.error = error instanceof Error ? error.message : String(error);
    }
    results.push(result);
    console.log(`measured ${detector.name}`);
  }
  const adversarial = adversarialTimings();
  const [worstName, worst] = Object.entries(adversarial).reduce((slowest, entry) =>
    entry[1].milliseconds > slowest[1].milliseconds ? entry : slowest,
  );
  printTables(results);
  console.log(
    `\nOurs on ${Object.keys(adversarial).length} adversarial inputs of ${ADVERSARIAL_LENGTH / 1000} KB: ` +
      `worst ${worst.milliseconds.toFixed(1)} ms (${worstName}), ${ADVERSARIAL_LENGTH / 1000} KB / 20 KB time ratio ` +
      `at most ${Math.max(...Object.values(adversarial).map((timing) => timing.ratioTo20KB)).toFixed(1)}`,
  );
  const labelled = corpus.flatMap((entry) => entry.entities);
  const report = {
    date: new Date().toISOString(),
    command: "npm run bench:pii",
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? "unknown",
      node: process.version,
      platform: process.platform,
      // One-minute load average: above the core count, other processes were competing for the CPU.
      loadAverage: { atStart: loadAtStart, atEnd: loadavg()[0] ?? 0 },
    },
    corpus: {
      cases: corpus.length,
      labelledValues: labelled.length,
      hardNegatives: corpus.filter((entry) => entry.entities.length === 0).length,
      byCategory: Object.fromEntries(
        PII_CATEGORIES.map((category) => [category, labelled.filter((entity) => entity.category === category).length]),
      ),
    },
    results,
    adversarial: { length: ADVERSARIAL_LENGTH, worst: { name: worstName, ...worst }, timings: adversarial },
  };
  mkdirSync(OUTPUT_DIRECTORY, { recursive: true });
  writeFileSync(`${OUTPUT_DIRECTORY}pii-libraries.json`, `${JSON.stringify({ ...report, heldOutMistakes }, null, 2)}\n`);
  const detectors: DetectorReport[] = results.map((result) => ({
    name: result.name,
    error: result.error,
    scores: result.corpora ?? {},
    byLanguage: result.languages ?? {},
    megabytesPerSecond: result.throughput?.megabytesPerSecond,
    medianMegabytesPerSecond: result.throughput?.medianMegabytesPerSecond,
  }));
  const machine = report.machine;
  writeSection(
    DOCUMENT,
    renderReport({
      date: report.date.slice(0, 16).replace("T", " ") + " UTC",
      machine:
        `Node ${machine.node}, ${machine.platform}, ${machine.cpus} cores (${machine.model.trim()}), one-minute load ` +
        `average ${machine.loadAverage.atStart.toFixed(1)} at the start and ${machine.loadAverage.atEnd.toFixed(1)} at the end`,
      corpora: CORPORA.map((labelled) => ({
        name: labelled.name,
        cases: labelled.cases.length,
        values: labelled.cases.reduce((total, entry) => total + entry.entities.length, 0),
        negatives: labelled.cases.filter((entry) => entry.entities.length === 0).length,
      })),
      detectors,
      adversarial: {
        length: ADVERSARIAL_LENGTH,
        worstName,
        worstMilliseconds: worst.milliseconds,
        worstRatio: Math.max(...Object.values(adversarial).map((timing) => timing.ratioTo20KB)),
        inputs: Object.keys(adversarial).length,
      },
      heldOutMistakes,
    }),
  );
  console.log(
    `\nload average ${report.machine.loadAverage.atStart.toFixed(1)} -> ${report.machine.loadAverage.atEnd.toFixed(1)} ` +
      `on ${report.machine.cpus} cores; wrote bench-output/pii-libraries.json`,
  );
}

await main();
