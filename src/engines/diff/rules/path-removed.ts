import { slotRule } from '../kit/define.ts';
import { paths } from '../kit/aspects.ts';

/** Every operation of a path is gone (and no operation of the new contract uses the path). */
export const rule = slotRule({
  title: 'path removed', severity: 'breaking',
  of: paths, on: 'removed',
  message: (s) => `${s.label} removed (${s.operations.length} operation${s.operations.length > 1 ? 's' : ''})`,
});
