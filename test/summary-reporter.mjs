// A node:test reporter that prints only the final tally: "<n> passed, <n> failed" as the last line.
export default async function* summary(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.details?.type === 'suite') continue;
    if (event.type === 'test:fail') failed += 1;
    else if (event.data.skip || event.data.todo) skipped += 1;
    else passed += 1;
  }
  yield `\n${skipped} skipped\n${passed} passed, ${failed} failed\n`;
}
