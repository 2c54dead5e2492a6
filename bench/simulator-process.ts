/**
 * The backend simulator in a process of its own for the benchmarks, so its
 * work does not share the app's event loop (a real backend is remote). Reads
 * its fixture and knobs as JSON from argv, prints "SIMULATOR_URL=<url>".
 */
import { BackendSimulator, type SimulatorFixture, type SimulatorKnobs } from '../api/backend/simulator/backend-simulator';

async function main() {
  const { fixture, knobs } = JSON.parse(process.argv[2] ?? '{}') as { fixture: SimulatorFixture; knobs: Partial<SimulatorKnobs> };
  const simulator = new BackendSimulator(fixture);
  simulator.setKnobs(knobs);
  const url = await simulator.start();
  process.stdout.write(`SIMULATOR_URL=${url}\n`);
  process.on('message', (message) => {
    if (message === 'calls') process.send?.(Object.fromEntries(simulator.calls));
  });
  process.on('disconnect', () => void simulator.stop().then(() => process.exit(0)));
}

void main();
