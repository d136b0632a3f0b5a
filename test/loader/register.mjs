// `npm test`'s loader for its test processes, in place of tsx (test/run-all.ts passes `--import` of this
// file): the tool's own modules (scripts/**/*.ts) resolve to the checkout's esbuild-compiled tree
// (bin/checkout-build.js, the code `node bin/gitops.js` runs), and every other TypeScript file (the tests,
// their helpers, rule modules a test writes) is compiled by esbuild as it loads. Why: tsx cost each test
// process about 2 s of CPU more than the compiled tree (its start, and a transform per module through its
// cache), some 90 s per `npm test` on two cores. Type checking is tsc's job in the same run. One file
// alone still runs with `node --import tsx --test <file>`. GITOPS_TEST_TREE names the compiled folder.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

const tree = process.env.GITOPS_TEST_TREE;
if (!tree) throw new Error('test/loader/register.mjs: GITOPS_TEST_TREE (the compiled tree) is not set; run npm test');
register('./hooks.mjs', import.meta.url, {
  data: { root: new URL('../../', import.meta.url).href, tree: pathToFileURL(`${tree}/`).href },
});
