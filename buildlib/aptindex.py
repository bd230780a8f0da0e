"""Reading apt Packages indexes: which of our packages an image installs (image cache keys)."""


def depends_names(field: str, every_alternative: bool = False) -> list[str]:
    """Package names a Depends field names, without version or architecture: the first
    alternative of each clause (what the clause needs at least), or every alternative."""
    names = []
    for clause in filter(None, (c.strip() for c in field.split(","))):
        alternatives = [a.strip() for a in clause.split("|")]
        for alternative in (alternatives if every_alternative else alternatives[:1]):
            names.append(alternative.split()[0].split(":")[0].split("(")[0])
    return names


def index_stanzas(index_text: str) -> dict[str, list[str]]:
    """An apt Packages index: package name -> its stanzas (several with --multiversion)."""
    stanzas: dict[str, list[str]] = {}
    for stanza in filter(str.strip, index_text.split("\n\n")):
        fields = dict(ln.split(": ", 1) for ln in stanza.splitlines() if ": " in ln and not ln.startswith(" "))
        stanzas.setdefault(fields["Package"], []).append(stanza.strip())
    return stanzas


def package_closure(index_text: str, names: list[str]) -> list[str]:
    """The stanzas of our packages that installing `names` brings in: those named, and what
    they Depend on (every alternative, through Provides too) that our index holds. Debian's
    packages are not in the index and are not followed."""
    stanzas = index_stanzas(index_text)
    fields = {name: dict(ln.split(": ", 1) for ln in entries[0].splitlines()
                         if ": " in ln and not ln.startswith(" "))
              for name, entries in stanzas.items()}
    provider = {name: name for name in stanzas}
    for name, f in fields.items():
        provider.update({p: name for p in depends_names(f.get("Provides", ""), every_alternative=True)})
    found: set[str] = set()
    todo = [provider[n] for n in names if n in provider]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found.add(name)
        for field in ("Pre-Depends", "Depends"):
            todo += [provider[d] for d in depends_names(fields[name].get(field, ""), every_alternative=True)
                     if d in provider]
    return [stanza for name in sorted(found) for stanza in stanzas[name]]
