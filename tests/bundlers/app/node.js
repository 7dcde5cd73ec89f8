// The same forward pass in Node, through the package's "node" export.
import * as sn from 'simdnn';
import { forwardPass } from './forward.js';

export const expected = forwardPass(sn);
export const resolved = import.meta.resolve('simdnn');
