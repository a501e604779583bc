# Two commands on a fresh machine with python3 and make:
#   make demo   run fourresp on its built-in content
#   make test   every check: lint, types, tests (docs examples included)
#   make check  the inner loop: lint, types and the fast tests (none marked slow:
#               no browser, no servers, no large inputs, no wheel build)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test check lint types pytest fast-tests wheel-check bench clean lrs survey-core

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/fourresp demo

test: lint types pytest wheel-check

check: lint types fast-tests

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

types: $(STAMP)
	$(BIN)/mypy

# The tests run on every core (pytest-xdist), each worker taking the next test as
# it is free; tests that share a server (the browser's site, PostgreSQL, Ralph) are
# marked with one xdist_group and kept on one worker, so it starts once.
PYTEST := $(BIN)/pytest -q -n auto --dist loadgroup

pytest: $(STAMP)
	$(PYTEST)

fast-tests: $(STAMP)
	$(PYTEST) -x -m "not slow"

# Build the sdist, then the wheel from it, install the wheel into a fresh virtual
# environment and, from a folder outside the repository, run the demo and import
# every public module: a data file or schema missing from the wheel fails here.
CHECK := build/wheel-check
wheel-check: $(STAMP)
	rm -rf $(CHECK) && mkdir -p $(CHECK)
	$(BIN)/python -m build --no-isolation --outdir $(CHECK)/dist . > $(CHECK)/build.log
	$(BIN)/python -c "$$WHEEL_METADATA" $(CHECK)/dist/*.whl
	$(PYTHON) -m venv $(CHECK)/venv
	$(CHECK)/venv/bin/python -m pip install --quiet "$$(ls $(CHECK)/dist/*.whl)[site]"
	cd $(CHECK) && venv/bin/fourresp demo --out demo > demo.log && test -s demo/index.html
	cd $(CHECK) && venv/bin/python -c "$$WHEEL_IMPORTS"
	@echo "wheel check: built, licence metadata right, installed, demo ran, every public module imported"

# The wheel declares both licences (PEP 639): MIT for the code, CC BY-NC-SA 4.0 for
# the content, and carries both licence files.
export WHEEL_METADATA
define WHEEL_METADATA
import sys, zipfile
from email.parser import Parser
with zipfile.ZipFile(sys.argv[1]) as wheel:
    name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    metadata = Parser().parsestr(wheel.read(name).decode("utf-8"))
expression = metadata["License-Expression"]
assert expression == "MIT AND CC-BY-NC-SA-4.0", f"License-Expression is {expression!r}"
files = set(metadata.get_all("License-File") or ())
assert {"LICENSE", "LICENSE-CONTENT.md"} <= files, f"License-File is {sorted(files)}"
print(f"wheel metadata: License-Expression: {expression}; License-File: {sorted(files)}")
endef

export WHEEL_IMPORTS
define WHEEL_IMPORTS
import importlib
for name in ("fourresp", "fourresp.errors", "fourresp.content",
             "fourresp.assessment", "fourresp.scenario", "fourresp.badges",
             "fourresp.supporters", "fourresp.charts", "fourresp.cli", "fourresp.site"):
    module = importlib.import_module(name)
    assert "site-packages" in module.__file__, module.__file__
    for public in module.__all__:
        getattr(module, public)
for schema in ("framework", "questionnaire", "response", "result", "scenario", "run", "pledge"):
    importlib.import_module("fourresp").schema(schema)
from fourresp.site import create_app
client = create_app(db="wheel-check.db", secret_key=b"wheel-check-secret").test_client()
for page in ("/", "/questionnaire/1", "/scenario", "/pledge", "/supporters", "/static/site.css"):
    assert client.get(page).status_code == 200, page
try:
    importlib.import_module("fourresp.testing")
except ImportError as error:
    assert "Hypothesis" in str(error)
endef

# The real consumers the interop tests hand our output to, each in a folder of its
# own under build/ so their dependencies never mix with ours: Ralph, an xAPI LRS
# from PyPI, in its own virtual environment (`requests` is imported by its LRS but
# not declared by its extras), and survey-core (SurveyJS) from npm. The tests find
# them there, or where FOURRESP_RALPH and FOURRESP_SURVEY_CORE say.
RALPH := build/ralph
SURVEY_CORE := build/survey-core

lrs: $(RALPH)/.installed
$(RALPH)/.installed:
	rm -rf $(RALPH)
	$(PYTHON) -m venv $(RALPH)
	$(RALPH)/bin/python -m pip install --quiet 'ralph-malph[cli,lrs]==5.1.0' requests
	touch $@

survey-core: $(SURVEY_CORE)/.installed
$(SURVEY_CORE)/.installed:
	rm -rf $(SURVEY_CORE) && mkdir -p $(SURVEY_CORE)
	echo '{"private": true}' > $(SURVEY_CORE)/package.json
	cd $(SURVEY_CORE) && npm install --silent --no-audit --no-fund survey-core@3.1.1
	touch $@

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis fourresp-demo
