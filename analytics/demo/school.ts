/**
 * The demo school's pupils and register marks: a junior school (Years 3–6, two classes a
 * year group, about 240 on roll) in rural south Shropshire, modelled on Ludlow Junior
 * School. Everything is drawn from forked streams of one seed (see random.ts), so the same
 * seed, calendar and `today` give byte-identical files.
 *
 * The absence model: each pupil has a persistent propensity (a latent normal score), scaled
 * by FSM, SEN and LAC and a small year-to-year drift, with some of last year's persistent
 * absentees improving. Illness comes in spells whose start is more likely in winter (and in
 * a flu week), on Fridays and Mondays. On top: medical appointments (one session), holidays
 * not agreed (G; some agreed H before 19 August 2024) in the days before a break, lates
 * (L, a few U), class trips (V), a Year 6 residential, sports fixtures (P), a snow day
 * when the school buses do not run (Y1; Y before 2024), a pupil with anxiety-based absence,
 * a pupil on a part-time timetable (C2; C before 2024), runs of O, and N codes only in the
 * last few school days before `today` (older ones have been resolved).
 */
import { REGIME_2024_FROM } from "../codes.ts";
import { type AcademicYearCalendar, academicYearCalendar, academicYearOf, dayNumber, isoOfDay, weekdayOf } from "./calendar.ts";
import { Random } from "./random.ts";
import type { DueSession } from "../register-due.ts";
import { upnCheckLetter } from "../import/values.ts";

export type Sen = "E" | "K" | "N";
export type Profile = "ordinary" | "anxiety" | "part-time";

export interface Pupil {
  id: number;
  upn: string;
  forename: string;
  surname: string;
  dob: string;
  sex: "M" | "F";
  ethnicity: string;
  eal: boolean;
  lac: boolean;
  /** Academic start year in which the pupil's cohort was (or will be) in Year 3. */
  entryYear: number;
  admissionDate: string;
  /** The real leaving date (Year 6 leave on 31 July); files show it only once it has passed. */
  leavingDate: string;
  /** 0 or 1: the first or second class of the year group. */
  classIndex: number;
  /** Lives out of town on a school bus route (the snow day). */
  rural: boolean;
  /** Chance, per morning present, of arriving late. */
  lateness: number;
  /** Chance, per academic year, of a holiday in term time. */
  holidayRisk: number;
  profile: Profile;
  /** By academic start year. */
  fsm: Map<number, boolean>;
  sen: Map<number, Sen>;
  /** Intended share of sessions absent, by academic start year. */
  absenceRate: Map<number, number>;
  /** Academic start year of a run of O codes, if any. */
  oRunYear?: number;
}

export interface School {
  seed: number;
  today: string;
  /** Covered academic years, ascending; the last is the current one. */
  years: AcademicYearCalendar[];
  pupils: Pupil[];
  /** Classes per year group (2 for the demo school). */
  classes: number;
}

export const CLASS_LETTERS = ["A", "B"] as const;
/** Class letters for a school of any size (A, B … Z, then AA, AB …). */
export function classLetter(index: number): string {
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  return index < 26 ? letters[index] : letters[Math.floor(index / 26) - 1] + letters[index % 26];
}

