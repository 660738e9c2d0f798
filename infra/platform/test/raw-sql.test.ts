// Raw statements for hot paths write and read exactly what the ORM would: the same dates (to the
// millisecond), the largest amount to the fen, negatives, NULLs, text with `?` and quotes; a duplicate
// key is the ORM's exception and leaves nothing behind; list bounds are asserted; a list of 1,201 values
// goes in SQL_LIST_MAX chunks, the rows of every chunk merged and the counts summed. On both databases.
// (Beyond 2^53 the libsql driver reads integers back through doubles, whoever wrote them; amounts stop
// at MONEY_MAX_FEN, about 2^40.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BigIntType, Entity, PrimaryKey, Property, UniqueConstraintViolationException } from '@mikro-orm/core';
import {
  forkEntityManager,
  initDatabase,
  insertRows,
  MONEY_MAX_FEN,
  runSql,
  runSqlInChunks,
  selectRows,
  selectRowsInChunks,
  sqlPlaceholders,
  SQL_LIST_MAX,
} from '../src';
import { createTestEnvironment, databaseKindsUnderTest } from '../src/testing';

@Entity({ tableName: 'raw_probe' })
class RawProbe {
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Property({ type: new BigIntType('bigint') })
  amountFen!: bigint;

  @Property({ type: 'string', length: 40, nullable: true })
  note!: string | null;

  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'Date', length: 3 })
  createdAt!: Date;
}

const createdAt = new Date('2026-12-02T15:04:05.678Z');

function probe(id: string, amountFen: bigint, note: string | null): RawProbe {
  return Object.assign(new RawProbe(), { id, amountFen, note, version: 1, createdAt });
}

for (const { kind, skip } of databaseKindsUnderTest()) {
  test(`insertRows, runSql and selectRows match the ORM (${kind})`, { skip }, async () => {
    const environment = createTestEnvironment(kind);
    const orm = await initDatabase(environment.config, {
      subgraph: 'raw_probe',
      entities: [RawProbe],
      migrations: [],
      messaging: false,
    });
    try {
      await orm.getSchemaGenerator().updateSchema();
      const big = MONEY_MAX_FEN;
      await forkEntityManager(orm).transactional(async (tx) => {
        await insertRows(tx, RawProbe, [probe('raw-1', big, null), probe('raw-2', -5n, "it? has ?s and 'quotes'")]);
        await tx.insert(RawProbe, probe('orm-1', big, null));
      });

      const em = forkEntityManager(orm);
      const [raw1, raw2, orm1] = await em
        .find(RawProbe, {}, { orderBy: { id: 'asc' } })
        .then((rows) => [rows[1], rows[2], rows[0]]);
      assert.deepEqual({ ...raw1, id: 'orm-1' }, { ...orm1 }, 'a raw row reads back as the ORM-inserted one');
      assert.deepEqual({ ...raw1 }, { ...probe('raw-1', big, null) });
      assert.deepEqual({ ...raw2 }, { ...probe('raw-2', -5n, "it? has ?s and 'quotes'") });
      const unitOfWork = em.getUnitOfWork();
      unitOfWork.computeChangeSets();
      assert.equal(unitOfWork.getChangeSets().length, 0, 'rows read back leave nothing to flush');

      const matched = await runSql(
        em,
        `update raw_probe set version = version + 1, created_at = ? where id in (${sqlPlaceholders(2)})`,
        [createdAt, 'raw-1', 'nobody'],
      );
      assert.equal(matched, 1);
      const rows = await selectRows<{ id: string; version: number }>(
        em,
        'select id, version from raw_probe where id = ?',
        ['raw-1'],
      );
      assert.deepEqual(
        rows.map((row) => [row.id, Number(row.version)]),
        [['raw-1', 2]],
      );

      await assert.rejects(
        forkEntityManager(orm).transactional((tx) =>
          insertRows(tx, RawProbe, [probe('raw-3', 1n, null), probe('raw-1', 1n, null)]),
        ),
        UniqueConstraintViolationException,
      );
      assert.equal(
        await forkEntityManager(orm).count(RawProbe, { id: 'raw-3' }),
        0,
        'the refused statement left nothing',
      );

      assert.throws(() => sqlPlaceholders(0));
      assert.throws(() => sqlPlaceholders(SQL_LIST_MAX + 1));
    } finally {
      await orm.close(true);
      await environment.cleanup();
    }
  });
}

for (const { kind, skip } of databaseKindsUnderTest()) {
  test(`runSqlInChunks and selectRowsInChunks take lists longer than one SQL list (${kind})`, { skip }, async () => {
    const environment = createTestEnvironment(kind);
    const orm = await initDatabase(environment.config, {
      subgraph: 'raw_chunks',
      entities: [RawProbe],
      migrations: [],
      messaging: false,
    });
    try {
      await orm.getSchemaGenerator().updateSchema();
      const ids = Array.from({ length: 2 * SQL_LIST_MAX + 201 }, (_, index) => `chunk-${index}`);
      await forkEntityManager(orm).transactional((tx) =>
        insertRows(
          tx,
          RawProbe,
          ids.map((id, index) => probe(id, BigInt(index), null)),
        ),
      );
      const listed = [...ids, 'nobody'];
      const matched = await runSqlInChunks(forkEntityManager(orm), {
        values: listed,
        sqlOf: (placeholders) => `update raw_probe set version = version + 1, note = ? where id in (${placeholders})`,
        paramsOf: (chunk) => ['touched', ...chunk],
      });
      assert.equal(matched, ids.length, 'the counts of every chunk, summed');
      const rows = await selectRowsInChunks<{ id: string; version: number; note: string }, string>(
        forkEntityManager(orm),
        {
          values: listed,
          sqlOf: (placeholders) => `select id, version, note from raw_probe where id in (${placeholders})`,
        },
      );
      assert.deepEqual(
        rows.map((row) => [row.id, Number(row.version), row.note]).sort(),
        ids.map((id) => [id, 2, 'touched']).sort(),
        'the rows of every chunk, merged',
      );
    } finally {
      await orm.close(true);
      await environment.cleanup();
    }
  });
}
