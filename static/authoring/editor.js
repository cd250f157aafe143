/* The standard editor page: preview, outline, lint panel, save, autosave, insert helpers.
 *
 * Plain ES2017, committed as is (no build step), so the page works where node is missing: it drives
 * the <textarea> directly. When the CodeMirror bundle (static/build/editor.js, built from frontend/)
 * is loaded first it defines window.StandardForgeSourcePane, and the textarea is upgraded to it.
 * The server renders everything once (preview, outline, findings) so the page is useful before any
 * script runs; this file only keeps it current as the drafter types.
 */
(function () {
  "use strict";

  var PREVIEW_DELAY_MS = 450;
  var AUTOSAVE_DELAY_MS = 800;

  /** The textarea as a pane: the same interface the CodeMirror bundle answers. */
  function textareaPane(textarea, hooks) {
    textarea.addEventListener("input", hooks.onChange);
    textarea.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
        event.preventDefault();
        hooks.onSave();
      }
    });
    function lineStart(lineNumber) {
      var lines = textarea.value.split("\n");
      var offset = 0;
      for (var i = 0; i < Math.min(lineNumber - 1, lines.length - 1); i++) offset += lines[i].length + 1;
      return offset;
    }
    return {
      kind: "textarea",
      element: textarea,
      getText: function () { return textarea.value; },
      setText: function (text) {
        // change only the part that differs, so the cursor stays where it was
        var old = textarea.value;
        if (old === text) return;
        var start = 0, end = 0;
        while (start < old.length && start < text.length && old[start] === text[start]) start++;
        while (end < old.length - start && end < text.length - start &&
               old[old.length - 1 - end] === text[text.length - 1 - end]) end++;
        textarea.setRangeText(text.slice(start, text.length - end), start, old.length - end, "preserve");
      },
      insert: function (text) {
        var start = textarea.selectionStart, end = textarea.selectionEnd;
        textarea.setRangeText(text, start, end, "end");
        textarea.focus();
        hooks.onChange();
      },
      goToLine: function (lineNumber) {
        var offset = lineStart(lineNumber);
        textarea.focus();
        textarea.setSelectionRange(offset, offset);
        var lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 20;
        textarea.scrollTop = Math.max(0, (lineNumber - 5) * lineHeight);
      },
      currentLine: function () {
        return textarea.value.slice(0, textarea.selectionStart).split("\n").length;
      },
      focus: function () { textarea.focus(); },
    };
  }

  function debounce(fn, delay) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, delay);
    };
  }

  // an error answer is {"error": {"code", "message"}} (the API's shape); older answers had "message"
  function errorMessage(json) {
    if (!json) return "";
    return (json.error && json.error.message) || json.message || "";
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function Editor(form) {
    this.form = form;
    this.data = JSON.parse(document.getElementById("editor-data").textContent);
    this.t = this.data.messages;
    this.baseRevision = this.data.base_revision;
    this.savedText = form.querySelector("textarea[name=text]").value;
    this.previewSeq = 0;
    this.saving = false;
    this.labels = this.data.labels || [];
    this.foreword = this.data.foreword_sentences || [];
    this.language = this.data.language || "zh";

    var self = this;
    var hooks = {
      onChange: function () { self.changed(); },
      onSave: function () { self.save(); },
      cspNonce: this.data.csp_nonce,
    };
    var textarea = form.querySelector("textarea[name=text]");
    this.pane = window.StandardForgeSourcePane
      ? window.StandardForgeSourcePane.create(textarea, hooks)
      : textareaPane(textarea, hooks);
    document.body.setAttribute("data-source-pane", this.pane.kind);

    this.schedulePreview = debounce(function () { self.preview(); }, PREVIEW_DELAY_MS);
    this.scheduleAutosave = debounce(function () { self.autosave(); }, AUTOSAVE_DELAY_MS);
    this.bind();
    this.offerRecoveredDraft();
  }

  Editor.prototype.$ = function (selector) { return document.querySelector(selector); };

  Editor.prototype.bind = function () {
    var self = this;
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.save();
    });
    // outline, findings and preview elements carry data-line: a click jumps the source there
    ["#outline", "#findings", "#preview"].forEach(function (selector) {
      var container = self.$(selector);
      if (!container) return;
      container.addEventListener("click", function (event) {
        var target = event.target.closest("[data-line]");
        if (!target || !container.contains(target)) return;
        if (event.target.closest("a[href^='#']") && selector === "#preview") event.preventDefault();
        if (selector === "#preview" && !target.matches("h1, h2, h3, h4, h5, h6")) return;
        event.preventDefault();
        var line = parseInt(target.getAttribute("data-line"), 10);
        self.pane.goToLine(line);
        if (selector !== "#preview") self.showInPreview(line);
      });
    });
    document.querySelectorAll("[data-insert]").forEach(function (button) {
      button.addEventListener("click", function () {
        self.insertSnippet(button.getAttribute("data-insert"));
        self.closeMenus();
      });
    });
    var xref = this.$("#xref-picker");
    if (xref) {
      xref.addEventListener("change", function () {
        if (!xref.value) return;
        self.pane.insert("[](#" + xref.value + ")");
        xref.value = "";
      });
      this.fillCrossReferences();
    }
    var foreword = this.$("#insert-foreword");
    if (foreword) foreword.addEventListener("click", function () { self.insertForeword(); self.closeMenus(); });
    window.addEventListener("beforeunload", function (event) {
      if (self.pane.getText() !== self.savedText) {
        self.autosave();
        event.preventDefault();
        event.returnValue = "";
      }
    });
  };

  // -- preview ---------------------------------------------------------------------------------

  Editor.prototype.changed = function () {
    this.setStatus(this.t.unsaved, "dirty");
    this.schedulePreview();
    this.scheduleAutosave();
  };

  Editor.prototype.post = function (url, payload) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": this.data.csrf_token,
      },
      body: JSON.stringify(payload),
    }).then(function (response) {
      return response.text().then(function (body) {
        var json = null;
        try { json = JSON.parse(body); } catch (error) { json = null; }
        return { status: response.status, json: json };
      });
    });
  };

  Editor.prototype.preview = function () {
    var self = this;
    var seq = ++this.previewSeq;
    this.$("#preview").setAttribute("aria-busy", "true");
    this.post(this.data.preview_url, { text: this.pane.getText() }).then(function (answer) {
      if (seq !== self.previewSeq) return; // a newer preview is on its way
      self.$("#preview").removeAttribute("aria-busy");
      if (answer.status !== 200 || !answer.json) {
        self.showPreviewError(errorMessage(answer.json) || self.t.preview_failed);
        return;
      }
      self.showPreview(answer.json);
    }).catch(function () {
      if (seq === self.previewSeq) self.showPreviewError(self.t.preview_failed);
    });
  };

  /** Scroll the preview to the element that starts at or just before source `line`. */
  Editor.prototype.showInPreview = function (line, quiet) {
    var best = null;
    this.$("#preview").querySelectorAll("[data-line]").forEach(function (element) {
      if (parseInt(element.getAttribute("data-line"), 10) <= line) best = element;
    });
    if (!best) return;
    // scroll the preview pane only, never the page around it
    var pane = this.$("#preview").parentElement;
    var top = best.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop;
    pane.scrollTop = Math.max(0, top - pane.clientHeight / 3);
    if (quiet) return;
    best.classList.add("flash-target");
    setTimeout(function () { best.classList.remove("flash-target"); }, 1200);
  };

  Editor.prototype.showPreviewError = function (message) {
    var box = this.$("#preview-error");
    box.textContent = message;
    box.hidden = false;
  };

  Editor.prototype.showPreview = function (result) {
    this.$("#preview-error").hidden = true;
    this.$("#preview").innerHTML = result.html; // sanitised by the server (nh3)
    this.renderOutline(result.outline);
    this.renderFindings(result.findings, result.counts);
    this.labels = result.labels || [];
    this.foreword = result.foreword_sentences || [];
    this.language = result.language || this.language;
    this.fillCrossReferences();
    // keep what the drafter is writing in view in the preview too
    this.showInPreview(this.pane.currentLine(), true);
  };

  Editor.prototype.renderOutline = function (outline) {
    var root = this.$("#outline");
    root.textContent = "";
    function add(list, items) {
      items.forEach(function (item) {
        var li = el("li");
        var link = el("a", { href: "#", "data-line": String(item.line), class: "outline-item kind-" + item.kind });
        if (item.number) link.appendChild(el("span", { class: "number" }, item.number));
        link.appendChild(document.createTextNode(item.title || item.label || item.id));
        li.appendChild(link);
        if (item.children && item.children.length) {
          var sub = el("ol");
          add(sub, item.children);
          li.appendChild(sub);
        }
        list.appendChild(li);
      });
    }
    add(root, outline || []);
  };

  Editor.prototype.renderFindings = function (findings, counts) {
    var list = this.$("#findings");
    list.textContent = "";
    (findings || []).forEach(function (finding) {
      var li = el("li", { class: "finding severity-" + finding.severity });
      var link = el("a", { href: "#", "data-line": String(finding.line), class: "finding-link" });
      link.appendChild(el("span", { class: "rule" }, finding.rule));
      link.appendChild(el("span", { class: "where" }, (finding.clause ? finding.clause + " · " : "") + "L" + finding.line));
      link.appendChild(el("span", { class: "message" }, finding.message));
      li.appendChild(link);
      list.appendChild(li);
    });
    this.$("#findings-empty").hidden = (findings || []).length > 0;
    this.$("#count-errors").textContent = String(counts.errors);
    this.$("#count-warnings").textContent = String(counts.warnings);
    this.$("#lint-counts").classList.toggle("has-errors", counts.errors > 0);
  };

  // -- insert helpers ----------------------------------------------------------------------------

  Editor.prototype.closeMenus = function () {
    document.querySelectorAll(".editor-toolbar details[open]").forEach(function (menu) { menu.open = false; });
  };

  Editor.prototype.insertSnippet = function (name) {
    var snippets = this.data.snippets[this.language] || this.data.snippets.zh;
    var snippet = snippets[name];
    if (!snippet) return;
    var token = Date.now().toString(36).slice(-5);
    this.pane.insert(snippet.replace(/\{n\}/g, token));
  };

  Editor.prototype.insertForeword = function () {
    if (!this.foreword.length) {
      this.setStatus(this.t.no_foreword, "error");
      return;
    }
    this.pane.insert("\n" + this.foreword.join("\n\n") + "\n");
  };

  Editor.prototype.fillCrossReferences = function () {
    var picker = this.$("#xref-picker");
    if (!picker) return;
    var first = picker.options[0];
    picker.textContent = "";
    picker.appendChild(first);
    this.labels.forEach(function (entry) {
      var option = el("option", { value: entry.id }, entry.label + " " + (entry.title || "") + "  (#" + entry.id + ")");
      picker.appendChild(option);
    });
  };

  // -- save --------------------------------------------------------------------------------------

  Editor.prototype.setStatus = function (message, kind) {
    var status = this.$("#save-status");
    status.textContent = message;
    status.setAttribute("data-kind", kind || "");
  };

  Editor.prototype.save = function () {
    if (this.saving) return;
    var self = this;
    var text = this.pane.getText();
    var messageInput = this.form.querySelector("input[name=message]");
    this.saving = true;
    this.setStatus(this.t.saving, "busy");
    this.autosave();
    this.post(this.data.save_url, {
      text: text,
      message: messageInput.value,
      base_revision: this.baseRevision,
    }).then(function (answer) {
      self.saving = false;
      var result = answer.json;
      if (!result) {
        self.setStatus(self.t.save_failed, "error");
        return;
      }
      if (result.status === "saved" || result.status === "merged" || result.status === "unchanged") {
        self.baseRevision = result.revision;
        self.form.querySelector("input[name=base_revision]").value = String(result.revision);
        // the server writes derived ids into headings (and a merge brings in others' changes):
        // show its text, unless the drafter typed on while the save was under way
        if (result.text !== text && self.pane.getText() === text) {
          self.pane.setText(result.text, { quiet: true });
          self.schedulePreview();
        }
        self.savedText = result.text;
        self.clearAutosave();
        messageInput.value = "";
        self.setStatus(result.message, result.status);
        self.$("#revision-number").textContent = String(result.revision);
        document.querySelectorAll(".head-revision-number").forEach(function (node) {
          node.textContent = String(result.revision);
        });
        self.hideConflict();
      } else if (result.status === "conflict") {
        self.setStatus(result.message, "error");
        self.showConflict(result, text);
      } else {
        self.setStatus(errorMessage(result) || self.t.save_failed, "error");
      }
    }).catch(function () {
      self.saving = false;
      self.setStatus(self.t.save_failed, "error");
    });
  };

  // -- conflict ------------------------------------------------------------------------------------

  Editor.prototype.showConflict = function (result, mine) {
    var self = this;
    var panel = this.$("#conflict");
    this.conflict = { mine: mine, latest: result.latest_text, latestRevision: result.latest_revision };
    panel.querySelector(".conflict-latest-number").textContent = String(result.latest_revision);
    panel.querySelector(".conflict-author").textContent = result.latest_author || "";
    panel.querySelector(".conflict-diff").innerHTML = result.diff_html; // built and escaped by the server
    panel.querySelector("textarea.conflict-mine").value = mine;
    panel.querySelector("textarea.conflict-theirs").value = result.latest_text;
    var download = panel.querySelector("a.conflict-download");
    if (this.downloadUrl) URL.revokeObjectURL(this.downloadUrl);
    this.downloadUrl = URL.createObjectURL(new Blob([mine], { type: "text/markdown;charset=utf-8" }));
    download.href = this.downloadUrl;
    panel.hidden = false;
    panel.scrollIntoView({ block: "start" });
    panel.querySelector(".conflict-keep-mine").onclick = function () { self.resolveWith(self.conflict.mine); };
    panel.querySelector(".conflict-take-theirs").onclick = function () { self.resolveWith(self.conflict.latest); };
    panel.querySelector(".conflict-take-merged").onclick = function () {
      self.resolveWith(result.merged_text);
    };
    panel.querySelector(".conflict-copy").onclick = function () {
      if (navigator.clipboard) navigator.clipboard.writeText(self.conflict.mine);
    };
  };

  /** Put `text` in the editor and base the next save on the latest revision: the drafter resolves. */
  Editor.prototype.resolveWith = function (text) {
    this.baseRevision = this.conflict.latestRevision;
    this.form.querySelector("input[name=base_revision]").value = String(this.baseRevision);
    this.pane.setText(text);
    this.setStatus(this.t.resolving, "dirty");
    this.$("#conflict").setAttribute("data-resolving", "true");
    this.pane.focus();
    this.schedulePreview();
  };

  Editor.prototype.hideConflict = function () {
    var panel = this.$("#conflict");
    panel.hidden = true;
    panel.removeAttribute("data-resolving");
  };

  // -- local autosave --------------------------------------------------------------------------------

  Editor.prototype.autosave = function () {
    var text = this.pane.getText();
    try {
      if (text === this.savedText) {
        localStorage.removeItem(this.data.draft_key);
      } else {
        localStorage.setItem(this.data.draft_key, JSON.stringify({
          text: text, base_revision: this.baseRevision, saved_at: new Date().toISOString(),
        }));
      }
    } catch (error) { /* private mode or full storage: the server copy is still there */ }
  };

  Editor.prototype.clearAutosave = function () {
    try { localStorage.removeItem(this.data.draft_key); } catch (error) { /* nothing kept */ }
  };

  Editor.prototype.offerRecoveredDraft = function () {
    var stored = null;
    try { stored = JSON.parse(localStorage.getItem(this.data.draft_key) || "null"); } catch (error) { stored = null; }
    if (!stored || typeof stored.text !== "string" || stored.text === this.savedText) return;
    var self = this;
    var banner = this.$("#recovered-draft");
    banner.querySelector(".recovered-time").textContent = new Date(stored.saved_at).toLocaleString(document.documentElement.lang || undefined);
    banner.querySelector(".recovered-base").textContent = String(stored.base_revision);
    banner.hidden = false;
    banner.querySelector(".recover-restore").onclick = function () {
      // keep the revision the draft was based on, so a save merges or reports a conflict honestly
      self.baseRevision = stored.base_revision;
      self.form.querySelector("input[name=base_revision]").value = String(stored.base_revision);
      self.pane.setText(stored.text);
      banner.hidden = true;
      self.changed();
    };
    banner.querySelector(".recover-discard").onclick = function () {
      self.clearAutosave();
      banner.hidden = true;
    };
  };

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("editor-form");
    if (form) window.standardEditor = new Editor(form);
  });
})();