const BOYS = [
  "Oliver", "Harry", "George", "Jack", "Noah", "Leo", "Jacob", "Charlie", "Freddie", "Alfie", "Oscar", "Arthur",
  "Archie", "Henry", "Thomas", "William", "Theo", "Joshua", "James", "Isaac", "Max", "Lucas", "Ethan", "Alexander",
  "Finley", "Teddy", "Reuben", "Ollie", "Harrison", "Logan", "Samuel", "Dylan", "Riley", "Toby", "Jenson", "Edward",
  "Mason", "Albie", "Louie", "Tommy", "Frankie", "Ronnie", "Elliot", "Rory", "Daniel", "Sebastian", "Benjamin",
  "Harvey", "Joseph", "Lewis", "Owen", "Rhys", "Tomos", "Evan", "Sam", "Jude", "Stanley", "Hugo", "Ted", "Bobby",
];
const GIRLS = [
  "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia", "Grace", "Freya", "Willow",
  "Florence", "Emily", "Ella", "Poppy", "Evie", "Elsie", "Charlotte", "Evelyn", "Sienna", "Daisy", "Phoebe", "Millie",
  "Harper", "Matilda", "Ruby", "Alice", "Sophie", "Isabelle", "Erin", "Maisie", "Esme", "Lottie", "Hallie", "Eliza",
  "Layla", "Darcie", "Lucy", "Holly", "Imogen", "Scarlett", "Bella", "Molly", "Hannah", "Jessica", "Chloe", "Megan",
  "Eva", "Seren", "Ffion", "Martha", "Beatrice", "Violet", "Nancy", "Edith", "Mabel", "Orla", "Thea",
];
const SURNAMES = [
  "Smith", "Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan", "Price",
  "Griffiths", "Edwards", "Powell", "Pugh", "Morris", "Taylor", "Brown", "Wilson", "Johnson", "Wright", "Walker",
  "Green", "Hall", "Wood", "Harris", "Clarke", "Jackson", "Turner", "Hill", "Cooper", "Ward", "Baker", "Bennett",
  "Carter", "Phillips", "Watkins", "Bowen", "Preece", "Beddoes", "Pritchard", "Owen", "Parry", "Mason", "Lloyd",
  "Vaughan", "Meredith", "Gittins", "Bright", "Tudor", "Corbett", "Ellis", "Harding", "Nicholls", "Reynolds", "Shaw",
  "Lane", "Marsh", "Barker", "Holmes", "Moore", "Perry", "Yapp", "Bufton", "Jenkins", "Rees", "Watson", "Collins",
  "Fisher", "Wells", "Oakley", "Bevan", "Probert", "Stead", "Hamer", "Breakwell", "Millichamp", "Jukes", "Nash",
];
/** Names for pupils whose heritage the register records as other than White British. */
const NAMES_BY_HERITAGE: Record<string, { boys: string[]; girls: string[]; surnames: string[] }> = {
  eastern: {
    boys: ["Jakub", "Szymon", "Filip", "Kacper", "Antoni", "Mateusz", "Andrei", "Lukas", "Matas", "Oskar"],
    girls: ["Zuzanna", "Julia", "Maja", "Lena", "Alicja", "Hanna", "Oliwia", "Emilia", "Ieva", "Natalia"],
    surnames: ["Nowak", "Kowalczyk", "Wojcik", "Kaminski", "Lewandowski", "Zielinski", "Popescu", "Ionescu", "Kazlauskas", "Petrov"],
  },
  south_asian: {
    boys: ["Muhammad", "Ayaan", "Arjun", "Rohan", "Zayn", "Ibrahim", "Aarav", "Yusuf"],
    girls: ["Aisha", "Anaya", "Zara", "Priya", "Maryam", "Amira", "Diya", "Inaya"],
    surnames: ["Khan", "Hussain", "Patel", "Sharma", "Ahmed", "Singh", "Chowdhury", "Iqbal"],
  },
  east_asian: {
    boys: ["Ethan", "Ryan", "Jayden", "Hao", "Lucas"],
    girls: ["Chloe", "Grace", "Mei", "Emily", "Yuna"],
    surnames: ["Chen", "Wong", "Li", "Wang", "Zhang", "Liu"],
  },
  african: {
    boys: ["David", "Daniel", "Tobi", "Kwame", "Samuel", "Emmanuel"],
    girls: ["Favour", "Precious", "Amara", "Esther", "Grace", "Zainab"],
    surnames: ["Adebayo", "Okafor", "Mensah", "Osei", "Okonkwo", "Bello"],
  },
};

