// The life story of one simulated person aged 65 and over, in years from the day they join the
// population (their 65th birthday, or registering with a practice later in life). The rates are
// tuned for dummy data that charts well, not for epidemiology: about a quarter of the population
// lives in a care home on any date (far more than in England), and care-home residents are older
// and die sooner than people living at home.

/** Age at which people join the simulated population. */
export const ENTRY_AGE = 65;
/** Community mortality per year at 65 (Gompertz), and its growth per year of age. */
const DEATH_AT_65 = 0.006;
const DEATH_GROWTH = 0.1;
/** Moving into a care home, per year at 65 (Gompertz), and its growth per year of age. */
const CARE_AT_65 = 0.025;
const CARE_GROWTH = 0.14;
/** Mortality per year while living in a care home. */
const CARE_HOME_DEATHS = 0.2;
/** Share of care-home residents who go home again, after a stay of this many years on average. */
const CARE_LEAVERS = 0.08;
const CARE_STAY_YEARS = 0.5;
/** Moving away (deregistering), per year. */
const MOVING_AWAY = 0.01;
/** Share of people who join by registering rather than by turning 65, and their mean years past 65. */
const MOVERS_IN = 0.1;
const MOVER_YEARS = 8;

/** Years from joining to each event; Infinity for events that never happen. */
export interface LifeStory {
  /** Age in years (fractional) on joining. */
  entryAge: number;
  /** Years until the person leaves the population (death or moving away). */
  leaves: number;
  /** Years until they move into a care home, and until they leave it (alive or not). */
  careStart: number;
  careEnd: number;
}

/** Draws a life story; `random` is consumed in a fixed order so the sequence is reproducible. */
export function drawLifeStory(random: () => number, story: LifeStory): LifeStory {
  const mover = random() < MOVERS_IN;
  const moverYears = exponential(random(), MOVER_YEARS);
  const entryAge = mover ? Math.min(ENTRY_AGE + moverYears, 100) : ENTRY_AGE;
  let death = gompertz(random(), entryAge, DEATH_AT_65, DEATH_GROWTH);
  const movesAway = exponential(random(), 1 / MOVING_AWAY);
  const toCare = gompertz(random(), entryAge, CARE_AT_65, CARE_GROWTH);
  const deathInCare = toCare + exponential(random(), 1 / CARE_HOME_DEATHS);
  const goesHome = random() < CARE_LEAVERS;
  const stay = exponential(random(), CARE_STAY_YEARS);

  let careStart = Infinity;
  let careEnd = Infinity;
  if (toCare < Math.min(death, movesAway)) {
    careStart = toCare;
    const leftAlive = goesHome && toCare + stay < deathInCare;
    careEnd = leftAlive ? toCare + stay : deathInCare;
    if (!leftAlive) death = Math.min(death, deathInCare);
  }
  const leaves = Math.min(death, movesAway);
  story.entryAge = entryAge;
  story.leaves = leaves;
  story.careStart = careStart < leaves ? careStart : Infinity;
  story.careEnd = Math.min(careEnd, leaves);
  return story;
}

/** Mean years a person spends in the population, so the joining rate can keep its size steady. */
export function meanYearsInPopulation(samples = 50_000, random: () => number): number {
  const story: LifeStory = { entryAge: 0, leaves: 0, careStart: 0, careEnd: 0 };
  let total = 0;
  for (let i = 0; i < samples; i++) total += drawLifeStory(random, story).leaves;
  return total / samples;
}

/** Years until an event whose yearly hazard at age a is rate·e^(growth·(a−65)), from age `age`. */
function gompertz(u: number, age: number, rate: number, growth: number): number {
  const hazardNow = rate * Math.exp(growth * (age - ENTRY_AGE));
  return Math.log1p((growth * -Math.log1p(-u)) / hazardNow) / growth;
}

function exponential(u: number, mean: number): number {
  return -Math.log1p(-u) * mean;
}
