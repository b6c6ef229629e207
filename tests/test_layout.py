"""The shape of the code, checked from its imports (module and function level).

- the shared layer (`ideation/shared`) imports no feature;
- infrastructure packages (jobs, audit, supports, notifications, similarity) import
  the shared layer, each other, and nothing of a feature but its tables (`models`);
- a feature never imports another feature's views, forms or private names;
- no cycle among packages is longer than three, and the feature-to-feature imports
  stay within a budget that is raised on purpose, not by accident;
- every process knows every table and job from `create_app` alone.
"""

import ast
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ideation"
SHARED = "shared"
INFRASTRUCTURE = {"jobs", "audit", "supports", "notifications", "similarity"}
# Pairs of feature packages where one imports the other (issue 8: fewer than 35;
# issue 12: opendata reads the six features it publishes, +6; search reads ideas,
# questions and themes, +3; comments reads auth and ideas, +2; measures are made
# from ideas, decisions and sessions and tell co-authors, +4; the impact
# dashboard reads ideas, questions, responses, governor and measures, +5;
# issue 11: proposals and voting, +9, and the demo puts a question to the vote,
# +1).
FEATURE_IMPORT_BUDGET = 63
MAX_CYCLE = 3
MAX_TOP_LEVEL_MODULES = 10


def _module_name(path: Path) -> list[str]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imports(path: Path):
    """(imported module as a list of names, imported name or None) per import."""
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here[:-1]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split("."), None
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = base + (node.module.split(".") if node.module else [])
            for alias in node.names:
                yield module, alias.name


def _packages() -> list[str]:
    return sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())


def _package_imports():
    """(source package, source file, target module names, imported name) for
    every import of one ideation package by another."""
    packages = set(_packages())
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).parts
        if len(relative) < 2:
            continue
        source = relative[0]
        for module, name in _imports(path):
            if module[:1] != ["ideation"]:
                continue
            target = module[1:]
            if not target and name in packages:  # from ideation import jobs
                target = [name]
            if target and target[0] in packages and target[0] != source:
                yield source, path, target, name


def _graph():
    graph = defaultdict(set)
    for source, _path, target, _name in _package_imports():
        graph[source].add(target[0])
    return graph


def _strongly_connected(graph) -> list[set[str]]:
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            found.append(component)

    for node in list(graph):
        if node not in index:
            visit(node)
    return found


def _is_feature(package: str) -> bool:
    return package != SHARED and package not in INFRASTRUCTURE


def test_the_shared_layer_imports_no_feature():
    wrong = [
        f"{path.relative_to(ROOT)} imports {'.'.join(target)}"
        for source, path, target, _name in _package_imports()
        if source == SHARED
    ]
    assert not wrong


def test_infrastructure_imports_only_the_tables_of_features():
    wrong = [
        f"{path.relative_to(ROOT)} imports {'.'.join(target)}"
        for source, path, target, _name in _package_imports()
        if source in INFRASTRUCTURE
        and _is_feature(target[0])
        and target[1:2] != ["models"]
    ]
    assert not wrong


def test_features_use_only_what_other_features_offer():
    wrong = [
        f"{path.relative_to(ROOT)} imports {'.'.join(target)} {name or ''}"
        for source, path, target, name in _package_imports()
        if _is_feature(target[0])
        and target[1:2] in (["views"], ["forms"])
        or (name or "").startswith("_")
        or any(part.startswith("_") for part in target[1:])
    ]
    assert not wrong


def test_no_import_cycle_is_longer_than_three_packages():
    cycles = [c for c in _strongly_connected(_graph()) if len(c) > MAX_CYCLE]
    assert not cycles


def test_feature_to_feature_imports_stay_within_budget():
    pairs = {
        (source, target[0])
        for source, _path, target, _name in _package_imports()
        if _is_feature(source) and _is_feature(target[0])
    }
    assert len(pairs) <= FEATURE_IMPORT_BUDGET, sorted(pairs)


def test_few_top_level_modules():
    modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(modules) <= MAX_TOP_LEVEL_MODULES, modules


def _registered(code: str) -> tuple[set[str], set[str]]:
    """The jobs and tables a fresh interpreter knows after running `code`."""
    script = (
        "from config import TestingConfig\n"
        "from ideation import create_app\n"
        f"{code}\n"
        "from ideation.extensions import db\n"
        "from ideation.jobs.queue import REGISTRY\n"
        "print(sorted(REGISTRY)); print(sorted(db.metadata.tables))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    jobs, tables = result.stdout.strip().splitlines()[-2:]
    return set(ast.literal_eval(jobs)), set(ast.literal_eval(tables))


@pytest.mark.parametrize("kind", ["jobs", "tables"])
def test_create_app_alone_knows_every_job_and_table(kind):
    # A worker process (`flask jobs work`) only runs create_app: a job module that
    # no feature declares would work in tests and fail there with "unknown job".
    every_module = (
        "import importlib, pkgutil, ideation\n"
        "for m in pkgutil.walk_packages(ideation.__path__, 'ideation.'):\n"
        "    importlib.import_module(m.name)"
    )
    alone = _registered("create_app(TestingConfig)")
    everything = _registered(every_module)
    position = 0 if kind == "jobs" else 1
    assert alone[position] == everything[position]
    assert alone[position]  # not vacuous: there are jobs and tables


def test_no_test_module_imports_another():
    # Shared test code lives in conftest.py (fixtures) and tests/helpers.py.
    tests = ROOT / "tests"
    wrong = [
        f"{path.relative_to(ROOT)} imports {'.'.join(module)}"
        for path in tests.rglob("test_*.py")
        for module, _name in _imports(path)
        if module[:1] == ["tests"] and module[-1].startswith("test_")
    ]
    assert not wrong
