#!/bin/sh
# Regenerates the fixtures of ast's template engine with a real pandoc
# (committed with pandoc 3.9): context.json, the metadata the templates are
# rendered with; pandoc-default-*.txt, pandoc's default HTML5 and LaTeX
# templates with their partials pasted in; and for each template CASE.txt,
# CASE.pandoc, pandoc's own rendering of it with `-t plain` and the `-V`
# variables of context.vars. The tests (templates/tests/template.rs) compare our
# rendering with CASE.pandoc.
set -eu
cd "$(dirname "$0")/../templates/tests/fixtures/template"
pandoc --version | head -1
pandoc context.md -t json > context.json

# Partials (`$styles.html()$`) are replaced by their text, indentation kept.
inline_partials() {
    python3 - "$1" <<'PY'
import re, subprocess, sys

def partial(name, ext):
    if "." not in name:
        name += ext
    text = subprocess.run(
        ["pandoc", "--print-default-data-file", "templates/" + name],
        capture_output=True, text=True, check=True).stdout
    return text[:-1] if text.endswith("\n") else text

def inline(text, ext):
    return re.sub(r"^([ \t]*)\$([A-Za-z0-9_.-]+)\(\)\$",
                  lambda m: m.group(1) + inline(partial(m.group(2), ext), ext),
                  text, flags=re.M)

ext = sys.argv[1]
print(inline(subprocess.run(["pandoc", "-D", ext[1:]], capture_output=True,
                            text=True, check=True).stdout, ext), end="")
PY
}
inline_partials .html > pandoc-default-html5.txt
inline_partials .latex > pandoc-default-latex.txt

set --
while IFS= read -r var; do
    # `\n` in context.vars stands for a line break; the `.` keeps the final
    # ones from the shell's command substitution.
    value=$(printf '%b.' "$var")
    set -- "$@" -V "${value%.}"
done < context.vars
for template in *.txt; do
    pandoc context.md -t plain --template="$template" "$@" > "${template%.txt}.pandoc"
done
