import { runSubgraphMain } from '@wanxin/platform';
import { createSubgraph } from './index';

runSubgraphMain(createSubgraph());
