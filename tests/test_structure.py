"""The code's shape, checked: no import cycles between modules (lazy imports inside functions count
too: they only hide a cycle), and no private (_name) helper imported from another module."""
import ast
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = {  # import name -> folder holding it
    "xenhost_common": REPO / "common" / "xenhost_common",
    "xenhost_installer": REPO / "installer" / "xenhost_installer",
    "xenhost_firstboot": REPO / "firstboot" / "xenhost_firstboot",
    "xenhost_toolstack": REPO / "toolstack" / "xenhost_toolstack",
    "buildlib": REPO / "buildlib", "packages": REPO / "packages", "iso": REPO / "iso",
}


def modules():
    for top, folder in PACKAGES.items():
        if not folder.is_dir():
            continue
        for path in folder.rglob("*.py"):
            parts = path.relative_to(folder).with_suffix("").parts
            name = ".".join((top,) + (parts[:-1] if parts[-1] == "__init__" else parts))
            yield name, path


def imports_of(name, path):
    """(imported module, imported names) for every import in the file, resolved to absolute names."""
    is_pkg = path.name == "__init__.py"
    package = name if is_pkg else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            yield base, [a.name for a in node.names]


def graph():
    known = dict(modules())
    edges = {name: set() for name in known}
    private = []
    for name, path in known.items():
        for target, names in imports_of(name, path):
            for n in names or [None]:
                # `from pkg import sub` needs the submodule; `from pkg import thing` needs pkg/__init__
                candidate = f"{target}.{n}" if f"{target}.{n}" in known else target
                if candidate in known and candidate != name:
                    edges[name].add(candidate)
            if target in known and target != name:
                private += [f"{name} imports {target}.{n}" for n in names if n.startswith("_") and not n.startswith("__")]
    return edges, private


def cycles(edges):
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles():
    edges, _private = graph()
    found = cycles(edges)
    assert not found, "import cycles: %s" % found


def test_no_private_helper_imported_across_modules():
    _edges, private = graph()
    assert not private, private


def test_the_checker_finds_a_cycle_and_a_private_import():
    assert cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
