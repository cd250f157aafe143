// The CodeMirror 6 source pane of the standard editor.
//
// This bundle only upgrades the editor's <textarea> into a CodeMirror view. Everything else on the
// editor page (preview, outline, lint panel, save, autosave, insert helpers) lives in
// static/authoring/editor.js, which works on a plain textarea when this bundle is absent (no node at
// build time) and asks `window.StandardForgeSourcePane.create()` for a richer pane when it is present.
// Both sides talk through the small "pane" interface below, so neither knows how the other is built.

import { EditorState } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
  highlightSpecialChars, rectangularSelection, dropCursor,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { parser as markdownParser, GFM } from "@lezer/markdown";
import {
  Language, LanguageSupport, defineLanguageFacet, syntaxHighlighting, defaultHighlightStyle, HighlightStyle,
  bracketMatching,
} from "@codemirror/language";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { tags } from "@lezer/highlight";

/**
 * YAML front matter (the cover) as one block, so that its closing `---` is not read as a setext
 * heading underline that turns the whole cover into a heading.
 */
const frontMatter = {
  defineNodes: [{ name: "FrontMatter", block: true, style: tags.meta }],
  parseBlock: [{
    name: "FrontMatter",
    before: "HorizontalRule",
    parse(cx, line) {
      if (cx.lineStart !== 0 || line.text.trimEnd() !== "---") return false;
      const start = cx.lineStart;
      while (cx.nextLine()) {
        if (line.text.trimEnd() === "---" || line.text.trimEnd() === "...") {
          const end = cx.lineStart + line.text.length;
          cx.nextLine();
          cx.addElement(cx.elt("FrontMatter", start, end));
          return true;
        }
      }
      cx.addElement(cx.elt("FrontMatter", start, cx.lineStart));
      return true;
    },
  }],
};

/**
 * Markdown straight from @lezer/markdown (its parser carries the highlighting tags). The
 * @codemirror/lang-markdown wrapper would also bundle the HTML, CSS and JavaScript grammars for
 * embedded code, about a third of the bundle, which standards never contain.
 */
const standardMarkdown = new LanguageSupport(new Language(
  defineLanguageFacet({ block: { open: "<!--", close: "-->" } }),
  markdownParser.configure([GFM, frontMatter]),
  [],
  "markdown",
));

// Headings stand out (they are the clauses), attributes and links are quiet.
const standardHighlight = HighlightStyle.define([
  { tag: tags.heading1, fontWeight: "700", color: "#1d3557" },
  { tag: [tags.heading2, tags.heading3, tags.heading4, tags.heading5, tags.heading6],
    fontWeight: "600", color: "#1d3557" },
  { tag: tags.link, color: "#2a6f97" },
  { tag: tags.url, color: "#5c7c8a" },
  { tag: tags.emphasis, fontStyle: "italic" },
  { tag: tags.strong, fontWeight: "700" },
  { tag: tags.monospace, fontFamily: "monospace", color: "#6a4c93" },
  { tag: tags.meta, color: "#5c6b7a" },
  { tag: tags.processingInstruction, color: "#8d99ae" },
]);

const theme = EditorView.theme({
  "&": { height: "100%", fontSize: "14px", backgroundColor: "#fff" },
  ".cm-scroller": { fontFamily: "'Noto Sans Mono CJK SC', 'DejaVu Sans Mono', monospace", lineHeight: "1.6" },
  ".cm-content": { whiteSpace: "pre-wrap" },
  ".cm-gutters": { backgroundColor: "#f6f7f9", color: "#8a94a6", borderRight: "1px solid #e3e6ea" },
  ".cm-flash-line": { backgroundColor: "#fff3bf" },
});

/**
 * Replace `textarea` by a CodeMirror view and answer the pane interface.
 * The textarea stays in the form (hidden) and is kept in sync, so a plain form submit still posts
 * the current text.
 */
function create(textarea, { onChange, onSave, cspNonce }) {
  let silent = false;
  const view = new EditorView({
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightSpecialChars(),
        history(),
        drawSelection(),
        dropCursor(),
        rectangularSelection(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        bracketMatching(),
        closeBrackets(),
        EditorView.lineWrapping,
        standardMarkdown,
        syntaxHighlighting(standardHighlight),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        keymap.of([
          { key: "Mod-s", preventDefault: true, run: () => { onSave(); return true; } },
          ...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, indentWithTab,
        ]),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          textarea.value = update.state.doc.toString();
          if (!silent) onChange();
        }),
        EditorView.contentAttributes.of({ "aria-label": textarea.getAttribute("aria-label") || "" }),
        theme,
        cspNonce ? EditorView.cspNonce.of(cspNonce) : [],
      ],
    }),
  });
  textarea.style.display = "none";
  textarea.parentNode.insertBefore(view.dom, textarea);
  view.dom.classList.add("source-pane-cm");

  return {
    kind: "codemirror",
    element: view.dom,
    getText: () => view.state.doc.toString(),
    /** Replace the text by changing only the part that differs, so the cursor stays where it was. */
    setText(text, { quiet = false } = {}) {
      const old = view.state.doc.toString();
      if (old === text) return;
      let start = 0;
      while (start < old.length && start < text.length && old[start] === text[start]) start++;
      let end = 0;
      while (end < old.length - start && end < text.length - start
             && old[old.length - 1 - end] === text[text.length - 1 - end]) end++;
      silent = quiet;
      view.dispatch({ changes: { from: start, to: old.length - end, insert: text.slice(start, text.length - end) } });
      silent = false;
    },
    insert(text) {
      const range = view.state.selection.main;
      view.dispatch({
        changes: { from: range.from, to: range.to, insert: text },
        selection: { anchor: range.from + text.length },
        scrollIntoView: true,
      });
      view.focus();
    },
    /** Put the cursor at the start of 1-based `lineNumber`, scroll it to the middle and flash it. */
    goToLine(lineNumber) {
      const doc = view.state.doc;
      const line = doc.line(Math.max(1, Math.min(lineNumber, doc.lines)));
      view.dispatch({
        selection: { anchor: line.from },
        effects: EditorView.scrollIntoView(line.from, { y: "center" }),
      });
      view.focus();
      const flash = view.domAtPos(line.from).node;
      const element = flash && (flash.nodeType === 1 ? flash : flash.parentElement);
      const lineElement = element && element.closest(".cm-line");
      if (lineElement) {
        lineElement.classList.add("cm-flash-line");
        setTimeout(() => lineElement.classList.remove("cm-flash-line"), 1200);
      }
    },
    currentLine: () => view.state.doc.lineAt(view.state.selection.main.head).number,
    focus: () => view.focus(),
  };
}

window.StandardForgeSourcePane = { create };
