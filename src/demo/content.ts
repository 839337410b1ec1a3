import type { Outcome, RequestRegime, RequestState } from "../requests/index.ts";

// The demo authority's people and requests. Fictional: any likeness to a real person is chance.

export const demoStaff = [
  { username: "officer", name: "Olivia Okafor", role: "officer", team: "Information Rights" },
  { username: "oscar", name: "Oscar Nwosu", role: "officer", team: "Information Rights" },
  { username: "abi", name: "Abi Patel", role: "approver", team: "Information Rights" },
  { username: "manager", name: "Mina Hughes", role: "manager", team: "Information Rights" },
  { username: "admin", name: "Adam Reid", role: "admin", team: "Information Rights" },
] as const;

export interface DemoRequest {
  regime: RequestRegime;
  channel: "web" | "email" | "post" | "phone";
  state: RequestState;
  outcome?: Outcome;
  receivedWorkingDaysAgo: number;
  /**
   * The working day after receipt on which the reply is sent (the outcome recorded), where the demo shows an
   * answer that is not prompt; otherwise the actions are spread so that the answer is in time.
   */
  answeredOnWorkingDay?: number;
  /** The working day after receipt on which a public-interest extension (FOIA s.10(3)) is claimed. */
  extendedOnWorkingDay?: number;
  officer: "officer" | "oscar";
  topic: string;
  body: string;
  requester: {
    name: string;
    email?: string;
    address?: string;
    type?:
      | "public"
      | "journalist"
      | "mp-councillor"
      | "business"
      | "campaign-group"
      | "researcher"
      | "solicitor";
  };
}

const public1 = { name: "Jordan Ellis", email: "jordan.ellis@example.org", type: "public" } as const;
const journalist = {
  name: "Priya Raman",
  email: "priya.raman@westmarch-gazette.example",
  type: "journalist",
} as const;
const councillor = {
  name: "Cllr Tom Baker",
  email: "tom.baker@westmarch-council.example",
  type: "mp-councillor",
} as const;
const campaigner = {
  name: "Safer Streets Westmarch",
  email: "info@saferstreets.example",
  type: "campaign-group",
} as const;
const researcher = {
  name: "Dr Hannah Cole",
  email: "h.cole@university.example",
  type: "researcher",
} as const;
const resident = { name: "Mary Doyle", address: "14 Mill Lane, Westmarch WM4 2QT", type: "public" } as const;

