#!/usr/bin/env bash
# Checks in headless Chromium that the page ast2html writes never breaks a
# line at a no-break space (U+00A0, U+202F): the French typography of the
# filters must survive the browser's line breaking, at every width.
# Usage: ast2html/tests/browser/no-break.sh [path/to/ast2html]   (needs chromium and pandoc
# or md2ast for the JSON: the committed no-break.json is used)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ast2html=${1:-$here/../../../target/debug/ast2html}
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "no-break.sh: chromium is needed" >&2; exit 69; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The check runs in the page: for each no-break space, a range from the
# character before it to the character after it must lie on one line.
cat > "$work/check.html" <<'HTML'
<script>
window.addEventListener('load', () => {
  const failures = [];
  let checked = 0;
  for (const width of [300, 330, 360, 400, 450, 520, 600, 700]) {
    document.body.style.maxWidth = width + 'px';
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    for (const node of nodes) {
      const text = node.data;
      for (let i = 0; i < text.length; i++) {
        if (text[i] !== '\u00a0' && text[i] !== '\u202f') continue;
        const range = document.createRange();
        range.setStart(node, Math.max(0, i - 1));
        range.setEnd(node, Math.min(text.length, i + 2));
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        checked++;
        if (tops.size > 1) failures.push(width + 'px: ' + JSON.stringify(text.slice(Math.max(0, i - 8), i + 8)));
      }
    }
  }
  document.title = (failures.length ? 'FAIL ' + failures.join(' | ') : 'OK') + ' (' + checked + ' checked)';
});
</script>
HTML
"$ast2html" "$here/no-break.json" -V "header-includes=$(cat "$work/check.html")" -o "$work/page.html"
title=$("$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/profile" --virtual-time-budget=5000 --dump-dom "file://$work/page.html" 2>/dev/null \
  | sed -n 's:.*<title>\(.*\)</title>.*:\1:p')
echo "no-break.sh: $title"
case "$title" in OK*) exit 0 ;; *) exit 1 ;; esac
