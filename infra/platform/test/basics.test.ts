// Proves the small shared pieces: masking of personal data, time-ordered ids, and configuration that
// names every bad variable at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bankUserIdOf,
  bankUserNoFor,
  ConfigError,
  isId,
  loadConfig,
  maskCardNumber,
  maskIdNumber,
  maskMobile,
  maskName,
  newId,
  readPlatformConfig,
} from '../src';

test('masks mobiles, ID numbers, card numbers and names', () => {
  assert.equal(maskMobile('13800000000'), '138****0000');
  assert.equal(maskIdNumber('110101199003071234'), '1101**********1234');
  assert.equal(maskCardNumber('6222020000001234567'), '6222***********4567');
  assert.equal(maskName('王小明'), '王**');
  assert.equal(maskMobile('123'), '***');
});

test('ids are UUIDv7 and increase within one process', () => {
  const ids = Array.from({ length: 5000 }, () => newId());
  for (const id of ids) assert.ok(isId(id), id);
  for (let index = 1; index < ids.length; index += 1)
    assert.ok(ids[index - 1] < ids[index], `${ids[index - 1]} !< ${ids[index]}`);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(!isId('1; drop table users'));
});

test("a user's bank number leads back to the user, and nothing else is a user's number", () => {
  for (const userId of Array.from({ length: 100 }, () => newId())) {
    assert.equal(bankUserIdOf(bankUserNoFor(userId)), userId);
  }
  for (const userNo of ['PLATFORM', '', 'G'.repeat(32), 'a'.repeat(32), 'A'.repeat(31), 'A'.repeat(33)]) {
    assert.equal(bankUserIdOf(userNo), null, userNo);
  }
});

test('configuration reports every bad variable by name', () => {
  const env = {
    NODE_ENV: 'staging',
    DATABASE_URL: 'postgres://x',
    DATABASE_POOL_MAX: 'ten',
    DATABASE_SOCKET_PATH: 'run/mysqld/mysqld.sock',
    LOG_LEVEL: 'loud',
  };
  assert.throws(
    () => loadConfig(env, readPlatformConfig),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      for (const name of Object.keys(env)) assert.match(error.message, new RegExp(name));
      return true;
    },
  );
});

test('DATABASE_SOCKET_PATH is an absolute path, unset by default', () => {
  assert.equal(loadConfig({}, readPlatformConfig).database.socketPath, undefined);
  const socketPath = '/run/mysqld/mysqld.sock';
  assert.equal(loadConfig({ DATABASE_SOCKET_PATH: socketPath }, readPlatformConfig).database.socketPath, socketPath);
});

test("AMQP_URL names every node of a RabbitMQ cluster, each a URL; a bad one is refused by the variable's name", () => {
  const nodes = 'amqp://u:p@127.0.0.1:5672,amqp://u:p@127.0.0.1:5673, amqps://u:p@rabbit-3:5671/wanxin';
  assert.deepEqual(loadConfig({ AMQP_URL: nodes }, readPlatformConfig).messaging.amqpUrls, [
    'amqp://u:p@127.0.0.1:5672',
    'amqp://u:p@127.0.0.1:5673',
    'amqps://u:p@rabbit-3:5671/wanxin',
  ]);
  assert.equal(loadConfig({}, readPlatformConfig).messaging.amqpUrls, undefined);
  for (const bad of ['amqp://a,', 'amqp://a,http://b', 'amqp://a,,amqp://b', Array(17).fill('amqp://a').join(',')])
    assert.throws(() => loadConfig({ AMQP_URL: bad }, readPlatformConfig), /AMQP_URL/, bad);
});

test('money and rate settings use the scalars’ formats and name the variable when wrong', () => {
  const read = (env: Record<string, string>) =>
    loadConfig(env, (reader) => ({
      max: reader.money('MAX_AMOUNT', '500000.00'),
      rate: reader.rate('SOME_RATE', '0.15'),
    }));
  assert.deepEqual(read({}), { max: 50_000_000n, rate: 150_000 });
  assert.deepEqual(read({ MAX_AMOUNT: '1234.5', SOME_RATE: '0.0005' }), { max: 123_450n, rate: 500 });
  assert.throws(
    () => read({ MAX_AMOUNT: '-1', SOME_RATE: '15%' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /MAX_AMOUNT/);
      assert.match(error.message, /SOME_RATE/);
      return true;
    },
  );
});

test('production refuses to start without real signing keys', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'production' }, readPlatformConfig), /JWT_PUBLIC_KEY/);
  const config = loadConfig({}, readPlatformConfig);
  assert.equal(config.database.url, undefined);
  assert.equal(config.database.namePrefix, 'wanxin');
});
