// Generated published replies for bench/search.ts: a few hundred words each about one of 40 public-sector
// topics, built as real structured replies (responses.Reply) with varied outcomes, exemptions, years and
// regimes, so the disclosure log's own code makes their text, title, facets and page. Seeded: the same
// seed gives the same rows.

import { buildPublishedRecord } from "../../src/publication/record.ts";
import type { Redactor } from "../../src/publication/redaction.ts";
import { type PublishedRow, publishedRow } from "../../src/publication/repo.ts";
import { type Reply, replySchema } from "../../src/responses/index.ts";

export const topics: Record<string, string[]> = {
  "Speed cameras": [
    "speed",
    "cameras",
    "camera",
    "enforcement",
    "motorists",
    "penalty",
    "mph",
    "roads",
    "safety",
    "van",
  ],
  Parking: [
    "parking",
    "penalty",
    "charge",
    "notices",
    "wardens",
    "bays",
    "permits",
    "tickets",
    "appeals",
    "zones",
  ],
  Gangs: [
    "gangs",
    "gang",
    "matrix",
    "violence",
    "youth",
    "exploitation",
    "county",
    "lines",
    "knife",
    "members",
  ],
  "Knife crime": [
    "knife",
    "knives",
    "stabbings",
    "weapons",
    "blades",
    "offences",
    "amnesty",
    "bins",
    "surrender",
    "injuries",
  ],
  "Stop and search": [
    "stop",
    "search",
    "searches",
    "grounds",
    "ethnicity",
    "section",
    "powers",
    "arrests",
    "outcomes",
    "encounters",
  ],
  Drones: [
    "drones",
    "drone",
    "unmanned",
    "aircraft",
    "pilots",
    "flights",
    "operators",
    "footage",
    "airspace",
    "deployments",
  ],
  Helicopters: [
    "helicopter",
    "helicopters",
    "air",
    "support",
    "flying",
    "hours",
    "npas",
    "aircraft",
    "fuel",
    "crews",
  ],
  "Body-worn video": [
    "body",
    "worn",
    "video",
    "cameras",
    "footage",
    "recording",
    "retention",
    "devices",
    "activation",
    "evidence",
  ],
  "Facial recognition": [
    "facial",
    "recognition",
    "biometric",
    "watchlist",
    "matches",
    "alerts",
    "algorithm",
    "accuracy",
    "deployments",
    "images",
  ],
  Surveillance: [
    "surveillance",
    "covert",
    "authorisations",
    "ripa",
    "interception",
    "tactics",
    "intrusive",
    "monitoring",
    "devices",
    "oversight",
  ],
  Overtime: [
    "overtime",
    "hours",
    "payments",
    "officers",
    "rota",
    "shifts",
    "allowances",
    "claims",
    "pay",
    "budget",
  ],
  Recruitment: [
    "recruitment",
    "constables",
    "applicants",
    "vacancies",
    "apprenticeship",
    "training",
    "uplift",
    "retention",
    "joiners",
    "leavers",
  ],
  "Sickness absence": [
    "sickness",
    "absence",
    "days",
    "stress",
    "mental",
    "health",
    "occupational",
    "leave",
    "injury",
    "wellbeing",
  ],
  "Vehicle fleet": [
    "vehicles",
    "fleet",
    "cars",
    "collisions",
    "pursuits",
    "electric",
    "mileage",
    "repairs",
    "insurance",
    "garages",
  ],
  Custody: [
    "custody",
    "detainees",
    "cells",
    "suites",
    "deaths",
    "healthcare",
    "nurses",
    "detention",
    "hours",
    "charging",
  ],
  "Domestic abuse": [
    "domestic",
    "abuse",
    "victims",
    "protection",
    "notices",
    "orders",
    "breaches",
    "refuges",
    "risk",
    "coercive",
  ],
  "Hate crime": [
    "hate",
    "crime",
    "incidents",
    "religion",
    "race",
    "disability",
    "sexual",
    "orientation",
    "online",
    "prosecutions",
  ],
  Fraud: [
    "fraud",
    "scams",
    "victims",
    "cyber",
    "losses",
    "romance",
    "investment",
    "banks",
    "reports",
    "action",
  ],
  Cybercrime: [
    "cyber",
    "hacking",
    "ransomware",
    "phishing",
    "computers",
    "networks",
    "breaches",
    "malware",
    "attacks",
    "digital",
  ],
  Firearms: [
    "firearms",
    "licences",
    "shotguns",
    "certificates",
    "revocations",
    "armed",
    "officers",
    "discharges",
    "weapons",
    "holders",
  ],
  Taser: [
    "taser",
    "conducted",
    "energy",
    "devices",
    "discharges",
    "drawn",
    "fired",
    "training",
    "officers",
    "incidents",
  ],
  Complaints: [
    "complaints",
    "misconduct",
    "conduct",
    "investigations",
    "appeals",
    "hearings",
    "dismissals",
    "iopc",
    "allegations",
    "outcomes",
  ],
  Finance: [
    "spending",
    "budget",
    "purchase",
    "cards",
    "transactions",
    "suppliers",
    "invoices",
    "contracts",
    "procurement",
    "costs",
  ],
  Contracts: [
    "contracts",
    "suppliers",
    "tender",
    "procurement",
    "prices",
    "framework",
    "services",
    "agreements",
    "outsourcing",
    "value",
  ],
  IT: [
    "software",
    "licences",
    "systems",
    "computers",
    "laptops",
    "servers",
    "cloud",
    "microsoft",
    "upgrades",
    "suppliers",
  ],
  Estates: [
    "buildings",
    "stations",
    "estates",
    "leases",
    "maintenance",
    "closures",
    "counters",
    "sales",
    "property",
    "repairs",
  ],
  Energy: [
    "energy",
    "electricity",
    "gas",
    "consumption",
    "carbon",
    "emissions",
    "solar",
    "heating",
    "bills",
    "kwh",
  ],
  Environment: [
    "air",
    "quality",
    "noise",
    "pollution",
    "surveys",
    "monitoring",
    "emissions",
    "waste",
    "trees",
    "contamination",
  ],
  "Road safety": [
    "collisions",
    "killed",
    "seriously",
    "injured",
    "casualties",
    "junctions",
    "cyclists",
    "pedestrians",
    "roads",
    "drink",
  ],
  "Drink driving": [
    "drink",
    "driving",
    "breath",
    "tests",
    "alcohol",
    "drug",
    "limit",
    "arrests",
    "christmas",
    "campaign",
  ],
  "Missing people": [
    "missing",
    "persons",
    "children",
    "reports",
    "found",
    "searches",
    "vulnerable",
    "absconded",
    "care",
    "homes",
  ],
  "Mental health": [
    "mental",
    "health",
    "section",
    "136",
    "detentions",
    "crisis",
    "ambulance",
    "places",
    "safety",
    "nurses",
  ],
  "Anti-social behaviour": [
    "antisocial",
    "behaviour",
    "dispersal",
    "orders",
    "nuisance",
    "youths",
    "noise",
    "neighbours",
    "warnings",
    "injunctions",
  ],
  Events: [
    "festival",
    "events",
    "football",
    "matches",
    "policing",
    "costs",
    "stewards",
    "crowds",
    "disorder",
    "charges",
  ],
  Protests: [
    "protest",
    "protests",
    "demonstrations",
    "marches",
    "arrests",
    "public",
    "order",
    "conditions",
    "climate",
    "activists",
  ],
  Dogs: [
    "dogs",
    "dangerous",
    "bites",
    "seized",
    "kennels",
    "breeds",
    "handlers",
    "xl",
    "bully",
    "destruction",
  ],
  "Wildlife crime": [
    "wildlife",
    "poaching",
    "hare",
    "coursing",
    "badgers",
    "raptors",
    "persecution",
    "rural",
    "farms",
    "livestock",
  ],
  Burglary: [
    "burglary",
    "burglaries",
    "homes",
    "break",
    "ins",
    "detection",
    "forensic",
    "stolen",
    "property",
    "dwellings",
  ],
  "Vehicle crime": [
    "vehicle",
    "theft",
    "stolen",
    "cars",
    "catalytic",
    "converters",
    "keyless",
    "recovered",
    "plates",
    "motorcycles",
  ],
  Shoplifting: [
    "shoplifting",
    "shops",
    "retail",
    "theft",
    "security",
    "guards",
    "offenders",
    "stores",
    "value",
    "detections",
  ],
};

