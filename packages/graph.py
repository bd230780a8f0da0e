"""Build order from the specs themselves: a spec builds after every spec providing its BuildRequires."""
from graphlib import CycleError, TopologicalSorter

from .errors import DependencyError
from .names import NameMap
from .specs import Spec


def providers(specs: dict[str, Spec]) -> dict[str, str]:
    """Every provided name (package names and Provides) -> the spec that builds it."""
    return {name: spec.name for spec in specs.values() for name in spec.provided_names()}


def build_deps(specs: dict[str, Spec], flavor: str = "debian") -> dict[str, set[str]]:
    """spec -> the specs it build-depends on. For Debian builds every external BuildRequires
    must map to a Debian name; RPM hosts resolve them with their own package manager."""
    provided = providers(specs)
    names = NameMap.load(set(provided))
    deps = {}
    for spec in specs.values():
        deps[spec.name] = set()
        for req in spec.build_requires:
            if req in provided:
                deps[spec.name].add(provided[req])
            elif flavor == "debian":
                names.debian(req, f"{spec.path.name} (BuildRequires)")
    return deps


def runtime_deps(specs: dict[str, Spec]) -> dict[str, set[str]]:
    """spec -> our specs its packages Require (shown in the graph; not build order)."""
    provided = providers(specs)
    return {s.name: {provided[r] for p in s.packages for r in p.requires if r in provided}
            for s in specs.values()}


def build_order(specs: dict[str, Spec], flavor: str = "debian") -> list[str]:
    try:
        return list(TopologicalSorter(build_deps(specs, flavor)).static_order())
    except CycleError as exc:
        cycle = " -> ".join(exc.args[1])
        raise DependencyError(f"the specs' BuildRequires form a cycle: {cycle}",
                              "break the cycle: one of these specs must not build-depend on the next") from exc


def dependents(specs: dict[str, Spec], changed: set[str], flavor: str = "debian") -> set[str]:
    """changed plus every spec that build-depends on them, transitively."""
    deps = build_deps(specs, flavor)
    result = set(changed)
    grew = True
    while grew:
        grew = False
        for name, needs in deps.items():
            if name not in result and needs & result:
                result.add(name)
                grew = True
    return result


def to_dot(specs: dict[str, Spec]) -> str:
    lines = ["digraph xenhost {", "  rankdir=LR;"]
    for name, needs in sorted(build_deps(specs).items()):
        lines.append(f'  "{name}";')
        lines += [f'  "{name}" -> "{dep}" [label="builds with"];' for dep in sorted(needs)]
    for name, needs in sorted(runtime_deps(specs).items()):
        lines += [f'  "{name}" -> "{dep}" [style=dashed,label="requires"];' for dep in sorted(needs)]
    return "\n".join(lines + ["}"]) + "\n"
