# Builds public/$(NAME).html and public/$(NAME).pdf from content/*.md through
# the pipeline   md2ast | ast-filters | ast2html / ast2latex --pdf
#
#   make            the binaries (release, if needed), then both outputs
#   make html|pdf   one output
#   make preview    serve the page of content/ on http://127.0.0.1:8000/, rebuilt on
#                   save (PREVIEW_OPTS=--pdf also rebuilds the PDF, --port N, --open)
#   make check      the typography linter on content/: FILE:LINE:COL: warning: ...
#                   (md2ast --sourcepos | ast-filters --check)
#   make fix        the same problems fixed in content/*.md (ast-filters --fix);
#                   FIX_OPTS=--diff shows the diff and writes nothing,
#                   FIX_OPTS=--escaped-nbsp writes `\ ` for U+00A0
#   make setup      the Debian packages, the TeX bundle (scripts/setup; root or sudo)
#   make test       every test: unit, snapshot, end-to-end, HTML validation, accessibility
#                   audit (Lighthouse, axe-core), PDF checks,
#                   and scripts/check-setup (setup's lists are complete for a new machine)
#   make bench      pandoc against the pipeline, side by side (scripts/bench)
#   make bench-preview  live preview: file written to page reloaded (scripts/bench-preview)
#   make pathological  every stage on inputs made to crash or stall it
#   make clean      remove the outputs (cargo clean removes the build)
#   V=1             show the commands
NAME    ?= dossier
CONTENT := $(sort $(wildcard content/*.md))
ifeq ($(CONTENT),)
  $(error no content/*.md to build)
endif
MEDIA   := $(wildcard content/media/*)
BIN     := target/release
BINS    := $(BIN)/md2ast $(BIN)/ast-filters $(BIN)/ast2html $(BIN)/ast2latex $(BIN)/md-preview
SOURCES := Cargo.toml Cargo.lock $(shell find ast md2ast ast-filters ast2html ast2latex writer-support stage-cli tex-engine templates md-preview \
             -path '*/tests' -prune -o -type f \( -name '*.rs' -o -name '*.toml' -o -name '*.html' \
             -o -name '*.css' -o -name '*.latex' -o -name '*.tex' \) -print)
SETUP   := target/.setup-done
TEST_SETUP := target/.setup-test-done

# The writers' options, as the old pandoc Makefile passed them.
HTML_OPTS  ?= --toc --number-sections --embed-resources --resource-path content
LATEX_OPTS ?= --toc --number-sections --resource-path content
# md-preview's own options (--pdf, --port N, --open, --host ADDR).
PREVIEW_OPTS ?=

V ?= 0
ifeq ($(V),0)
  Q := @
  QUIET := --quiet
else
  Q :=
  QUIET :=
endif

# A failing stage fails the whole pipe (outputs are written atomically, so a
# failure never leaves a partial file).
SHELL := bash
.SHELLFLAGS := -eo pipefail -c
.DELETE_ON_ERROR:

.PHONY: all html pdf preview check fix test bench bench-preview pathological clean setup
all: html pdf
html: public/$(NAME).html
pdf: public/$(NAME).pdf

$(SETUP): scripts/setup scripts/build-tex-bundle scripts/install-tex-bundle
	@echo "[SETUP] system packages and TeX bundle"
	$(Q)scripts/setup
	$(Q)mkdir -p target && touch $@

setup: $(SETUP)

# One cargo call builds all four binaries (a grouped target, so make -j2 runs
# it once). The TeX bundle that ast2latex embeds follows the writer: the
# script is quick when nothing changed.
$(BINS) &: $(SOURCES) $(SETUP)
	@echo "[BUILD] binaries (release)"
	$(Q)scripts/build-tex-bundle $(if $(filter 0,$(V)),>/dev/null)
	$(Q)cargo build --release --bins $(if $(filter 0,$(V)),--quiet)
	$(Q)touch $(BINS)

public:
	$(Q)mkdir -p public

public/$(NAME).html: $(CONTENT) $(MEDIA) $(BINS) | public
	@echo "[HTML] $@"
	$(Q)$(BIN)/md2ast $(CONTENT) | $(BIN)/ast-filters html | $(BIN)/ast2html $(HTML_OPTS) -o $@

public/$(NAME).pdf: $(CONTENT) $(MEDIA) $(BINS) | public
	@echo "[PDF] $@"
	$(Q)$(BIN)/md2ast $(CONTENT) | $(BIN)/ast-filters latex | $(BIN)/ast2latex $(LATEX_OPTS) $(QUIET) --pdf $@

# The page of content/ served and rebuilt on save, with the options of `make
# html` (the same page byte for byte, plus the reload script).
preview: $(BINS)
	$(Q)$(BIN)/md-preview content $(HTML_OPTS) --name $(NAME) $(PREVIEW_OPTS)

$(TEST_SETUP): scripts/setup tests/a11y/package-lock.json $(SETUP)
	@echo "[SETUP] test tools"
	$(Q)scripts/setup --test
	$(Q)touch $@

public/canonical.html: tests/fixtures/canonical/canonical.json $(BINS) | public
	@echo "[HTML] $@"
	$(Q)$(BIN)/ast-filters html < $< | $(BIN)/ast2html --toc -N --embed-resources --resource-path tests/fixtures/canonical -o $@

# cargo test runs the unit, snapshot and property tests of every crate, the
# PDF checks (ast2latex, tests/) and the end-to-end tests on content/.
test: $(TEST_SETUP) $(BINS)
	@echo "[TEST] scripts/setup installs all a new machine needs (scripts/check-setup)"
	$(Q)scripts/check-setup --must-catch texlive-plain-generic:ulem.sty --must-catch fonts-dejavu-core:DejaVuSerif.ttf \
	  --must-catch texlive-science:siunitx.sty --must-catch texlive-bibtex-extra:biblatex.sty
	@echo "[TEST] cargo test (unit, snapshot, property, end-to-end, PDF checks)"
	$(Q)INSTA_UPDATE=no cargo test --workspace $(if $(filter 0,$(V)),--quiet)
	@echo "[TEST] HTML validation (Nu HTML Checker) of content/ and the canonical document"
	$(Q)$(MAKE) --no-print-directory html pdf public/canonical.html
	$(Q)scripts/check-html public/$(NAME).html public/canonical.html
	@echo "[TEST] accessibility audit (Lighthouse 100 in accessibility, best practices, SEO; axe-core WCAG 2.1 AA) of the same pages"
	$(Q)scripts/a11y-audit public/$(NAME).html public/canonical.html
	@echo "[TEST] no line break at no-break spaces in Chromium"
	$(Q)ast2html/tests/browser/no-break.sh $(BIN)/ast2html
	@echo "[TEST] live preview in Chromium (md-preview: edit, reload at the same section, error overlay)"
	$(Q)python3 md-preview/tests/browser/preview.py --bin $(BIN) $(if $(filter 0,$(V)),>/dev/null)
	@echo "[TEST] the writers against pandoc's, read back by pandoc (scripts/writer-parity)"
	$(Q)if command -v pandoc >/dev/null; then scripts/writer-parity --bin $(BIN); else echo "  skipped: no pandoc"; fi
	@echo "[TEST] pathological inputs under time and memory bounds"
	$(Q)scripts/pathological --no-build --output target/pathological/report.md >/dev/null \
	  || { cat target/pathological/report.md; exit 1; }
	@echo "[TEST] all passed"

pathological: $(BINS)
	$(Q)scripts/pathological --no-build

# The typography linter: lists what the filters would change, each at its
# FILE:LINE:COL in content/; exits 1 if anything.
check: $(BINS)
	$(Q)$(BIN)/md2ast --sourcepos $(CONTENT) | $(BIN)/ast-filters --check

# The same problems fixed in the Markdown sources, every other byte kept.
FIX_OPTS ?=
fix: $(BINS)
	$(Q)$(BIN)/md2ast --sourcepos $(CONTENT) | $(BIN)/ast-filters --fix $(FIX_OPTS)

bench: $(BINS)
	$(Q)scripts/bench

# File written to page reloaded in Chromium, for content/ and a 1 MB document.
bench-preview: $(BINS)
	$(Q)scripts/bench-preview --no-build

clean:
	@echo "[CLEAN] public/"
	$(Q)rm -rf public
