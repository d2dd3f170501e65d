export { defenderIotManagement as default } from '../shared/defender-iot/modules.ts';
