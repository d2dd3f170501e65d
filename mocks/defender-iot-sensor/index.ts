export { defenderIotSensor as default } from '../shared/defender-iot/modules.ts';
