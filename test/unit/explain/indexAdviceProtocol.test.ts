import assert from 'node:assert/strict';
import { isIndexAdviceMessage, isIndexAdviceRequest, isWebviewMessage } from '../../../src/shared/protocol';

describe('index advice: messages between the plan view and the host', () => {
  it('accepts the three requests with their string fields, and nothing else', () => {
    assert.equal(isIndexAdviceRequest({ type: 'indexAdvice.verify', recordId: 'r1' }), true);
    assert.equal(isIndexAdviceRequest({ type: 'indexAdvice.migration', recordId: 'r1', name: 'orders_note_idx' }), true);
    assert.equal(isIndexAdviceRequest({ type: 'indexAdvice.create', recordId: 'r1', name: 'orders_note_idx' }), true);
    assert.equal(isIndexAdviceRequest({ type: 'indexAdvice.create', recordId: 'r1' }), false);
    assert.equal(isIndexAdviceRequest({ type: 'indexAdvice.create', recordId: 'r1', name: 42 }), false);
    assert.equal(isIndexAdviceRequest({ type: 'indexAdvice.drop', recordId: 'r1', name: 'x' }), false);
    assert.equal(isIndexAdviceRequest({ type: 'toString', recordId: 'r1' }), false);
    assert.equal(isIndexAdviceRequest(null), false);
    assert.equal(isIndexAdviceRequest('indexAdvice.verify'), false);
    // The plan view's own messages stay apart.
    assert.equal(isWebviewMessage({ type: 'indexAdvice.verify', recordId: 'r1' }), false);
    assert.equal(isIndexAdviceRequest({ type: 'rerun', recordId: 'r1' }), false);
  });

  it('recognises the host\'s advice message by its type and record', () => {
    const advice = { recordId: 'r1', state: 'done', summary: '', items: [], rejected: [], canCreate: false };
    assert.equal(isIndexAdviceMessage({ type: 'indexAdvice', advice }), true);
    assert.equal(isIndexAdviceMessage({ type: 'indexAdvice', advice: { ...advice, recordId: 1 } }), false);
    assert.equal(isIndexAdviceMessage({ type: 'show', payload: {} }), false);
    assert.equal(isIndexAdviceMessage(undefined), false);
  });
});