/** DfE main ethnicity codes with rough rural south Shropshire shares, and EAL likelihood. */
const ETHNICITIES: readonly (readonly [string, number, number, string])[] = [
  // code, weight, chance of EAL, naming heritage
  ["WBRI", 852, 0.003, "british"],
  ["WIRI", 5, 0, "british"],
  ["WOTH", 48, 0.68, "eastern"],
  ["WROM", 2, 0.5, "eastern"],
  ["MWBC", 10, 0, "british"],
  ["MWBA", 6, 0.05, "british"],
  ["MWAS", 12, 0.05, "british"],
  ["MOTH", 11, 0.1, "british"],
  ["AIND", 9, 0.5, "south_asian"],
  ["APKN", 4, 0.6, "south_asian"],
  ["ABAN", 2, 0.6, "south_asian"],
  ["AOTH", 4, 0.5, "south_asian"],
  ["BAFR", 6, 0.4, "african"],
  ["BCRB", 2, 0, "british"],
  ["CHNE", 5, 0.6, "east_asian"],
  ["OOTH", 4, 0.6, "eastern"],
  ["REFU", 8, 0.01, "british"],
  ["NOBT", 10, 0.01, "british"],
];

export { upnCheckLetter } from "../import/values.ts";

/** Local authorities the pupils' first schools were in: Shropshire mostly, then neighbours. */
const UPN_LAS: readonly (readonly [string, number])[] = [
  ["893", 86],
  ["884", 7], // Herefordshire
  ["894", 3], // Telford and Wrekin
  ["885", 2], // Worcestershire
  ["860", 1], // Staffordshire
  ["380", 1], // Bradford (moved in)
];

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

interface SchoolParams {
  seed: number;
  today: string;
  years: AcademicYearCalendar[];
  /**
   * Pupils on roll (about; the benchmark's registers at scale). Omitted: the demo school's
   * own size (57–61 a year group, two classes), byte-identical to before the option existed.
   * Given: a quarter of it per year group (±2), classes of about 30 (at least two).
   */
  pupils?: number;
}

