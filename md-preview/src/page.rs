//! The page as served: the pipe's page with one block injected before
//! `</body>` (the script that follows the event stream and updates the
//! page, the error overlay, the list of problems and the state of the
//! PDF), and the state as JSON for the event stream.

use serde_json::{json, Value};

use crate::state::{PdfState, State};

/// Where the page's event stream is.
pub const EVENTS_PATH: &str = "/__md-preview/events";
/// The state as JSON (for scripts and tests).
pub const STATE_PATH: &str = "/__md-preview/state";
/// The first line of the injected block.
pub const INJECTED_START: &str = "<!-- md-preview: live reload (not part of the document) -->";
/// The last line of the injected block.
pub const INJECTED_END: &str = "<!-- /md-preview -->";

/// Problems and warnings listed in the page at most, each: a generated
/// document can have thousands, sent with every event (`make check`
/// lists all the problems).
const NOTES_SHOWN: usize = 200;

/// The page served for `state`: its page with the block injected.
pub fn served_page(state: &State, instance: &str, pdf_url: &str) -> String {
    let html = state.page.as_str();
    let block = injected_block(&state_json(state, instance, pdf_url));
    let mut out = String::with_capacity(html.len() + block.len());
    // Before the last `</body>`, so that the script sees the whole body;
    // at the end when there is none (a template without it).
    match html.rfind("</body>") {
        Some(at) => {
            out.push_str(&html[..at]);
            out.push_str(&block);
            out.push_str(&html[at..]);
        }
        None => {
            out.push_str(html);
            out.push_str(&block);
        }
    }
    out
}

/// The page shown before any build succeeded: only the overlay.
pub fn placeholder_page() -> String {
    "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\" />\n\
     <title>md-preview</title>\n</head>\n<body>\n</body>\n</html>\n"
        .to_string()
}

/// The state as the page's script reads it.
pub fn state_json(state: &State, instance: &str, pdf_url: &str) -> String {
    let notes = |notes: &[crate::stages::Note]| -> Vec<Value> {
        notes
            .iter()
            .take(NOTES_SHOWN)
            .map(|n| json!({ "message": n.message, "anchor": n.anchor }))
            .collect()
    };
    let pdf = match &state.pdf {
        PdfState::Off => json!({ "state": "off" }),
        PdfState::Building => json!({
            "state": "building",
            "url": state.pdf_bytes.as_ref().map(|_| pdf_url),
        }),
        PdfState::UpToDate => json!({ "state": "ok", "url": pdf_url }),
        PdfState::Failed(message) => json!({
            "state": "error",
            "message": message,
            "url": state.pdf_bytes.as_ref().map(|_| pdf_url),
        }),
    };
    let value = json!({
        "instance": instance,
        "generation": state.generation,
        "error": state.error,
        "problems": notes(&state.problems),
        "problemCount": state.problems.len(),
        "warnings": notes(&state.warnings),
        "warningCount": state.warnings.len(),
        "pdf": pdf,
    });
    // `<` escaped: the JSON sits inside a <script> element.
    value.to_string().replace('<', "\\u003c")
}

fn injected_block(state_json: &str) -> String {
    format!(
        "{INJECTED_START}\n<style id=\"md-preview-style\">{STYLE}</style>\n\
         <div id=\"md-preview-ui\"></div>\n<script id=\"md-preview-script\">\n\
         window.__mdPreviewState = {state_json};\n{SCRIPT}</script>\n{INJECTED_END}\n"
    )
}

const STYLE: &str = r#"
#md-preview-ui { font: 14px/1.4 system-ui, sans-serif; color: #222; }
#md-preview-ui > * { position: fixed; z-index: 2147483647; box-sizing: border-box; }
#md-preview-error { top: 0; left: 0; right: 0; max-height: 60vh; overflow: auto; margin: 0;
  padding: 1em 1.5em; background: #fff5f5; border-bottom: 4px solid #c00; box-shadow: 0 4px 16px rgba(0,0,0,.25); }
#md-preview-error pre { white-space: pre-wrap; font: 14px/1.4 ui-monospace, monospace; color: #900; margin: .5em 0; }
#md-preview-problems { right: 1em; bottom: 1em; width: min(36em, 90vw); max-height: 45vh; overflow: auto;
  padding: .75em 1em; background: #fffbea; border: 1px solid #d9b600; border-radius: 6px; box-shadow: 0 2px 10px rgba(0,0,0,.2); }