/** Words in every kind of reply (the force, the request, the law), the commonest first (Zipf-like draw). */
const general = `police force information request records data year years number figures officers staff public
  area district local national service services report reports period held hold system systems including total
  recorded records department team teams policy policies review management work within across between during
  time months month date dates provided provide question questions reply response reason reasons detail details
  information held requested relevant available published publish website annual quarterly monthly weekly
  breakdown category categories type types level levels rate rates increase decrease compared previous current
  further additional general specific particular certain various several many each every other same different
  community communities residents people persons individuals victims witnesses offenders suspects members
  council partners agencies partnership organisations government home office college guidance standards
  operational operations resources budget cost costs spend spending value funding allocated contract process
  procedures practice practices training learning development assessment assessments risk risks harm safety
  security prevention detection investigation investigations evidence intelligence analysis analyst analysts
  incident incidents calls call demand response times attendance priority priorities emergency control room
  neighbourhood neighbourhoods patrol patrols visible presence town centre city rural urban borough boroughs
  north south east west central division divisions command commands unit units specialist specialists`
  .split(/\s+/)
  .filter(Boolean);

const outcomes = [
  ["granted-in-full", 30],
  ["partially-withheld", 25],
  ["withheld-in-full", 10],
  ["not-held", 15],
  ["ncnd", 5],
  ["refused-cost", 10],
  ["refused-vexatious", 3],
  ["refused-repeated", 2],
] as const;

