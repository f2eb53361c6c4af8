#!/bin/sh
# Regenerates the fixtures of ast's template engine with a real pandoc
# (committed with pandoc 3.9): context.json, the metadata the templates are
# rendered with, and for each template CASE.txt, CASE.pandoc, pandoc's own
# rendering of it with `-t plain` and the `-V` variables of context.vars.
# The tests (ast/tests/template.rs) compare our rendering with CASE.pandoc.
set -eu
cd "$(dirname "$0")/../ast/tests/fixtures/template"
pandoc --version | head -1
pandoc context.md -t json > context.json
set --
while IFS= read -r var; do
    # `\n` in context.vars stands for a line break.
    set -- "$@" -V "$(printf "%b" "$var")"
done < context.vars
for template in *.txt; do
    pandoc context.md -t plain --template="$template" "$@" > "${template%.txt}.pandoc"
done
