/**
 * sim/world: a simulated company with normal, messy work and planted insiders (S1–S6 of INCIDENTS.md and a
 * leaver), streamed as access events with an org.json and a truth.json for the detection scorecard.
 */
export { simulateWorld, DEFAULT_KNOBS } from './simulate-world.js';
export { dayKind, localDate, localMidnightMs, LOCAL_OFFSET_MS, type DayKind } from './calendar.js';
export { SCENARIOS, INTENSITIES, type Scenario, type Intensity, type WorldKnobs, type WorldOptions, type Truth, type TruthInsider, type EventWriter, type WorldResult } from './world-types.js';