const exemptionChoices: { ids: string[]; weight: number }[] = [
  { ids: ["foia-31-1-a", "foia-31-1-b"], weight: 30 },
  { ids: ["foia-40-2"], weight: 25 },
  { ids: ["foia-30-1-a"], weight: 10 },
  { ids: ["foia-43-2"], weight: 10 },
  { ids: ["foia-38-1-a"], weight: 6 },
  { ids: ["foia-24-1"], weight: 5 },
  { ids: ["foia-21-1"], weight: 8 },
  { ids: ["foia-22-1"], weight: 6 },
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function weighted<T>(random: () => number, items: readonly { value: T; weight: number }[]): T {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  let at = random() * total;
  for (const item of items) {
    at -= item.weight;
    if (at < 0) return item.value;
  }
  return items.at(-1)!.value;
}

/** A general word, the first ones much more often (rank r drawn with probability ~ 1/r). */
function zipf(random: () => number): string {
  const rank = Math.floor(Math.exp(random() * Math.log(general.length + 1))) - 1;
  return general[Math.min(rank, general.length - 1)]!;
}

function sentence(random: () => number, topicWords: readonly string[], words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(random() < 0.28 ? pick(random, topicWords) : zipf(random));
  const text = out.join(" ");
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

function paragraph(random: () => number, topicWords: readonly string[], sentences: number): string {
  return Array.from({ length: sentences }, () =>
    sentence(random, topicWords, 8 + Math.floor(random() * 14)),
  ).join(" ");
}

const topicNames = Object.keys(topics);
// Generated text has no personal data to mask: the published record is built exactly as for a real reply,
// with a redactor that finds nothing (masking is what publishing one reply spends its time on).
const redactor: Redactor = { matchers: [], keep: new Set() };
const nobody = { name: "", individual: false };

/** The i-th generated published reply (reference unique per i). */
export function generatedReply(random: () => number, i: number, now: Date): PublishedRow {
  const topic = pick(random, topicNames);
  const words = topics[topic]!;
  const year = 2019 + Math.floor(random() * 8);
  const month = 1 + Math.floor(random() * 12);
  const day = 1 + Math.floor(random() * 28);
  const replyDate = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  const receivedDate = `${year}-${String(month).padStart(2, "0")}-01`;
  const regime = random() < 0.08 ? "eir" : "foia";
  const outcome = weighted(
    random,
    outcomes.map(([value, weight]) => ({ value, weight })),
  );
  const questionCount = 1 + Math.floor(random() * 3);
  const decision = {
    "granted-in-full": "disclosed",
    "partially-withheld": "partly",
    "withheld-in-full": "withheld",
    "not-held": "not-held",
    ncnd: "ncnd",
    "refused-cost": "refused",
    "refused-vexatious": "refused",
    "refused-repeated": "refused",
  }[outcome];
  const questions = Array.from({ length: questionCount }, () => ({
    text: `How many ${pick(random, words)} ${pick(random, words)} ${zipf(random)} were recorded in ${year - 1}, by ${zipf(random)}?`,
    decision,
    ...(decision === "not-held" ? { notHeldExplanation: paragraph(random, words, 2) } : {}),
  }));
  const numbers = questions.map((_, n) => n + 1);
  const exemptionIds =
    regime === "eir"
      ? ["eir-12-5-b"]
      : weighted(
          random,
          exemptionChoices.map((c) => ({ value: c.ids, weight: c.weight })),
        );
  const withholds = ["partially-withheld", "withheld-in-full", "ncnd"].includes(outcome);
  const input = {
    reference: `99.${regime.toUpperCase()}.${String(year).slice(2)}.${String(i).padStart(7, "0")}`,
    regime,
    date: replyDate,
    receivedDate,
    requester: { name: "" },
    questions,
    reasons: [paragraph(random, words, 3 + Math.floor(random() * 3)), paragraph(random, words, 3)],
    exemptions: withholds
      ? [
          {
            exemptionIds,
            questionNumbers: numbers,
            reasons: [paragraph(random, words, 2)],
            publicInterest: {
              favouringDisclosure: [paragraph(random, words, 2)],
              favouringWithholding: [paragraph(random, words, 2)],
              balance: paragraph(random, words, 2),
            },
          },
        ]
      : [],
    ...(outcome.startsWith("refused-")
      ? { refusal: { ground: outcome.slice("refused-".length), reasons: [paragraph(random, words, 3)] } }
      : {}),
    disclosure:
      outcome === "granted-in-full" || outcome === "partially-withheld"
        ? [
            { kind: "text", text: paragraph(random, words, 3) },
            {
              kind: "table",
              caption: `${topic} ${year - 1}`,
              columns: ["Measure", "Number"],
              rows: Array.from({ length: 3 }, () => [
                `${pick(random, words)} ${zipf(random)}`,
                String(Math.floor(random() * 900)),
              ]),
            },
          ]
        : [],
    advice: [{ purpose: "other", text: paragraph(random, words, 2) }],
  };
  const reply: Reply = replySchema.parse(input);
  const record = buildPublishedRecord(
    { reference: reply.reference, topic, reply, attachments: [], checkedFileIds: [] },
    redactor,
    nobody,
  );
  return publishedRow(record, {
    requestId: null,
    publishedAt: new Date(now.getTime() - (8 - (year - 2019)) * 365 * 86_400_000 + i),
    publishedBy: "bench",
  });
}
