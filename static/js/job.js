// A background job's page: ask the server for the job's status every two seconds until it
// has finished, and show it (what the work says as it goes, e.g. how many questions an
// import read, and then the result, is announced by its polite live region).
(function () {
  "use strict";
  const box = document.getElementById("job");
  if (!box || box.dataset.finished === "true") return;
  const show = (job) => {
    document.getElementById("job-label").textContent = job.label;
    const bar = document.getElementById("job-progress");
    bar.value = job.percent;
    bar.textContent = job.percent + "%";
    document.getElementById("job-count").textContent =
      job.total ? job.done + " of " + job.total : "";
    const result = document.getElementById("job-result");
    if (result.textContent !== job.result) result.textContent = job.result;
    if (job.finished) {
      document.getElementById("job-refresh").hidden = true;
      // Shown by the server only to whom it may retry; a job that fails while watched
      // offers it without a reload.
      const retry = document.getElementById("job-retry");
      if (retry) retry.hidden = !job.retryable;
    }
    return job.finished;
  };
  const poll = () => {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((job) => { if (!job || !show(job)) setTimeout(poll, 2000); })
      .catch(() => setTimeout(poll, 5000));
  };
  setTimeout(poll, 1000);
})();