export function createSchool({ seed, today, years, pupils: size }: SchoolParams): School {
  const root = new Random(seed);
  const firstYear = years[0].startYear;
  const currentYear = years[years.length - 1].startYear;
  const lastFullYear = currentYear - 1;
  // The year the named cases must have been on roll since: the last full year when covered.
  const settledYear = Math.max(firstYear, lastFullYear);
  const cohortSize = size === undefined ? undefined : Math.max(8, Math.round(size / 4));
  const classes = cohortSize === undefined ? 2 : Math.max(2, Math.round(cohortSize / 30));
  // Enough schools of first allocation that a large cohort's UPNs stay unique.
  const estabs = cohortSize === undefined ? 6 : Math.max(6, Math.ceil(cohortSize / 100));
  const usedUpns = new Set<string>();
  const estabByLa = new Map<string, number[]>();
  for (const [la] of UPN_LAS) {
    const r = root.fork(`estab:${la}`);
    estabByLa.set(la, Array.from({ length: estabs }, () => r.int(2000, 3999)));
  }
  const pupils: Pupil[] = [];

  const newPupil = (entryYear: number, admissionDate: string): Pupil => {
    const id = pupils.length;
    const r = root.fork(`pupil:${id}`);
    const sex: "M" | "F" = r.chance(0.5) ? "M" : "F";
    const [ethnicity, , ealChance, heritage] = r.weighted(ETHNICITIES.map((e) => [e, e[1]] as const));
    const names = NAMES_BY_HERITAGE[heritage];
    const forename = names ? r.pick(sex === "M" ? names.boys : names.girls) : r.pick(sex === "M" ? BOYS : GIRLS);
    const surname = names && r.chance(0.85) ? r.pick(names.surnames) : r.pick(SURNAMES);
    const dobStart = dayNumber(`${entryYear - 8}-09-01`);
    const dob = isoOfDay(dobStart + r.int(0, 364));
    // UPN: allocated by the pupil's first school in Reception (three years before Year 3).
    let upn = "";
    do {
      const la = r.weighted(UPN_LAS);
      const estab = r.pick(estabByLa.get(la)!);
      const allocated = String((entryYear - 3 + (r.chance(0.1) ? r.int(0, 3) : 0)) % 100).padStart(2, "0");
      const body = `${la}${estab}${allocated}${String(r.int(1, 999)).padStart(3, "0")}`;
      upn = upnCheckLetter(body) + body;
    } while (usedUpns.has(upn));
    usedUpns.add(upn);
    const latenessBand = r.weighted([
      [0.004, 70],
      [0.03, 24],
      [0.1, 6],
    ] as const);
    const pupil: Pupil = {
      id,
      upn,
      forename,
      surname,
      dob,
      sex,
      ethnicity,
      eal: r.chance(ealChance),
      lac: false,
      entryYear,
      admissionDate,
      leavingDate: `${entryYear + 4}-07-31`,
      classIndex: 0,
      rural: r.chance(0.25),
      lateness: latenessBand,
      holidayRisk: r.chance(0.15) ? 0.4 : 0.03,
      profile: "ordinary",
      fsm: new Map(),
      sen: new Map(),
      absenceRate: new Map(),
    };
    pupils.push(pupil);
    return pupil;
  };

  const yearGroupOf = (p: Pupil, year: number) => 3 + year - p.entryYear;
  const yearStart = (year: number) => `${year}-08-01`;
  const yearEnd = (year: number) => `${year + 1}-07-31`;
  const onRollIn = (p: Pupil, year: number) => {
    const g = yearGroupOf(p, year);
    return g >= 3 && g <= 6 && p.admissionDate <= yearEnd(year) && p.leavingDate >= yearStart(year);
  };

  // Cohorts: everyone in Year 3–6 at some point of the covered years.
  for (let entry = firstYear - 3; entry <= currentYear; entry++) {
    const r = root.fork(`cohort:${entry}`);
    const size = cohortSize === undefined ? r.int(57, 61) : r.int(cohortSize - 2, cohortSize + 1);
    const members: Pupil[] = [];
    for (let i = 0; i < size; i++) {
      let admission = `${entry}-09-01`;
      // A few of those already on roll when the covered years begin joined after Year 3 started.
      if (entry < firstYear && r.chance(0.08)) {
        const from = dayNumber(`${entry}-09-01`);
        const to = dayNumber(`${firstYear}-07-10`);
        // On a school day of that year's calendar (the next one from the day drawn): a weekday
        // alone gave 25 December 2023 (a fresh-clone trial). No draw is added, so every other
        // pupil and mark is as before.
        admission = nextSchoolDay(isoOfDay(from + r.int(0, to - from)));
      }
      members.push(newPupil(entry, admission));
    }
    r.shuffled(members).forEach((p, i) => (p.classIndex = i % classes));
  }

  // Joiners and leavers during the covered years (Year 6 leave on 31 July by default):
  // three to six of each a year, in any year group.
  for (const year of years) {
    const y = year.startYear;
    const days = year.schoolDays;
    const r = root.fork(`movement:${y}`);
    const cohort = (g: number) =>
      pupils.filter((p) => p.entryYear === y - (g - 3) && onRollIn(p, y) && p.leavingDate === `${p.entryYear + 4}-07-31`);
    const leavers = r.int(3, 6);
    for (let k = 0; k < leavers; k++) r.pick(cohort(r.int(3, 6))).leavingDate = days[r.int(10, days.length - 15)];
    // Moving away over the summer.
    for (let k = r.int(0, 2); k > 0; k--) r.pick(cohort(r.int(3, 5))).leavingDate = `${y + 1}-07-31`;
    const joiners = r.int(3, 6);
    for (let k = 0; k < joiners; k++) {
      const g = r.int(3, 6);
      const admission = g > 3 && r.chance(0.3) ? `${y}-09-01` : days[r.int(3, days.length - 10)];
      newPupil(y - (g - 3), admission).classIndex = r.int(0, classes - 1);
    }
  }

  // Characteristics by year and the absence propensity.
  for (const p of pupils) {
    const r = root.fork(`traits:${p.id}`);
    const latent = r.normal();
    let fsm = r.chance(0.19);
    let sen: Sen = r.chance(0.022) ? "E" : r.chance(fsm ? 0.19 : 0.12) ? "K" : "N";
    let improving = 1;
    let previous = 0;
    let first = true;
    for (let y = Math.max(firstYear, p.entryYear); y <= Math.min(currentYear, p.entryYear + 3); y++) {
      if (!onRollIn(p, y)) continue;
      if (!first) {
        if (fsm ? r.chance(0.07) : r.chance(0.03)) fsm = !fsm;
        if (sen === "N" && r.chance(0.03)) sen = "K";
        else if (sen === "K" && r.chance(0.1)) sen = "N";
        else if (sen === "K" && r.chance(0.04)) sen = "E";
        if (previous >= 0.09 && improving === 1 && r.chance(0.35)) improving = 0.55;
      }
      first = false;
      p.fsm.set(y, fsm);
      p.sen.set(y, sen);
      const multiplier = (fsm ? 2.3 : 1) * (sen === "E" ? 1.7 : sen === "K" ? 1.35 : 1);
      const rate = clamp(Math.exp(Math.log(0.021) + 1.08 * latent + 0.22 * r.normal()) * multiplier * improving, 0.004, 0.42);
      p.absenceRate.set(y, rate);
      previous = rate;
    }
  }

  // The named cases, chosen among pupils on roll for the whole of the last full and current year.
  const special = root.fork("special");
  const stayers = (entry: number) =>
    pupils.filter(
      (p) =>
        p.entryYear === entry &&
        p.admissionDate <= `${settledYear}-09-01` &&
        p.leavingDate >= yearEnd(currentYear) &&
        p.absenceRate.has(settledYear),
    );
  const anxious = special.pick(stayers(settledYear - 1));
  anxious.profile = "anxiety";
  const anxietyRates: Record<number, number> = { [firstYear]: 0.14, [lastFullYear]: 0.55, [currentYear]: 0.62 };
  for (const y of anxious.absenceRate.keys()) {
    anxious.absenceRate.set(y, anxietyRates[y] ?? anxietyRates[firstYear]);
    if (y >= lastFullYear) anxious.sen.set(y, "K");
    anxious.fsm.set(y, true);
  }
  const partTime = special.pick(stayers(settledYear).filter((p) => p !== anxious));
  partTime.profile = "part-time";
  for (const y of partTime.absenceRate.keys()) {
    partTime.sen.set(y, "E");
    partTime.absenceRate.set(y, 0.24);
  }
  const others = pupils.filter((p) => p.profile === "ordinary");
  const oRunFirst = special.pick(others.filter((p) => p.absenceRate.has(firstYear)));
  oRunFirst.oRunYear = firstYear;
  const oRunLast = special.pick(others.filter((p) => p.absenceRate.has(settledYear) && p !== oRunFirst));
  oRunLast.oRunYear = settledYear;
  // Looked-after children: one through the covered years, one taken into care last year.
  const lacA = special.pick(stayers(settledYear - 1).filter((p) => p.profile === "ordinary"));
  lacA.lac = true;
  const lacB = special.pick(stayers(settledYear).filter((p) => p.profile === "ordinary" && p !== lacA));
  lacB.lac = true;
  for (const p of [lacA, lacB]) for (const [y, rate] of p.absenceRate) p.absenceRate.set(y, Math.min(rate, 0.05));

  return { seed, today, years, pupils, classes };
}

