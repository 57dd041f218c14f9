"""The house's layers, read from its imports: arrows run down only, and nothing goes round in a circle.

Layers, from the bottom (ARCHITECTURE.md draws them):

0. `paths`, `languages`, `text`: where the folders are; the two languages; the normaliser of typed text.
1. `web`: what every page shares (db connection, i18n, templates, htmx, urls, assets, caching, security...).
2. `queries`, `search`, `features`: every SELECT; folding and ranking; small features' own logic.
3. `dataset`: data/ -> atlas.db (no Flask at all).
4. `views` and the capabilities (`editorial`, `stateorder`, `offline`, `book`): blueprints.
5. `atlas` itself (the app factory), `cli`, `wsgi`: what wires everything together.

A module may import its own layer and the ones below; a capability never imports another one's views.
"""

import ast
import sys
from pathlib import Path

import pytest

from atlas.paths import ROOT

PACKAGE = ROOT / "atlas"
LAYERS = {
    "atlas.paths": 0, "atlas.languages": 0, "atlas.text": 0, "atlas.provenance": 0,
    "atlas.web": 1,
    "atlas.queries": 2, "atlas.search": 2, "atlas.features": 2,
    "atlas.dataset": 3,
    "atlas.views": 4, "atlas.editorial": 4, "atlas.stateorder": 4, "atlas.offline": 4, "atlas.book": 4,
    "atlas": 5, "atlas.cli": 5, "atlas.console": 5, "atlas.wsgi": 5, "atlas.book_maker": 5,
}
CAPABILITIES = ("atlas.views", "atlas.editorial", "atlas.stateorder", "atlas.offline", "atlas.book")


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules():
    return {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imports_of(name, path, known):
    """The atlas modules that a module imports (anywhere in it, functions included)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in known else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in known and m != name}


def graph():
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def layer(name):
    while name not in LAYERS:
        name = name.rpartition(".")[0]
    return LAYERS[name]


def area(name):
    """The top package a module belongs to: atlas.views.api.openapi -> atlas.views."""
    return ".".join(name.split(".")[:2])


def test_every_module_has_a_layer():
    """A new module says where it belongs: in a layer's package, or named here."""
    placed = [k for k in LAYERS if k != "atlas"]
    assert [name for name in modules()
            if name != "atlas" and not any(name == k or name.startswith(k + ".") for k in placed)] == []


def test_no_import_runs_up_a_layer():
    upward = sorted(f"{name} ({layer(name)}) -> {target} ({layer(target)})"
                    for name, targets in graph().items() for target in targets if layer(target) > layer(name))
    assert upward == []


def test_no_capability_imports_another_ones_views():
    found = sorted(f"{name} -> {target}" for name, targets in graph().items() for target in targets
                   if area(name) in CAPABILITIES and area(target) != area(name)
                   and (target.endswith("views") or "_views" in target or area(target) == "atlas.views")
                   and layer(name) < 5)
    assert found == []


def test_no_import_cycles():
    edges = graph()
    cycles, state, stack = [], {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for target in sorted(edges[node]):
            if state.get(target) == "open":
                cycles.append(" -> ".join(stack[stack.index(target):] + [target]))
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert cycles == []


def test_the_build_side_never_loads_flask(tmp_path):
    """`atlas build` and the importers' planning run without Flask: importing the build side must
    not bring it in, even through a module it imports."""
    import subprocess

    code = ("import sys; import atlas.dataset.build, atlas.dataset.checks, atlas.dataset.overlay, atlas.dataset.quality; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'flask_babel', 'werkzeug')))")
    # atlas/__init__ is the app factory: it imports Flask at its top, so load the build side without it.
    loader = (f"import sys, types; pkg = types.ModuleType('atlas'); pkg.__path__ = [{str(PACKAGE)!r}]; "
              f"sys.modules['atlas'] = pkg; {code}")
    result = subprocess.run([sys.executable, "-c", loader], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("name", ["caching", "pagecache", "responsecache", "build", "api", "openapi"])
def test_the_old_flat_modules_are_gone(name):
    assert not (PACKAGE / f"{name}.py").exists()
