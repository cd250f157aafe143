// The export panel: post the form in place, then follow the job's status until the file is ready.
// Without this script every form still works: it posts and lands on the job's own page.
(function () {
  "use strict";

  var POLL_MS = 700;

  function panelOf(element) {
    return element.closest(".exports-panel") || document.querySelector(".exports-panel");
  }

  function text(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined && content !== null) node.textContent = content;
    return node;
  }

  // A row for job `data` (the JSON of /exports/<id>/status), made or updated in place.
  function render(row, data) {
    var panel = panelOf(row);
    row.className = "export-job status-" + data.status;
    row.dataset.statusUrl = data.status_url;
    row.dataset.format = data.format;
    row.dataset.finished = data.finished ? "true" : "false";
    var label = row.querySelector(".export-label");
    if (!label) {
      label = text("span", "export-label");
      row.prepend(label);
    }
    label.textContent = data.label;
    var bar = row.querySelector(".export-progress");
    if (!bar) {
      bar = text("progress", "export-progress");
      bar.max = 100;
      label.after(bar);
    }
    bar.value = data.progress;
    bar.textContent = data.progress + "%";
    bar.hidden = data.finished;
    var step = row.querySelector(".export-step");
    if (!step) {
      step = text("span", "export-step small muted");
      bar.after(step);
    }
    step.textContent = data.step + " · " + data.progress + "%";
    step.hidden = data.finished;
    var result = row.querySelector(".export-result");
    if (!result) {
      result = text("span", "export-result");
      step.after(result);
    }
    result.replaceChildren();
    if (data.status === "done") {
      var link = text("a", "export-download", (panel.dataset.downloadLabel || "Download") + " " + data.filename);
      link.href = data.download_url;
      link.setAttribute("download", "");
      result.append(link, text("span", "small muted", (data.size / 1024).toFixed(1) + " KB"));
      var sha = text("span", "export-sha small", "SHA-256 ");
      sha.append(text("code", "code", data.sha256));
      result.append(sha);
    } else if (data.status === "failed") {
      var error = text("span", "error export-error", data.error || panel.dataset.failedLabel);
      error.setAttribute("role", "alert");
      result.append(error);
    }
    var warnings = row.querySelector(".export-warnings");
    if (!warnings) {
      warnings = text("ul", "export-warnings small");
      row.append(warnings);
    }
    warnings.replaceChildren.apply(
      warnings,
      (data.warnings || []).map(function (w) { return text("li", null, w); })
    );
  }

  function follow(row) {
    var url = row.dataset.statusUrl;
    if (!url || row.dataset.following === "true") return;
    row.dataset.following = "true";
    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          render(row, data);
          if (data.finished) row.dataset.following = "false";
          else window.setTimeout(poll, POLL_MS);
        })
        .catch(function () { window.setTimeout(poll, POLL_MS * 4); });
    }
    poll();
  }

  function rowFor(panel, data) {
    var list = panel.querySelector(".export-jobs");
    var rows = list.querySelectorAll(".export-job");
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].dataset.statusUrl === data.status_url) return rows[i];
    }
    var row = text("li", "export-job");
    list.prepend(row);
    return row;
  }

  function submit(event) {
    var form = event.target.closest("form.export-form");
    if (!form) return;
    event.preventDefault();
    var panel = panelOf(form);
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (answer) {
        if (!answer.ok) {
          var message = panel.querySelector(".export-message") || text("p", "error export-message");
          message.setAttribute("role", "alert");
          message.textContent = answer.data.message;
          panel.querySelector(".export-jobs").before(message);
          return;
        }
        var row = rowFor(panel, answer.data);
        render(row, answer.data);
        if (!answer.data.finished) follow(row);
      })
      .catch(function () { form.submit(); })
      .finally(function () { if (button) button.disabled = false; });
  }

  function start() {
    document.querySelectorAll(".exports-panel").forEach(function (panel) {
      panel.addEventListener("submit", submit);
      panel.querySelectorAll(".export-job[data-finished=false]").forEach(follow);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
