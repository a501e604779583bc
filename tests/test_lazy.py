"""Public packages load their names on first use, and behave as if they had not.

Each public package maps its exported names to the private modules that define
them; importing the package runs none of those modules, and the first use of a
name imports its module, publishes its names and keeps them. Type checkers see
the same names through the package's ``TYPE_CHECKING`` imports.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pathlib
import pickle
import pydoc
import subprocess
import sys
import textwrap
import types

import pytest
from hypothesis import given
from hypothesis import strategies as st

import fourresp

LAZY = (
    "fourresp.content",
    "fourresp.assessment",
    "fourresp.scenario",
    "fourresp.supporters",
    "fourresp.badges",
    "fourresp.xapi",
    "fourresp.exchange",
)
SRC = pathlib.Path(fourresp.__file__).resolve().parent


def _run(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], check=True, capture_output=True, text=True
    ).stdout


def _typed_imports(package: str) -> dict[str, str]:
    """Each name the package imports under ``TYPE_CHECKING``, mapped to its module."""
    path = SRC.joinpath(*package.split(".")[1:], "__init__.py")
    found: dict[str, str] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom) and statement.module:
                    for alias in statement.names:
                        name = alias.asname or alias.name
                        if not name.startswith("_"):
                            found[name] = statement.module
    return found


@pytest.mark.parametrize("package", LAZY)
def test_importing_a_package_imports_none_of_its_modules_until_a_name_is_used(package):
    name = _typed_imports(package)[importlib.import_module(package).__all__[0]]
    _run(
        f"""
        import sys
        import fourresp

        before = {{name for name in sys.modules if name.startswith("fourresp")}}
        import {package}

        loaded = {{name for name in sys.modules if name.startswith("fourresp")}} - before
        assert loaded == {{{package!r}}}, sorted(loaded)
        first = {package}.__all__[0]
        getattr({package}, first)
        assert {name!r} in sys.modules
        assert first in vars({package})  # kept: later uses never reach __getattr__
        """
    )


@pytest.mark.parametrize("package", LAZY)
def test_every_exported_name_is_the_one_type_checkers_see(package):
    module = importlib.import_module(package)
    typed = _typed_imports(package)
    defined_here = {"open_registry"} if package == "fourresp.supporters" else set()
    assert set(module.__all__) - defined_here <= set(typed)
    for name, home in typed.items():
        assert getattr(module, name) is getattr(importlib.import_module(home), name), name


@pytest.mark.parametrize("package", LAZY)
def test_star_import_gives_every_exported_name_in_a_fresh_interpreter(package):
    out = _run(
        f"""
        import {package}
        namespace = {{}}
        exec("from {package} import *", namespace)
        names = sorted(name for name in namespace if name != "__builtins__")
        assert names == sorted({package}.__all__), names
        for name in names:
            assert namespace[name] is getattr({package}, name)
        print(repr(namespace[{package}.__all__[0]]))
        """
    )
    assert "._" not in out


@pytest.mark.parametrize("package", LAZY)
def test_dir_lists_the_exported_names(package):
    module = importlib.import_module(package)
    assert dir(module) == sorted(module.__all__)


@pytest.mark.parametrize("package", LAZY)
@given(name=st.text(min_size=1, max_size=20))
def test_an_unknown_name_raises_attribute_error_naming_the_package(package, name):
    module = importlib.import_module(package)
    known = (*module.__all__, *vars(module), "Diagnostic")
    if name in known or hasattr(types.ModuleType("m"), name):  # such as __dict__
        return
    with pytest.raises(AttributeError, match=f"module '{package}' has no attribute") as raised:
        getattr(module, name)
    assert raised.value.name == name
    assert not hasattr(module, name)


def test_an_object_loaded_before_its_class_is_used_is_an_instance_of_it():
    _run(
        """
        import pickle
        import fourresp
        from fourresp.assessment._defaults import default_questionnaire_path

        questionnaire = fourresp.load(default_questionnaire_path(), kind="questionnaire")
        # the loader imported the models' module directly: its names are published all the same
        assert repr(type(questionnaire)) == "<class 'fourresp.assessment.Questionnaire'>"
        data = pickle.dumps(questionnaire)
        assert b"fourresp.assessment._" not in data
        import fourresp.assessment

        assert "Questionnaire" in vars(fourresp.assessment)
        assert isinstance(questionnaire, fourresp.assessment.Questionnaire)
        assert type(questionnaire) is fourresp.assessment.Questionnaire
        assert pickle.loads(data) == questionnaire
        """
    )


def test_exported_classes_and_their_objects_pickle_by_the_public_path():
    import fourresp.content
    import fourresp.scenario

    framework = fourresp.content.load_framework()
    for value in (fourresp.content.Framework, fourresp.scenario.Scenario, framework):
        data = pickle.dumps(value)
        assert b"fourresp.content._" not in data
        assert b"fourresp.scenario._" not in data
        assert pickle.loads(data) == value
    # and the public path resolves in an interpreter that never used the name
    data = pickle.dumps(framework)
    _run(
        f"""
        import pickle
        framework = pickle.loads({data!r})
        import fourresp.content

        assert type(framework) is fourresp.content.Framework
        assert framework.aspects[0].id == {framework.aspects[0].id!r}
        """
    )


@pytest.mark.parametrize("package", LAZY)
def test_help_shows_the_package_and_its_names(package):
    module = importlib.import_module(package)
    text = pydoc.render_doc(module, renderer=pydoc.plaintext)
    assert module.__doc__.splitlines()[0] in text
    for name in module.__all__:
        value = getattr(module, name)
        if isinstance(value, type):
            assert f"class {name}" in text, name
        elif inspect.isfunction(value):
            assert f"{name}(" in text, name


def test_the_scenario_still_gives_the_deprecated_diagnostic_alias_lazily():
    _run(
        """
        import warnings
        import fourresp.scenario
        from fourresp.errors import Problem

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert fourresp.scenario.Diagnostic is Problem
        assert caught[0].category is DeprecationWarning
        assert "Diagnostic" not in dir(fourresp.scenario)
        """
    )


def test_source_and_tracebacks_still_reach_the_defining_module():
    import fourresp.scenario

    assert "def load_scenario" in inspect.getsource(fourresp.scenario.load_scenario)
    module = sys.modules["fourresp.scenario._models"]
    assert module.__spec__.loader.get_source(module.__name__) == pathlib.Path(
        module.__file__
    ).read_text(encoding="utf-8")


def test_the_top_level_loads_its_limits_on_first_use():
    _run(
        """
        import sys
        import fourresp

        assert "fourresp._document._limits" not in sys.modules
        assert "Limits" in dir(fourresp) and "errors" in dir(fourresp)
        namespace = {}
        exec("from fourresp import *", namespace)
        assert namespace["Limits"] is fourresp.Limits
        assert fourresp.Limits.__module__ == "fourresp"
        assert fourresp.DEFAULT_LIMITS == fourresp.Limits()
        assert "Limits" in vars(fourresp)  # kept: later uses never reach __getattr__
        try:
            fourresp.Limitz
        except AttributeError as error:
            assert error.name == "Limitz" and "'fourresp'" in str(error)
        else:
            raise AssertionError("an unknown name was found")
        """
    )


@pytest.mark.parametrize(
    "target", ["fourresp.Limits", "fourresp.DEFAULT_LIMITS", "fourresp.assessment.score"]
)
def test_a_name_patched_before_its_first_use_is_there_afterwards(target):
    # mock.patch finds the name through __getattr__, so it deletes it on exit and
    # then asks for it again: that must load it, not raise KeyError
    _run(
        f"""
        import importlib
        from unittest import mock

        module_name, _, name = {target!r}.rpartition(".")
        module = importlib.import_module(module_name)
        with mock.patch({target!r}) as patched:
            assert getattr(module, name) is patched
        assert not isinstance(getattr(module, name), mock.Mock)
        """
    )


def test_threads_first_using_a_lazy_name_at_once_all_get_it():
    # the first use keeps the module's names one by one; a thread that finds the
    # module kept already must not read a name before it is in the globals
    code = """
        import sys
        import threading

        sys.setswitchinterval(1e-6)
        import fourresp

        errors = []
        barrier = threading.Barrier(8)

        def use():
            barrier.wait()
            try:
                assert fourresp.Limits().max_depth > 0
            except Exception as error:
                errors.append(repr(error))

        threads = [threading.Thread(target=use) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(errors)
        """
    for _ in range(20):  # a race: each run loses it about one time in three
        assert _run(code).strip() == "[]"


def test_a_document_taken_the_quick_way_shows_its_public_module():
    out = _run(
        """
        import fourresp

        answers = {"a": 1}
        document = {"kind": "response", "questionnaire": "q", "version": "1.0", "answers": answers}
        print(type(fourresp.load(document)).__module__)
        """
    )
    assert out.strip() == "fourresp.assessment"