/** A pupil's year group in an academic year (3–6 while at the school). */
export function yearGroupIn(pupil: Pupil, startYear: number): number {
  return 3 + startYear - pupil.entryYear;
}

/** The pupils file for one academic year, as at `asOf`: everyone on roll in that year up to today. */
export function pupilsCsv(school: School, year: AcademicYearCalendar): string {
  const y = year.startYear;
  const end = `${y + 1}-07-31`;
  const lines = ["upn,forename,surname,dob,sex,year_group,reg_group,admission_date,leaving_date,sen,fsm,eal,lac,ethnicity"];
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const rows = school.pupils
    .filter((p) => p.absenceRate.has(y) && p.admissionDate <= school.today && p.leavingDate >= `${y}-08-01`)
    .sort(
      (a, b) =>
        b.entryYear - a.entryYear ||
        a.classIndex - b.classIndex ||
        cmp(a.surname, b.surname) ||
        cmp(a.forename, b.forename) ||
        cmp(a.upn, b.upn),
    );
  for (const p of rows) {
    const g = yearGroupIn(p, y);
    const leaving = p.leavingDate <= end && p.leavingDate <= school.today ? p.leavingDate : "";
    const yn = (b: boolean) => (b ? "Y" : "N");
    lines.push(
      [
        p.upn,
        p.forename,
        p.surname,
        p.dob,
        p.sex,
        String(g),
        `${g}${classLetter(p.classIndex)}`,
        p.admissionDate,
        leaving,
        p.sen.get(y)!,
        yn(p.fsm.get(y)!),
        yn(p.eal),
        yn(p.lac),
        p.ethnicity,
      ].join(","),
    );
  }
  return lines.join("\n") + "\n";
}

