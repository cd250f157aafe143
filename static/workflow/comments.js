// The read view's comments: highlight each comment's words in the text, keep each card level with its
// clause in the margin, and turn a selection of words (or a clause's button) into the comment form.
// Without this script the margin still lists every comment and the form still takes a clause and words.
(function () {
  "use strict";
  var margin = document.getElementById("comment-margin");
  var body = document.querySelector(".standard-body");
  if (!margin || !body) return;
  var layout = margin.closest(".read-layout");
  if (layout) layout.classList.add("with-margin");
  var form = document.getElementById("comment-form");
  var cards = Array.prototype.slice.call(margin.querySelectorAll(".comment-card"));
  var CONTEXT = 32;

  function clauseOf(id) {
    return id ? body.querySelector('section[id="' + CSS.escape(id) + '"]') : null;
  }

  // the text nodes of a section without its subsections, and their text joined
  function ownText(section) {
    var nodes = [];
    var walker = document.createTreeWalker(section, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var owner = node.parentNode.closest("section");
        if (owner !== section) return NodeFilter.FILTER_REJECT;
        if (node.parentNode.closest(".clause-comment-button")) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_ACCEPT;
      },
    });
    var text = "";
    var node;
    while ((node = walker.nextNode())) {
      nodes.push({ node: node, start: text.length });
      text += node.nodeValue;
    }
    return { nodes: nodes, text: text };
  }

  function contextScore(text, at, exact, prefix, suffix) {
    var score = 0;
    var before = text.slice(Math.max(0, at - prefix.length), at);
    while (score < before.length && before[before.length - 1 - score] === prefix[prefix.length - 1 - score]) score++;
    var after = text.slice(at + exact.length, at + exact.length + suffix.length);
    var i = 0;
    while (i < after.length && after[i] === suffix[i]) i++;
    return score + i;
  }

  function highlight(card) {
    var exact = card.dataset.exact;
    var section = clauseOf(card.dataset.clause);
    if (!exact || !section) return;
    var own = ownText(section);
    var best = -1;
    var bestScore = -1;
    for (var at = own.text.indexOf(exact); at >= 0; at = own.text.indexOf(exact, at + 1)) {
      var score = contextScore(own.text, at, exact, card.dataset.prefix || "", card.dataset.suffix || "");
      if (score > bestScore) { best = at; bestScore = score; }
    }
    if (best < 0) return;
    var end = best + exact.length;
    own.nodes.forEach(function (part) {
      var from = Math.max(best, part.start);
      var to = Math.min(end, part.start + part.node.nodeValue.length);
      if (from >= to) return;
      var node = part.node;
      var range = document.createRange();
      range.setStart(node, from - part.start);
      range.setEnd(node, to - part.start);
      var mark = document.createElement("mark");
      mark.className = "comment-mark";
      mark.dataset.comment = card.dataset.comment;
      range.surroundContents(mark);
      mark.addEventListener("click", function () { focusCard(card); });
    });
  }

  function focusCard(card) {
    cards.forEach(function (c) { c.classList.remove("comment-focus"); });
    card.classList.add("comment-focus");
    card.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  // each card level with its clause, never over the one before
  function place() {
    if (window.matchMedia("(max-width: 1100px)").matches) {
      cards.forEach(function (card) { card.style.marginTop = ""; });
      return;
    }
    var holder = margin.querySelector(".comment-cards");
    cards.forEach(function (card) { card.style.marginTop = "0px"; });
    var top = holder.getBoundingClientRect().top + window.scrollY;
    var cursor = 0;
    cards.forEach(function (card) {
      var section = clauseOf(card.dataset.clause);
      var mark = body.querySelector('mark[data-comment="' + card.dataset.comment + '"]');
      var target = mark || (section && (section.firstElementChild || section));
      var wanted = target ? target.getBoundingClientRect().top + window.scrollY - top : cursor;
      var gap = Math.max(8, wanted - cursor);
      card.style.marginTop = gap + "px";
      cursor += gap + card.offsetHeight;
    });
  }

  cards.forEach(highlight);
  cards.forEach(function (card) {
    card.addEventListener("mouseenter", function () {
      body.querySelectorAll('mark[data-comment="' + card.dataset.comment + '"]').forEach(function (m) { m.classList.add("comment-mark-focus"); });
    });
    card.addEventListener("mouseleave", function () {
      body.querySelectorAll("mark.comment-mark-focus").forEach(function (m) { m.classList.remove("comment-mark-focus"); });
    });
  });
  window.addEventListener("load", place);
  window.addEventListener("resize", place);
  // web fonts and figures change the text's height after the first layout: follow it
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(place);
  if (window.ResizeObserver) new ResizeObserver(function () { place(); }).observe(body);
  place();

  if (!form) return;
  var clauseField = form.querySelector('[name="clause"]');
  var exactField = form.querySelector('[name="exact"]');
  var prefixField = form.querySelector('[name="prefix"]');
  var suffixField = form.querySelector('[name="suffix"]');

  function fill(clause, exact, prefix, suffix) {
    clauseField.value = clause;
    exactField.value = exact;
    prefixField.value = prefix;
    suffixField.value = suffix;
    form.classList.add("comment-form-filled");
    form.scrollIntoView({ block: "nearest" });
    form.querySelector('[name="comment"]').focus({ preventScroll: true });
  }

  // a comment button on each clause heading
  body.querySelectorAll("section[id] > .heading, section[id] > h1, section[id] > h2, section[id] > h3, section[id] > h4").forEach(function (heading) {
    var section = heading.parentNode;
    if (heading.querySelector(".clause-comment-button")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "clause-comment-button";
    button.textContent = margin.dataset.labelClause || "+";
    button.title = margin.dataset.labelClause || "";
    button.addEventListener("click", function () { fill(section.id, "", "", ""); });
    heading.appendChild(button);
  });

  // a selection of words in one clause offers its button
  var offer = document.createElement("button");
  offer.type = "button";
  offer.className = "selection-comment-button";
  offer.textContent = margin.dataset.labelSelection || "+";
  offer.hidden = true;
  document.body.appendChild(offer);
  var pending = null;

  function selectionInClause() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
    var range = selection.getRangeAt(0);
    if (!body.contains(range.commonAncestorContainer)) return null;
    var start = range.startContainer.nodeType === 3 ? range.startContainer.parentNode : range.startContainer;
    var section = start.closest("section[id]");
    if (!section) return null;
    var own = ownText(section);
    var startOffset = -1;
    own.nodes.forEach(function (part) {
      if (part.node === range.startContainer) startOffset = part.start + range.startOffset;
    });
    var exact = selection.toString();
    if (startOffset < 0) startOffset = own.text.indexOf(exact);
    var lead = exact.length - exact.replace(/^\s+/, "").length;
    exact = exact.trim();
    if (!exact) return null;
    startOffset += lead;
    var rect = range.getBoundingClientRect();
    return {
      clause: section.id,
      exact: exact,
      prefix: startOffset >= 0 ? own.text.slice(Math.max(0, startOffset - CONTEXT), startOffset) : "",
      suffix: startOffset >= 0 ? own.text.slice(startOffset + exact.length, startOffset + exact.length + CONTEXT) : "",
      rect: rect,
    };
  }

  function offerSelection() {
    pending = selectionInClause();
    if (!pending) { offer.hidden = true; return; }
    offer.style.top = (pending.rect.bottom + window.scrollY + 6) + "px";
    offer.style.left = (pending.rect.left + window.scrollX) + "px";
    offer.hidden = false;
  }

  body.addEventListener("mouseup", function () { window.setTimeout(offerSelection, 0); });
  body.addEventListener("keyup", offerSelection);
  offer.addEventListener("mousedown", function (event) { event.preventDefault(); });
  offer.addEventListener("click", function () {
    if (!pending) return;
    fill(pending.clause, pending.exact, pending.prefix, pending.suffix);
    offer.hidden = true;
  });
})();
