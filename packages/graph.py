"""Build order from the specs themselves: a spec builds after every spec providing its BuildRequires."""
from graphlib import CycleError, TopologicalSorter

from buildlib.errors import DependencyError
from .names import NameMap
from .specs import BinaryPackage, Spec


def providers(specs: dict[str, Spec]) -> dict[str, str]:
    """Every provided name (package names and Provides) -> the spec that builds it."""
    return {name: spec.name for spec in specs.values() for name in spec.provided_names()}


def package_providers(specs: dict[str, Spec]) -> dict[str, BinaryPackage]:
    """Every provided name -> the binary package of ours that provides it."""
    return {name: pkg for spec in specs.values() for pkg in spec.packages
            for name in (pkg.name, *pkg.provides)}


def build_root_packages(specs: dict[str, Spec], name: str) -> set[str]:
    """Our binary packages that spec `name`'s build root must hold: those providing its
    BuildRequires, plus what they Require of ours, transitively (they must install)."""
    provided = package_providers(specs)
    todo = [r for r in specs[name].build_requires if r in provided]
    needed: set[str] = set()
    while todo:
        package = provided[todo.pop()]
        if package.name not in needed:
            needed.add(package.name)
            todo.extend(r for r in package.requires if r in provided)
    return needed


def build_deps(specs: dict[str, Spec], flavor: str = "debian") -> dict[str, set[str]]:
    """spec -> the specs whose packages its build root holds. For Debian builds every external
    BuildRequires must map to a Debian name; RPM hosts resolve them with their own package manager."""
    provided = providers(specs)
    names = NameMap.load(set(provided))
    deps = {}
    for spec in specs.values():
        deps[spec.name] = {provided[p] for p in build_root_packages(specs, spec.name)}
        for req in spec.build_requires:
            if req not in provided and flavor == "debian":
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