const MONTH_FACTOR = [1.3, 1.25, 1.0, 0.85, 0.8, 0.8, 0.9, 1, 0.7, 0.95, 1.05, 1.35]; // Jan..Dec
const WEEKDAY_FACTOR = [1.15, 0.9, 0.85, 0.9, 1.3];
const WEEKDAY_UNAUTH = [1.3, 0.8, 0.7, 0.8, 1.6];

interface YearEvents {
  /** Illness multiplier per school day (season, weekday, flu week). */
  illness: number[];
  meanIllness: number;
  /** Class key "g:c" to days of a whole-class trip (V). */
  trips: Map<string, Set<string>>;
  /** Sports fixtures: date to UPNs taking part in the afternoon (P). */
  fixtures: Map<string, Set<number>>;
  snowDay: string | null;
  /** Last school days of each half term before a break, for holidays taken early. */
  breaks: number[];
}

function yearEvents(school: School, year: AcademicYearCalendar): YearEvents {
  const r = new Random(school.seed, `events:${year.startYear}`);
  const days = year.schoolDays;
  const winter = days
    .map((d, i) => ({ d, i }))
    .filter(({ d }) => weekdayOf(d) === 0 && (d.slice(5, 7) === "12" || d.slice(5, 7) === "01" || d.slice(5, 7) === "02"));
  const flu = winter.length ? r.pick(winter).i : -1;
  const illness = days.map((d, i) => {
    const flu_ = flu >= 0 && i >= flu && i < flu + 5 ? 2.6 : 1;
    return MONTH_FACTOR[Number(d.slice(5, 7)) - 1] * WEEKDAY_FACTOR[weekdayOf(d)] * flu_;
  });
  const meanIllness = illness.reduce((a, b) => a + b, 0) / illness.length;

  const trips = new Map<string, Set<string>>();
  const inTerm = (prefix: string) => {
    const t = year.halfTerms.filter((h) => h.name.startsWith(prefix));
    return days.filter((d) => t.some((h) => d >= h.start && d <= h.end) && d > t[0].start && weekdayOf(d) !== 0);
  };
  const autumnSpring = [...inTerm("autumn"), ...inTerm("spring")];
  const summer = inTerm("summer");
  const summer1 = days.filter((d) => {
    const h = year.halfTerms.find((t) => t.name === "summer-1")!;
    return d >= h.start && d <= h.end;
  });
  // Year 6 residential: three days (Mon–Wed) in Summer 1.
  const mondays = summer1.map((d, i) => ({ d, i })).filter(({ d, i }) => weekdayOf(d) === 0 && i + 2 < summer1.length);
  const residential = mondays.length ? r.pick(mondays) : null;
  for (let g = 3; g <= 6; g++) {
    for (let c = 0; c < school.classes; c++) {
      const set = new Set<string>([r.pick(autumnSpring)]);
      if (g === 6 && residential) for (let k = 0; k < 3; k++) set.add(summer1[residential.i + k]);
      else if (summer.length) set.add(r.pick(summer));
      trips.set(`${g}:${c}`, set);
    }
  }
  const fixtures = new Map<string, Set<number>>();
  const candidates = school.pupils.filter((p) => {
    const g = yearGroupIn(p, year.startYear);
    return p.absenceRate.has(year.startYear) && (g === 5 || g === 6);
  });
  for (let k = 0; k < 5; k++) {
    const day = r.pick(days);
    fixtures.set(day, new Set(r.sample(candidates, 8).map((p) => p.id)));
  }
  const snowDays = days.filter((d) => d.slice(5, 7) === "01" || d.slice(5, 7) === "02");
  const snowDay = snowDays.length && r.chance(0.6) ? r.pick(snowDays) : null;
  const breaks: number[] = [];
  for (const t of year.halfTerms) {
    let last = -1;
    for (let i = 0; i < days.length; i++) if (days[i] <= t.end) last = i;
    if (last >= 0 && (breaks.length === 0 || breaks[breaks.length - 1] !== last)) breaks.push(last);
  }
  return { illness, meanIllness, trips, fixtures, snowDay, breaks };
}