#md-preview-problems ol { margin: .5em 0 0; padding-left: 1.5em; }
#md-preview-problems summary { font-weight: bold; cursor: pointer; }
#md-preview-problems button { float: right; border: 0; background: none; font-size: 1.4em; line-height: 1; cursor: pointer; }
#md-preview-pdf { left: 1em; bottom: 1em; padding: .3em .8em; border-radius: 1em; background: #eee; border: 1px solid #999; }
#md-preview-pdf.ok { background: #e9f7ec; border-color: #2a7d3a; }
#md-preview-pdf.error { background: #fff5f5; border-color: #c00; max-width: 60vw; }
@media print { #md-preview-ui { display: none; } }
"#;

const SCRIPT: &str = r##"(function () {
  "use strict";
  var state = window.__mdPreviewState;
  var shown = { instance: state.instance, generation: state.generation };
  var ANCHOR = "md-preview-anchor", DISMISSED = "md-preview-dismissed", UNFOLDED = "md-preview-unfolded";
  if ("scrollRestoration" in history) history.scrollRestoration = "manual";

  // The heading whose section is at the top of the window, and where it is.
  function anchor() {
    var hs = document.querySelectorAll("h1[id],h2[id],h3[id],h4[id],h5[id],h6[id]");
    var above = null, below = null;
    for (var i = 0; i < hs.length; i++) {
      var top = hs[i].getBoundingClientRect().top;
      if (top <= 1) above = hs[i]; else { below = hs[i]; break; }
    }
    var h = above || below;
    if (below && below.getBoundingClientRect().top < window.innerHeight / 3) h = below;
    return { id: h ? h.id : null, top: h ? h.getBoundingClientRect().top : 0, y: window.scrollY };
  }
  function restore(saved) {
    var h = saved.id && document.getElementById(saved.id);
    if (h) window.scrollBy(0, h.getBoundingClientRect().top - saved.top);
    else window.scrollTo(0, saved.y);
  }
  var saved = null;
  try { saved = JSON.parse(sessionStorage.getItem(ANCHOR)); sessionStorage.removeItem(ANCHOR); } catch (e) {}
  function loaded() {
    if (saved) restore(saved);
    window.__mdPreview = { generation: shown.generation, loadedAt: Date.now(), anchor: saved && saved.id };
  }
  // At `load`, once images have their size (one layout, not two).
  if (document.readyState === "complete") loaded(); else window.addEventListener("load", loaded);

  function stored(key) {
    try { return sessionStorage.getItem(key); } catch (e) { return null; }
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }
  function render() {
    var ui = document.getElementById("md-preview-ui");
    ui.textContent = "";
    if (state.error) {
      var box = el("div", { id: "md-preview-error", role: "alert" });
      box.appendChild(el("strong", {}, "Erreur : la page n'a pas pu être reconstruite"));
      box.appendChild(el("pre", {}, state.error));
      box.appendChild(el("small", {}, "La dernière version correcte reste affichée dessous ; la page se recharge dès que le fichier est corrigé."));
      ui.appendChild(box);
    }
    var notes = state.problems.concat(state.warnings);
    var signature = notes.map(function (n) { return n.message; }).join("\n");
    if (notes.length && stored(DISMISSED) !== signature) {
      var list = el("aside", { id: "md-preview-problems" });
      var close = el("button", { type: "button", title: "Fermer", "aria-label": "Fermer" }, "\u00d7");
      close.onclick = function () {
        try { sessionStorage.setItem(DISMISSED, signature); } catch (e) {}
        list.remove();
      };
      list.appendChild(close);
      var n = state.problemCount, w = state.warningCount, title = [];
      if (n) title.push(n + (n > 1 ? " problèmes typographiques" : " problème typographique"));
      if (w) title.push(w + (w > 1 ? " avertissements" : " avertissement"));
      // A long list starts folded: its title says how many.
      var details = el("details", {});
      details.open = notes.length <= 12 || stored(UNFOLDED) === "1";
      details.ontoggle = function () {
        try { sessionStorage.setItem(UNFOLDED, details.open ? "1" : "0"); } catch (e) {}
      };
      details.appendChild(el("summary", {}, title.join(", ")));
      var ol = el("ol", {});
      notes.forEach(function (note) {
        var li = el("li", {});
        var text = note.message.replace(/^problem: /, "");
        li.appendChild(note.anchor ? el("a", { href: "#" + note.anchor }, text)
                                   : el("span", {}, text));
        ol.appendChild(li);
      });
      var more = n + w - notes.length;
      if (more > 0) ol.appendChild(el("li", {}, "\u2026 et " + more + " de plus"));
      details.appendChild(ol);
      list.appendChild(details);
      ui.appendChild(list);
    }
    var pdf = state.pdf;
    if (pdf.state !== "off") {
      var text = { ok: "PDF à jour", building: "PDF en cours\u2026", error: "PDF : erreur" }[pdf.state];
      var badge = el(pdf.url ? "a" : "span", { id: "md-preview-pdf", "class": pdf.state }, text);
      if (pdf.url) { badge.href = pdf.url; badge.target = "_blank"; }
      if (pdf.message) {
        badge.title = pdf.message;
        badge.appendChild(el("pre", { style: "white-space: pre-wrap; margin: .3em 0 0" }, pdf.message));
      }
      ui.appendChild(badge);
    }
  }
  render();

  // The new page replaces the old one in place: only the top-level
  // elements that changed are swapped (the images of the others are not
  // decoded again), then the heading in view is put back. A full reload
  // when that cannot be done faithfully (new head, scripts, failure).
  function ours(node) {
    // The injected block: its two comments and its elements.
    if (node.nodeType === 8) return /^ \/?md-preview/.test(node.data);
    return !!node.id && node.id.indexOf("md-preview-") === 0;
  }
  function kids(body) {
    return Array.prototype.filter.call(body.childNodes, function (n) { return !ours(n); });
  }
  function reload() {
    events.close();
    try { sessionStorage.setItem(ANCHOR, JSON.stringify(anchor())); } catch (err) {}
    location.reload();
  }
  function patch(html, next) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    if (!doc.body || doc.head.innerHTML !== document.head.innerHTML
        || doc.documentElement.getAttribute("lang") !== document.documentElement.getAttribute("lang")) return false;
    var old = kids(document.body), neu = kids(doc.body);
    var first = 0;
    while (first < old.length && first < neu.length && old[first].isEqualNode(neu[first])) first++;
    var last = 0;
    while (last < old.length - first && last < neu.length - first
           && old[old.length - 1 - last].isEqualNode(neu[neu.length - 1 - last])) last++;
    var added = neu.slice(first, neu.length - last);
    if (added.some(function (n) { return n.nodeType === 1 && (n.matches("script") || n.querySelector("script")); })) return false;
    var place = anchor();
    var before = old[old.length - last] || document.getElementById("md-preview-style");
    old.slice(first, old.length - last).forEach(function (n) { n.remove(); });
    added.forEach(function (n) { document.body.insertBefore(document.importNode(n, true), before); });
    restore(place);
    shown.generation = next.generation;
    state = next;
    render();
    window.__mdPreview = { generation: next.generation, loadedAt: Date.now(), anchor: place.id, patched: added.length };
    return true;
  }
  var fetching = false, pending = null;
  function update(next) {
    if (next.instance !== shown.instance) { reload(); return; }
    if (fetching) { pending = next; return; }
    fetching = true;
    fetch("/", { cache: "no-store" }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.text();
    }).then(function (html) {
      // The page fetched is at least as new as `next`: its own state says which.
      var m = html.match(/window\.__mdPreviewState = (.*);\n/);
      var served = m ? JSON.parse(m[1]) : next;
      fetching = false;
      if (!patch(html, served)) { reload(); return; }
      if (pending && pending.generation !== shown.generation) { var p = pending; pending = null; update(p); }
      else if (pending) { state = pending; pending = null; render(); }
    }).catch(function () { reload(); });
  }

  var events = new EventSource("/__md-preview/events");
  events.onmessage = function (e) {
    var next = JSON.parse(e.data);
    if (next.instance !== shown.instance || next.generation !== shown.generation) {
      update(next);
      return;
    }
    if (fetching) { pending = next; return; }
    state = next;
    render();
  };
})();
"##;
