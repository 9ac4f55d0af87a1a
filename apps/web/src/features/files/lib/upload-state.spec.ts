import type { UploadedFile } from '@chat/shared';
import { describe, expect, it } from 'vitest';
import { uploadErrorMessage } from './upload-errors';
import { summarizeUploads, type Upload, uploadProgress, uploadsReducer } from './upload-state';

const file = (name: string, size = 100) => new File([new Uint8Array(size)], name, { type: 'application/octet-stream' });
const uploaded = (id: string, name: string): UploadedFile => ({ id, name, size: 100, mimeType: 'application/octet-stream' });
const add = (uploads: Upload[], ...names: string[]) =>
  uploadsReducer(uploads, { type: 'add', uploads: names.map((name) => ({ key: name, file: file(name) })) });

describe('uploadsReducer', () => {
  it('goes from uploading with progress to done with the server answer', () => {
    let state = add([], 'a.txt');
    state = uploadsReducer(state, { type: 'progress', key: 'a.txt', loaded: 40 });
    expect(uploadProgress(state[0]!)).toBe(0.4);
    state = uploadsReducer(state, { type: 'done', key: 'a.txt', result: uploaded('1', 'a.txt') });
    expect(state[0]).toMatchObject({ status: 'done', result: { id: '1' } });
    expect(uploadProgress(state[0]!)).toBe(1);
  });

  it('takes at most ten files', () => {
    const names = Array.from({ length: 12 }, (_, index) => `f${index}`);
    expect(add([], ...names)).toHaveLength(10);
    expect(add(add([], ...names.slice(0, 9)), 'x', 'y').map((upload) => upload.key)).toEqual([...names.slice(0, 9), 'x']);
  });

  it('a failed upload keeps its error until retried, and removing one drops only it', () => {
    let state = add([], 'a', 'b');
    state = uploadsReducer(state, { type: 'failed', key: 'a', error: 'Too large: the limit is 25 MB' });
    expect(state[0]).toMatchObject({ status: 'failed', error: 'Too large: the limit is 25 MB' });
    state = uploadsReducer(state, { type: 'retry', key: 'a' });
    expect(state[0]).toMatchObject({ status: 'uploading', loaded: 0 });
    state = uploadsReducer(state, { type: 'remove', key: 'b' });
    expect(state.map((upload) => upload.key)).toEqual(['a']);
  });

  it('ignores a late answer for an upload that was removed', () => {
    let state = add([], 'a');
    state = uploadsReducer(state, { type: 'remove', key: 'a' });
    expect(uploadsReducer(state, { type: 'done', key: 'a', result: uploaded('1', 'a') })).toEqual([]);
  });

  it('lets the message go only with finished files, and says when some are still running', () => {
    let state = add([], 'a', 'b', 'c');
    state = uploadsReducer(state, { type: 'done', key: 'a', result: uploaded('1', 'a') });
    state = uploadsReducer(state, { type: 'failed', key: 'c', error: 'x' });
    expect(summarizeUploads(state)).toEqual({ ready: [uploaded('1', 'a')], readyKeys: ['a'], uploading: true });
    state = uploadsReducer(state, { type: 'done', key: 'b', result: uploaded('2', 'b') });
    expect(summarizeUploads(state).uploading).toBe(false);
    state = uploadsReducer(state, { type: 'sent', keys: ['a', 'b'] });
    expect(state.map((upload) => upload.key)).toEqual(['c']);
  });
});

describe('uploadErrorMessage', () => {
  it('names the limit for a file that is too large, and the wait for a rate limit', () => {
    expect(uploadErrorMessage(413)).toBe('Too large: the limit is 25 MB');
    expect(uploadErrorMessage(429, undefined, 12)).toBe('Too many uploads: try again in 12 s');
    expect(uploadErrorMessage(0)).toBe('Could not reach the server');
    expect(uploadErrorMessage(400, 'The file is empty')).toBe('The file is empty');
  });
});
