// The test app's worker: the forward pass, with simdnn's synchronous initialisation.
import * as sn from 'simdnn';
import { forwardPass } from './forward.js';

postMessage(forwardPass(sn));
