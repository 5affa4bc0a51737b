// POST /insights/generate answers 200 with the result, or (queued) 202 {job_id, status}: then GET /jobs/<id> is
// polled until the job is done or failed.
const DONE = new Set(['done', 'succeeded', 'success', 'finished', 'completed', 'complete']);
const FAILED = new Set(['failed', 'error', 'errored', 'cancelled', 'canceled']);

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

export async function generateInsights(api, { onProgress, pollMs = 1000, maxPolls = 180, wait = sleep } = {}) {
  const { data, status } = await api.post('/insights/generate', {});
  if (status !== 202) return data;
  const jobId = data.job_id;
  for (let i = 0; i < maxPolls; i += 1) {
    await wait(pollMs);
    const job = await api.get(`/jobs/${encodeURIComponent(jobId)}`);
    const jobStatus = String(job.status || '').toLowerCase();
    if (onProgress) onProgress(job);
    if (DONE.has(jobStatus)) return job.result || job;
    if (FAILED.has(jobStatus)) {
      const reason = job.error?.message || (typeof job.error === 'string' ? job.error : null);
      throw new Error(reason || `Generating insights ${jobStatus}.`);
    }
  }
  throw new Error('Generating insights is taking too long; check again later.');
}
