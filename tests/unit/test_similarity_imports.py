"""The similarity package reads ideas and questions, and imports no other feature:
duplicates and themes hear of new vectors through its signal."""

import ast
from pathlib import Path

import ideation.similarity

ALLOWED = (
    "ideation.similarity",
    "ideation.extensions",
    "ideation.features",
    "ideation.shared",
    "ideation.jobs",
    "ideation.ideas.models",
    "ideation.questions.models",
    "ideation.auth.models",
)


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


def test_similarity_imports_no_feature_but_the_models_it_reads():
    package = Path(ideation.similarity.__file__).parent
    outside = {
        f"{path.name}: {module}"
        for path in package.glob("*.py")
        for module in imported_modules(path)
        if module.startswith("ideation")
        and not any(module == a or module.startswith(a + ".") for a in ALLOWED)
    }
    assert outside == set()
