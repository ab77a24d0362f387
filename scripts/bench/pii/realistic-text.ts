// The throughput benchmark's input: chat-like prose with the corpus's texts (values and hard
// negatives alike) mixed in, about one corpus text per three prose sentences.
import type { CorpusCase } from "../../../convex/pii/score";
import { seededRandom } from "./seeded-random";

const WORDS = (
  "the a an and or but to of in on for with from by at as is are was were be been it this that these " +
  "we you they our your their gateway request response model tenant agent policy stream token usage " +
  "message transcript deploy release version build test review ticket customer support billing account " +
  "please thanks could would should will can need check update send reply attach confirm schedule " +
  "today tomorrow monday friday morning afternoon week month quarter report summary draft final " +
  "error timeout retry limit quota latency region cluster cache queue worker function table index"
).split(" ");
const NUMBERS = ["3", "12", "42", "2024", "1.2.3", "v2", "99.9%", "$1,299.99", "10:30", "2024-05-01", "#4821"];

function sentence(random: () => number): string {
  const length = 6 + Math.floor(random() * 14);
  const words: string[] = [];
  for (let index = 0; index < length; index++) {
    const pool = random() < 0.08 ? NUMBERS : WORDS;
    words.push(pool[Math.floor(random() * pool.length)] ?? "the");
  }
  const first = words[0] ?? "the";
  words[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return `${words.join(" ")}.`;
}

/** About `length` characters; deterministic for a given corpus. */
export function realisticText(corpus: CorpusCase[], length: number): string {
  const random = seededRandom(7);
  const parts: string[] = [];
  let size = 0;
  for (let index = 0; size < length; index++) {
    const part =
      index % 4 === 3 ? (corpus[Math.floor(index / 4) % corpus.length]?.text ?? "") : sentence(random);
    parts.push(part, index % 12 === 11 ? "\n\n" : " ");
    size += part.length + 1;
  }
  return parts.join("").slice(0, length);
}
