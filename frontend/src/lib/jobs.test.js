import { describe, expect, it, vi } from 'vitest';
import { generateInsights } from './jobs.js';

const noWait = () => Promise.resolve();

describe('insight generation', () => {
  it('returns the result of a synchronous 200', async () => {
    const api = { post: vi.fn(async () => ({ status: 200, data: { created: 3 } })), get: vi.fn() };
    expect(await generateInsights(api, { wait: noWait })).toEqual({ created: 3 });
    expect(api.get).not.toHaveBeenCalled();
  });

  it('polls a 202 job until it is done and reports progress', async () => {
    const states = [{ status: 'queued' }, { status: 'running' }, { status: 'done', result: { created: 2 } }];
    const api = {
      post: async () => ({ status: 202, data: { job_id: 'j 1', status: 'queued' } }),
      get: vi.fn(async () => states.shift()),
    };
    const seen = [];
    const result = await generateInsights(api, { wait: noWait, onProgress: (job) => seen.push(job.status) });
    expect(result).toEqual({ created: 2 });
    expect(seen).toEqual(['queued', 'running', 'done']);
    expect(api.get).toHaveBeenCalledWith('/jobs/j%201');
  });

  it("fails with the job's error and gives up after maxPolls", async () => {
    const failing = { post: async () => ({ status: 202, data: { job_id: 'j' } }), get: async () => ({ status: 'failed', error: { message: 'LLM down' } }) };
    await expect(generateInsights(failing, { wait: noWait })).rejects.toThrow('LLM down');
    const stuck = { post: async () => ({ status: 202, data: { job_id: 'j' } }), get: async () => ({ status: 'running' }) };
    await expect(generateInsights(stuck, { wait: noWait, maxPolls: 3 })).rejects.toThrow(/too long/);
  });
});