/**
 * School days, up to and including today, of the last `count` school days: where an
 * absence may still be an unresolved N.
 */
function recentSchoolDays(school: School, count: number): Set<string> {
  const all = school.years.flatMap((y) => y.schoolDays).filter((d) => d <= school.today);
  return new Set(all.slice(Math.max(0, all.length - count)));
}

/**
 * The marks file for one academic year: upn,date,session,code,minutes_late. `through`: the last
 * session of `school.today` written (DemoOptions.through); default both.
 */
export function marksCsv(school: School, year: AcademicYearCalendar, through?: DueSession): string {
  const y = year.startYear;
  const days = year.schoolDays;
  const events = yearEvents(school, year);
  const nWindow = recentSchoolDays(school, 8);
  const lastFull = school.years[school.years.length - 1].startYear - 1;
  const newRegime = days.map((d) => d >= REGIME_2024_FROM);
  // The part-time timetable starts with the last full year (C2 when that is 2024/25 or later).
  const partTimeFrom = `${lastFull}-08-01`;
  const out: string[] = ["upn,date,session,code,minutes_late"];
  // Today's sessions not yet due: each mark is still drawn (the generator's sequence, so every
  // other mark, is unchanged) but not written.
  const todayAm = !through || through.date >= school.today;
  const todayPm = !through || through.date > school.today || (through.date === school.today && through.pm);

  for (const p of school.pupils) {
    const rate = p.absenceRate.get(y);
    if (rate === undefined) continue;
    const r = new Random(school.seed, `marks:${y}:${p.id}`);
    const g = yearGroupIn(p, y);
    const sen = p.sen.get(y)!;
    const trips = events.trips.get(`${g}:${p.classIndex}`)!;
    const anxious = p.profile === "anxiety";
    const partTime = p.profile === "part-time";
    // Absence budget, in school days per school day.
    const spellContinue = anxious ? 0.72 : 0.45;
    const meanSpell = 1 / (1 - spellContinue);
    const illnessShare = anxious ? 0.65 : rate > 0.1 ? 0.68 : 0.78;
    // Spells only start on days in school, so a pupil away a lot needs a higher start rate:
    // share f of days in spells of mean length L needs p = f / (L(1 - r) + r) per day.
    const pIllness = (illnessShare * rate) / (meanSpell * (1 - rate) + rate) / events.meanIllness;
    const pOther = ((anxious ? 0.3 : rate > 0.1 ? 0.14 : 0.05) * rate) / (1 - rate);
    const pMedical = sen === "N" ? 0.005 : 0.011;

    // Holiday in term time, taken in the days before a break.
    const holiday = new Map<string, string>();
    if (!anxious && !partTime && r.chance(p.holidayRisk)) {
      const end = r.pick(events.breaks.filter((b) => b > 10));
      const length = r.int(2, 5);
      const agreed = r.chance(0.25);
      for (let i = end - length + 1; i <= end; i++) {
        holiday.set(days[i], newRegime[i] ? "G" : agreed ? "H" : "G");
      }
    }
    // A run of O: away with no explanation, before the school's enquiries find out why.
    const oRun = new Set<string>();
    if (p.oRunYear === y) {
      const spring = year.halfTerms.find((h) => h.name === "spring-1")!;
      const start = days.findIndex((d) => d >= spring.start) + r.int(3, 12);
      const length = r.int(7, 10);
      for (let i = start; i < start + length && i < days.length; i++) oRun.add(days[i]);
    }

    let illLeft = 0;
    let nSpell = false;
    let awayYesterday = false;
    for (let i = 0; i < days.length; i++) {
      const date = days[i];
      if (date > school.today) break;
      if (date < p.admissionDate || date > p.leavingDate) continue;
      const wd = weekdayOf(date);
      const regime2024 = newRegime[i];
      let am = "/";
      let pm = "\\";
      let amLate = "";
      const hol = holiday.get(date);
      if (hol) {
        am = pm = hol;
      } else if (oRun.has(date)) {
        am = pm = "O";
      } else if (anxious) {
        // Anxiety-based absence: whole days away, in runs, worse on Mondays; a two-state
        // chain whose long-run share of days away is the pupil's rate for the year.
        const stay = rate + (1 - rate) * 0.35;
        const start = (rate * (1 - stay)) / (1 - rate);
        if (r.chance(awayYesterday ? stay : Math.min(0.95, start * (wd === 0 ? 1.4 : 1)))) {
          if (!awayYesterday) nSpell = nWindow.has(date) && r.chance(0.35);
          am = pm = r.chance(0.35) ? "O" : "I";
        }
      } else if (illLeft > 0) {
        am = pm = "I";
        illLeft--;
      } else if (r.chance(pIllness * events.illness[i])) {
        illLeft = r.geometric(1 - spellContinue);
        nSpell = nWindow.has(date) && r.chance(0.12);
        if (r.chance(0.12)) pm = "I"; // sent home ill at lunchtime
        else am = pm = "I";
      } else if (r.chance(pOther * WEEKDAY_UNAUTH[wd])) {
        am = pm = "O";
        nSpell = nWindow.has(date) && r.chance(0.12);
      } else if (r.chance(pMedical)) {
        if (r.chance(0.6)) am = "M";
        else pm = "M";
      } else if (r.chance(0.0007)) {
        am = pm = "C";
      }

      if (partTime && date >= partTimeFrom) pm = regime2024 ? "C2" : "C";
      if (events.snowDay === date && p.rural && am === "/") {
        am = regime2024 ? "Y1" : "Y";
        if (pm === "\\") pm = am;
      }
      if (trips.has(date)) {
        if (am === "/") am = "V";
        if (pm === "\\") pm = "V";
      }
      if (pm === "\\" && events.fixtures.get(date)?.has(p.id)) pm = "P";
      if (am === "/" && r.chance(p.lateness * (wd === 0 ? 1.3 : 1))) {
        if (r.chance(0.07)) {
          am = "U";
          amLate = String(r.int(32, 70));
        } else {
          am = "L";
          amLate = String(Math.min(25, 5 + r.geometric(0.18)));
        }
      }
      if (nWindow.has(date) && nSpell) {
        if (am === "I" || am === "O") am = "N";
        if (pm === "I" || pm === "O") pm = "N";
      }
      awayYesterday = am === "I" || am === "O" || am === "N";
      if (date !== school.today || todayAm) out.push(`${p.upn},${date},AM,${am},${amLate}`);
      if (date !== school.today || todayPm) out.push(`${p.upn},${date},PM,${pm},`);
    }
  }
  return out.join("\n") + "\n";
}

/** The first school day on or after `iso` in the demo's calendar (that academic year's, else the next's). */
function nextSchoolDay(iso: string): string {
  const year = academicYearOf(iso);
  return academicYearCalendar(year).schoolDays.find((d) => d >= iso) ?? academicYearCalendar(year + 1).schoolDays[0];
}