export const demoRequests: DemoRequest[] = [
  {
    regime: "foia",
    channel: "web",
    state: "in-progress",
    receivedWorkingDaysAgo: 14,
    officer: "officer",
    topic: "Gangs",
    requester: journalist,
    body: "1. How many known gangs are there in each London borough?\n2. How many known gangs are there in each London borough that have under 18's within them?",
  },
  {
    regime: "foia",
    channel: "email",
    state: "in-progress",
    receivedWorkingDaysAgo: 27,
    officer: "officer",
    topic: "Knife crime",
    requester: campaigner,
    body: "Please provide the number of knife crime offences recorded in each of the last five years, by ward.",
  },
  {
    regime: "foia",
    channel: "web",
    state: "in-progress",
    receivedWorkingDaysAgo: 23,
    officer: "oscar",
    topic: "Stop and search",
    requester: researcher,
    body: "How many stop and search encounters took place in 2025, broken down by the ethnicity of the person stopped and the outcome?",
  },
  {
    regime: "foia",
    channel: "web",
    state: "acknowledged",
    receivedWorkingDaysAgo: 22,
    officer: "oscar",
    topic: "Vehicles",
    requester: public1,
    body: "How many police vehicles were damaged in collisions in 2025, and what was the total cost of repairs?",
  },
  {
    regime: "foia",
    channel: "email",
    state: "received",
    receivedWorkingDaysAgo: 1,
    officer: "officer",
    topic: "Drones",
    requester: journalist,
    body: "How many drones does the force operate, and how many hours were they flown last year?",
  },
  {
    regime: "foia",
    channel: "post",
    state: "received",
    receivedWorkingDaysAgo: 0,
    officer: "officer",
    topic: "Custody",
    requester: resident,
    body: "How many people were held in custody at Westmarch Central for more than 24 hours in 2025?",
  },
  {
    regime: "foia",
    channel: "web",
    state: "acknowledged",
    receivedWorkingDaysAgo: 3,
    officer: "oscar",
    topic: "Body-worn video",
    requester: public1,
    body: "What is the force's retention period for body-worn video footage, and how many requests for footage were refused last year?",
  },
  {
    regime: "foia",
    channel: "web",
    state: "awaiting-clarification",
    receivedWorkingDaysAgo: 9,
    officer: "officer",
    topic: "Overtime",
    requester: councillor,
    body: "Please send me all information about police overtime.",
  },
  {
    regime: "foia",
    channel: "email",
    state: "awaiting-fee",
    receivedWorkingDaysAgo: 12,
    officer: "oscar",
    topic: "Records",
    requester: researcher,
    body: "Please send printed copies of the force's annual reports from 2010 to 2020.",
  },
  {
    regime: "foia",
    channel: "web",
    state: "extended",
    outcome: "partially-withheld",
    receivedWorkingDaysAgo: 25,
    officer: "officer",
    topic: "Counter-terrorism",
    requester: journalist,
    body: "How many officers are assigned to counter-terrorism duties in the force area?",
  },
  {
    regime: "foia",
    channel: "web",
    state: "awaiting-approval",
    outcome: "partially-withheld",
    receivedWorkingDaysAgo: 17,
    officer: "officer",
    topic: "Misconduct",
    requester: journalist,
    body: "How many officers were dismissed for gross misconduct in each of the last three years, and for what?",
  },
  {
    regime: "foia",
    channel: "email",
    state: "awaiting-approval",
    outcome: "refused-cost",
    receivedWorkingDaysAgo: 18,
    officer: "oscar",
    topic: "Emails",
    requester: public1,
    body: "Please provide every email sent by the Chief Constable's office that mentions 'budget' since 2020.",
  },
  {
    regime: "foia",
    channel: "web",
    state: "approved",
    outcome: "withheld-in-full",
    receivedWorkingDaysAgo: 19,
    officer: "officer",
    topic: "Informants",
    requester: campaigner,
    body: "How much did the force pay covert human intelligence sources in 2025?",
  },
  {
    regime: "foia",
    channel: "web",
    state: "responded",
    outcome: "granted-in-full",
    receivedWorkingDaysAgo: 40,
    // Late: FOIA s.10(1) allows 20 working days.
    answeredOnWorkingDay: 23,
    officer: "officer",
    topic: "Recruitment",
    requester: public1,
    body: "How many police constables were recruited in 2025, and how many have since left?",
  },
  {
    regime: "foia",
    channel: "web",
    state: "responded",
    outcome: "not-held",
    receivedWorkingDaysAgo: 45,
    officer: "oscar",
    topic: "Facial recognition",
    requester: researcher,
    body: "Please provide the accuracy figures for the force's live facial recognition deployments.",
  },
  {
    regime: "foia",
    channel: "email",
    state: "responded",
    outcome: "partially-withheld",
    receivedWorkingDaysAgo: 60,
    officer: "officer",
    topic: "Gangs",
    requester: journalist,
    body: "How many gang-related stabbings were recorded in 2024 and 2025, by month?",
  },
  {
    regime: "foia",
    channel: "web",
    state: "responded",
    outcome: "ncnd",
    receivedWorkingDaysAgo: 55,
    // Late: signed off on day 26 and sent on day 27, past the 20 working days of FOIA s.10(1).
    answeredOnWorkingDay: 27,
    officer: "officer",
    topic: "Surveillance",
    requester: campaigner,
    body: "Does the force use IMSI catchers? If so, how many times were they deployed?",
  },
  {
    regime: "foia",
    channel: "web",
    state: "responded",
    outcome: "refused-vexatious",
    receivedWorkingDaysAgo: 70,
    officer: "oscar",
    topic: "Complaints",
    requester: public1,
    body: "Provide every document that mentions me, every officer who has spoken about me, and their notebooks.",
  },
  {
    regime: "foia",
    channel: "web",
    state: "withdrawn",
    receivedWorkingDaysAgo: 30,
    officer: "oscar",
    topic: "Events",
    requester: public1,
    body: "What did policing the Westmarch summer festival cost in 2025?",
  },
  {
    regime: "foia",
    channel: "email",
    state: "lapsed",
    receivedWorkingDaysAgo: 110,
    officer: "officer",
    topic: "Incidents",
    requester: resident,
    body: "Tell me about the incidents on my road.",
  },
  {
    regime: "foia",
    channel: "phone",
    state: "invalid",
    receivedWorkingDaysAgo: 5,
    officer: "oscar",
    topic: "Speeding",
    requester: { name: "Caller withheld number" },
    body: "How many speeding fines were issued on the A38 last year?",
  },
  {
    regime: "foia",
    channel: "web",
    state: "review-requested",
    outcome: "partially-withheld",
    receivedWorkingDaysAgo: 48,
    officer: "officer",
    topic: "Gangs",
    requester: campaigner,
    body: "How many young people are on the force's gangs matrix, by age?",
  },
  {
    regime: "foia",
    channel: "web",
    state: "review-requested",
    outcome: "withheld-in-full",
    receivedWorkingDaysAgo: 75,
    // In time with a public-interest extension: claimed on day 15, within the 20 working days (FOIA s.10(3),
    // the s.17(3) notice), and answered on day 36, within the 40 the ICO accepts as reasonable.
    extendedOnWorkingDay: 15,
    answeredOnWorkingDay: 36,
    officer: "oscar",
    topic: "Firearms",
    requester: journalist,
    body: "How many firearms licences were revoked in 2025, and for which reasons?",
  },
  {
    regime: "foia",
    channel: "web",
    state: "review-decided",
    outcome: "refused-cost",
    receivedWorkingDaysAgo: 90,
    officer: "officer",
    topic: "Finance",
    requester: researcher,
    body: "Provide every purchase card transaction over £10 since 2015.",
  },
  {
    regime: "foia",
    channel: "web",
    state: "regulator-complaint",
    outcome: "withheld-in-full",
    receivedWorkingDaysAgo: 120,
    officer: "officer",
    topic: "Investigations",
    requester: journalist,
    body: "Please provide the review report into the handling of Operation Larch.",
  },
  {
    regime: "foia",
    channel: "web",
    state: "decision-notice",
    outcome: "partially-withheld",
    receivedWorkingDaysAgo: 200,
    officer: "oscar",
    topic: "Contracts",
    requester: campaigner,
    body: "Please provide the contract with the force's custody healthcare provider, including prices.",
  },
  {
    regime: "eir",
    channel: "phone",
    state: "in-progress",
    receivedWorkingDaysAgo: 8,
    officer: "oscar",
    topic: "Environment",
    requester: resident,
    body: "What air quality monitoring is there at the new Westmarch North police station car park?",
  },
  {
    regime: "eir",
    channel: "email",
    state: "in-progress",
    receivedWorkingDaysAgo: 21,
    officer: "officer",
    topic: "Environment",
    requester: campaigner,
    body: "Please provide the noise surveys carried out for the firing range at Hollins Wood since 2022.",
  },
  {
    regime: "eir",
    channel: "web",
    state: "responded",
    outcome: "granted-in-full",
    receivedWorkingDaysAgo: 35,
    officer: "oscar",
    topic: "Energy",
    requester: researcher,
    body: "What was the electricity use of each police station in 2025?",
  },
  {
    regime: "sar",
    channel: "email",
    state: "in-progress",
    receivedWorkingDaysAgo: 10,
    officer: "officer",
    topic: "Subject access",
    requester: { name: "Lee Marsh", email: "lee.marsh@example.net", type: "public" },
    body: "Please send me all personal data you hold about me, including any custody records and body-worn video of my arrest on 3 March.",
  },
  {
    regime: "sar",
    channel: "post",
    state: "awaiting-approval",
    outcome: "partially-withheld",
    receivedWorkingDaysAgo: 16,
    officer: "oscar",
    topic: "Subject access",
    requester: { name: "Aisha Begum", address: "3 Church Row, Westmarch WM2 8PL", type: "public" },
    body: "I would like a copy of the crime report I made in 2024 and any notes about me.",
  },
  {
    regime: "sar",
    channel: "email",
    state: "responded",
    outcome: "granted-in-full",
    receivedWorkingDaysAgo: 50,
    officer: "officer",
    topic: "Subject access",
    requester: { name: "Ben Carter", email: "ben.carter@example.net", type: "public" },
    body: "Please provide the data you hold about me from my application to be a special constable.",
  },
  {
    regime: "foia",
    channel: "web",
    state: "in-progress",
    receivedWorkingDaysAgo: 19,
    officer: "oscar",
    topic: "Gangs",
    requester: journalist,
    body: "1. How many known gangs are there in each London borough?\n2. How many known gangs are there in each London borough that have under 18's in them?",
  },
  {
    regime: "foia",
    channel: "web",
    state: "in-progress",
    receivedWorkingDaysAgo: 2,
    officer: "officer",
    topic: "Road safety",
    requester: councillor,
    body: "How many people were killed or seriously injured on roads in the Westmarch district in 2025?",
  },
  {
    regime: "foia",
    channel: "web",
    state: "acknowledged",
    receivedWorkingDaysAgo: 6,
    officer: "oscar",
    topic: "Domestic abuse",
    requester: researcher,
    body: "How many domestic abuse protection notices were issued in 2025, and how many were breached?",
  },
  {
    regime: "foia",
    channel: "email",
    state: "in-progress",
    receivedWorkingDaysAgo: 33,
    officer: "oscar",
    topic: "IT",
    requester: public1,
    body: "What did the force spend on software licences in 2025, by supplier?",
  },
];
