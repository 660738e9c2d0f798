// Proves the collection workbench's pure rules (src/domain/collection-case.ts): the stage and severity of a
// case by the oldest overdue installment's days (SMS 1–2, staff call from 3, emergency contact from 30; red
// from 5), and what a staff note may hold.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  COLLECTION_NOTE_LENGTH_MAX,
  COLLECTION_NOTES_PER_CASE_MAX,
  collectionNoteProblem,
  collectionSeverity,
  collectionStage,
} from '../src/domain/collection-case';

describe('a collection case', () => {
  it('moves through the stages by overdue days', () => {
    const stages = [1, 2, 3, 4, 5, 29, 30, 31, 400].map((days) => [days, collectionStage(days)]);
    assert.deepEqual(stages, [
      [1, 'SMS'],
      [2, 'SMS'],
      [3, 'STAFF_CALL'],
      [4, 'STAFF_CALL'],
      [5, 'STAFF_CALL'],
      [29, 'STAFF_CALL'],
      [30, 'EMERGENCY_CONTACT'],
      [31, 'EMERGENCY_CONTACT'],
      [400, 'EMERGENCY_CONTACT'],
    ]);
  });

  it('is flagged red from day 5', () => {
    assert.deepEqual(
      [1, 4, 5, 6, 40].map((days) => collectionSeverity(days)),
      ['NORMAL', 'NORMAL', 'RED', 'RED', 'RED'],
    );
  });

  it('exists only for an overdue loan: 0 days, negative or fractional days are broken invariants', () => {
    for (const days of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => collectionStage(days), /overdue loan/);
      assert.throws(() => collectionSeverity(days), /overdue loan/);
    }
  });
});

describe('a staff note', () => {
  const today = '2027-03-10';
  it('holds 1 to 1,000 characters and a promised date from the business date on', () => {
    assert.equal(collectionNoteProblem('called, will pay', null, today, 0), null);
    assert.equal(collectionNoteProblem('x'.repeat(COLLECTION_NOTE_LENGTH_MAX), today, today, 0), null);
    assert.equal(collectionNoteProblem('promise', '2027-03-11', today, 0), null);
    assert.equal(collectionNoteProblem('  ', null, today, 0)?.field, 'note');
    assert.equal(collectionNoteProblem('x'.repeat(COLLECTION_NOTE_LENGTH_MAX + 1), null, today, 0)?.field, 'note');
    assert.equal(collectionNoteProblem('promise', '2027-03-09', today, 0)?.field, 'promisedDate');
  });

  it('is refused once the case holds the most notes', () => {
    assert.equal(collectionNoteProblem('again', null, today, COLLECTION_NOTES_PER_CASE_MAX - 1), null);
    assert.equal(collectionNoteProblem('again', null, today, COLLECTION_NOTES_PER_CASE_MAX)?.field, 'caseId');
  });
});
