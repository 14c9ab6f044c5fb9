"""The semantic diff of two specs: match components, then compare everything through the match.

Components are matched by id, then through explicit rename hints, then through
a strong structural match; everything else (flows, group memberships, views,
steps) is compared after mapping old ids through that match, so a rename never
shows up a second time as changed flows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mlsd.diff.errors import DiffError
from mlsd.model import Edge, Spec

# The framework's written parts, in the order the spec format lists them: the
# spec's keys, less the architecture (compared element by element) and the
# keys that only identify or assemble the file.
SPEC_PARTS: tuple[str, ...] = tuple(
    name for name in Spec.model_fields if name not in ("mlsd", "id", "extends", "components", "groups", "flows")
)
COMPONENT_FIELDS = ("label", "tech", "description", "icon", "group")
GROUP_FIELDS = ("label", "parent", "description")

# Statuses of one element of the union of both designs.
ADDED, REMOVED, CHANGED, RENAMED, UNCHANGED = "added", "removed", "changed", "renamed", "unchanged"


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its name (a dotted path inside framework parts) and both values."""

    field: str
    old: object
    new: object

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of one entry of `changes`."""
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class Changed:
    """An element present on both sides whose fields differ."""

    id: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class Renamed:
    """An element whose id changed; `reason` says how the two were paired."""

    old: str
    new: str
    reason: str  # "argument" (--rename), "hint" (renamed_from), "match" (same kind and neighbours), "endpoint" (a flow)


@dataclass(frozen=True)
class PartDiff:
    """Added, removed, renamed and changed elements of one kind (components, flows or groups)."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    renamed: tuple[Renamed, ...] = ()
    changed: tuple[Changed, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.renamed or self.changed)


@dataclass(frozen=True)
class Replacement:
    """A component swapped for one of another kind: reported as removed plus added, never a rename."""

    old: str
    new: str
    old_kind: str
    new_kind: str
    reason: str  # "same id", "hint", "argument" or "same neighbours"


@dataclass(frozen=True)
class FlowRecord:
    """One flow of the union of both designs, with its edge on each side."""

    name: str  # as reported: "a -> b", disambiguated when needed
    old_name: str | None  # the name in the old design's ids, when it existed there
    status: str
    old: Edge | None
    new: Edge | None
    changes: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class SpecDiff:
    """Everything that differs between two specs, plus the match the picture needs."""

    old: Spec
    new: Spec
    components: PartDiff
    flows: PartDiff
    groups: PartDiff
    sections: tuple[tuple[str, tuple[FieldChange, ...]], ...]
    matches: tuple[tuple[str, str], ...]  # (old id, new id) of every matched component
    replacements: tuple[Replacement, ...]
    flow_records: tuple[FlowRecord, ...]
    notes: tuple[str, ...]  # hints that were ignored, and why

    @property
    def has_changes(self) -> bool:
        """True when the designs differ in anything the diff reports."""
        return bool(self.components or self.flows or self.groups or self.sections)

    @property
    def shared(self) -> float:
        """Matched components as a share of all components of both designs (0..1)."""
        union = len(self.old.components) + len(self.new.components) - len(self.matches)
        return len(self.matches) / union if union else 1.0


def diff_specs(old: Spec, new: Spec, renames: Mapping[str, str] | None = None) -> SpecDiff:
    """The semantic diff of two validated specs; `renames` maps old ids to new ids.

    Pure: reads the two specs, writes nothing. Raises `DiffError` when `renames`
    names a component that does not exist on its side.
    """
    pairs, reasons, replacements, notes = _match(old, new, dict(renames or {}))
    components = _component_diff(old, new, pairs, reasons)
    records = _flow_records(old, new, pairs)
    flows = PartDiff(
        added=tuple(sorted(r.name for r in records if r.status == ADDED)),
        removed=tuple(sorted(r.name for r in records if r.status == REMOVED)),
        renamed=tuple(
            sorted(
                # A repointed flow has an old edge, so it has an old name too.
                (Renamed(r.old_name, r.name, "endpoint") for r in records if r.old_name is not None and _repointed(r)),
                key=lambda item: (item.new, item.old),
            )
        ),
        changed=tuple(sorted((Changed(r.name, r.changes) for r in records if r.changes), key=lambda c: c.id)),
    )
    sections = _section_diff(old, new, pairs)
    return SpecDiff(
        old=old,
        new=new,
        components=components,
        flows=flows,
        groups=_group_diff(old, new),
        sections=sections,
        matches=tuple(sorted(pairs.items(), key=lambda item: item[1])),
        replacements=tuple(sorted(replacements, key=lambda r: (r.new, r.old))),
        flow_records=records,
        notes=tuple(notes),
    )


# --- matching components ---------------------------------------------------------------------


def _match(
    old: Spec, new: Spec, renames: dict[str, str]
) -> tuple[dict[str, str], dict[str, str], list[Replacement], list[str]]:
    """(old id -> new id, new id -> rename reason, replacements, notes)."""
    pairs: dict[str, str] = {}
    reasons: dict[str, str] = {}
    replacements: list[Replacement] = []
    notes: list[str] = []
    claimed_old: set[str] = set()
    claimed_new: set[str] = set()

    def pair(o: str, n: str, reason: str) -> None:
        claimed_old.add(o)
        claimed_new.add(n)
        old_kind, new_kind = old.components[o].kind, new.components[n].kind
        if old_kind != new_kind:
            replacements.append(Replacement(o, n, old_kind, new_kind, reason))
            return
        pairs[o] = n
        if o != n:
            reasons[n] = reason

    # 1. What the user said on the command line wins over everything.
    _check_renames(old, new, renames)
    for o, n in renames.items():
        pair(o, n, "argument")
        if old.components[o].kind != new.components[n].kind:
            notes.append(f"--rename {o}={n}: the kind changed, so '{n}' replaces '{o}' (not a rename)")

    # 2. Hints written in the new spec.
    for n, comp in new.components.items():
        hint = comp.renamed_from
        if hint is None or n in claimed_new:
            continue
        o = hint
        if o not in old.components:
            notes.append(f"{n}: renamed_from '{o}' is not a component of the old design; hint ignored")
        elif o in claimed_old:
            notes.append(f"{n}: renamed_from '{o}', but '{o}' is already paired; hint ignored")
        elif o in new.components:
            notes.append(f"{n}: renamed_from '{o}', but '{o}' is still in the new design; hint ignored")
        else:
            pair(o, n, "hint")
            if old.components[o].kind != new.components[n].kind:
                notes.append(f"{n}: renamed_from '{o}' with another kind, so it replaces '{o}' (not a rename)")

    # 3. Same id on both sides.
    for o in old.components:
        if o in new.components and o not in claimed_old and o not in claimed_new:
            pair(o, o, "same id")

    # 4. Strong structural match: same kind and the same neighbours once mapped,
    # unique on both sides. Each round can make neighbours equal for the next.
    while True:
        found = _strong_matches(old, new, pairs, claimed_old, claimed_new, with_kind=True)
        if not found:
            break
        for o, n in found:
            pair(o, n, "match")

    # 5. The same position with another kind is a replacement, reported as such.
    for o, n in _strong_matches(old, new, pairs, claimed_old, claimed_new, with_kind=False):
        claimed_old.add(o)
        claimed_new.add(n)
        replacements.append(Replacement(o, n, old.components[o].kind, new.components[n].kind, "same neighbours"))
    return pairs, reasons, replacements, notes


def _check_renames(old: Spec, new: Spec, renames: dict[str, str]) -> None:
    targets: dict[str, str] = {}
    for o, n in renames.items():
        if o not in old.components:
            raise DiffError(f"--rename {o}={n}: the old design has no component '{o}'{_known(old)}")
        if n not in new.components:
            raise DiffError(f"--rename {o}={n}: the new design has no component '{n}'{_known(new)}")
        if n in targets:
            raise DiffError(f"--rename: '{targets[n]}' and '{o}' are both renamed to '{n}'")
        targets[n] = o


def _known(spec: Spec) -> str:
    names = sorted(spec.components)
    shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
    return f" (components: {shown})"


def _strong_matches(
    old: Spec,
    new: Spec,
    pairs: dict[str, str],
    claimed_old: set[str],
    claimed_new: set[str],
    *,
    with_kind: bool,
) -> list[tuple[str, str]]:
    """Unpaired components, absent on the other side, with a unique equal signature."""
    old_free = [c for c in old.components if c not in claimed_old and c not in new.components]
    new_free = [c for c in new.components if c not in claimed_new and c not in old.components]
    if not old_free or not new_free:
        return []

    def old_end(cid: str) -> str:
        # An unmatched old neighbour can never equal a new one.
        return pairs.get(cid, "\0old:" + cid)

    by_signature: dict[object, tuple[list[str], list[str]]] = {}
    for side, spec, free, end in ((0, old, old_free, old_end), (1, new, new_free, str)):
        for cid in free:
            neighbours = _neighbours(spec, cid, end)
            if not neighbours:
                continue  # an isolated component has no structure to match on
            key = (spec.components[cid].kind if with_kind else None, neighbours)
            by_signature.setdefault(key, ([], []))[side].append(cid)
    found = []
    for olds, news in by_signature.values():
        unique = len(olds) == 1 and len(news) == 1
        if unique and (with_kind or old.components[olds[0]].kind != new.components[news[0]].kind):
            found.append((olds[0], news[0]))
    return sorted(found)


def _neighbours(spec: Spec, cid: str, end) -> frozenset[tuple[str, str]]:
    result = set()
    for edge in spec.edges:
        if edge.source == cid:
            result.add(("to", end(edge.target)))
        if edge.target == cid:
            result.add(("from", end(edge.source)))
    return frozenset(result)


# --- components, groups ----------------------------------------------------------------------


def _component_diff(old: Spec, new: Spec, pairs: dict[str, str], reasons: dict[str, str]) -> PartDiff:
    matched_new = set(pairs.values())
    changed = []
    for o, n in pairs.items():
        changes = _component_changes(old, o, new, n)
        if changes:
            changed.append(Changed(n, changes))
    return PartDiff(
        added=tuple(sorted(c for c in new.components if c not in matched_new)),
        removed=tuple(sorted(c for c in old.components if c not in pairs)),
        renamed=tuple(sorted((Renamed(o, n, reasons[n]) for o, n in pairs.items() if o != n), key=lambda r: r.new)),
        changed=tuple(sorted(changed, key=lambda c: c.id)),
    )


def _component_changes(old: Spec, o: str, new: Spec, n: str) -> tuple[FieldChange, ...]:
    before, after = old.components[o], new.components[n]
    changes = []
    for name in COMPONENT_FIELDS:
        if name == "label":
            # Compare what is shown, but only when a label is written: a renamed
            # component keeps its (humanised) default label without noise.
            if (before.label or after.label) and old.label(o) != new.label(n):
                changes.append(FieldChange("label", old.label(o), new.label(n)))
            continue
        a, b = getattr(before, name), getattr(after, name)
        if a != b:
            changes.append(FieldChange(name, a, b))
    return tuple(changes)


def _group_diff(old: Spec, new: Spec) -> PartDiff:
    changed = []
    for gid in sorted(set(old.groups) & set(new.groups)):
        before, after = old.groups[gid], new.groups[gid]
        changes = []
        for name in GROUP_FIELDS:
            if name == "label":
                if (before.label or after.label) and old.group_label(gid) != new.group_label(gid):
                    changes.append(FieldChange("label", old.group_label(gid), new.group_label(gid)))
                continue
            a, b = getattr(before, name), getattr(after, name)
            if a != b:
                changes.append(FieldChange(name, a, b))
        if changes:
            changed.append(Changed(gid, tuple(changes)))
    return PartDiff(
        added=tuple(sorted(set(new.groups) - set(old.groups))),
        removed=tuple(sorted(set(old.groups) - set(new.groups))),
        changed=tuple(changed),
    )


# --- flows -----------------------------------------------------------------------------------


def _flow_records(old: Spec, new: Spec, pairs: dict[str, str]) -> tuple[FlowRecord, ...]:
    """Pair the edges of both sides by (source, target, kind) after mapping old ids."""

    def old_end(cid: str) -> str:
        return pairs.get(cid, "\0old:" + cid)

    old_by_key: dict[tuple[str, str, str], list[Edge]] = {}
    for edge in old.edges:
        old_by_key.setdefault((old_end(edge.source), old_end(edge.target), edge.kind), []).append(edge)
    new_by_key: dict[tuple[str, str, str], list[Edge]] = {}
    for edge in new.edges:
        new_by_key.setdefault((edge.source, edge.target, edge.kind), []).append(edge)

    # (old edge, new edge, changes) in the new design's order, then what only the old one had.
    found: list[tuple[Edge | None, Edge | None, tuple[FieldChange, ...]]] = []
    leftovers: dict[tuple[str, str, str], list[Edge]] = {}
    for key, news in new_by_key.items():
        olds = list(old_by_key.get(key, []))
        unpaired_new = []
        # Identical twins first, so that a list of parallel edges pairs sensibly.
        for edge in news:
            twin = next((e for e in olds if (e.label, e.note) == (edge.label, edge.note)), None)
            if twin is not None:
                olds.remove(twin)
                found.append((twin, edge, ()))
            else:
                unpaired_new.append(edge)
        for edge in unpaired_new:
            if olds:
                before = olds.pop(0)
                found.append((before, edge, _flow_changes(before, edge)))
            else:
                found.append((None, edge, ()))
        leftovers[key] = olds
    for key, olds in old_by_key.items():
        for edge in leftovers.get(key, olds):
            found.append((edge, None, ()))
    new_rank = {id(e): i for i, e in enumerate(new.edges)}
    old_rank = {id(e): i for i, e in enumerate(old.edges)}
    found.sort(key=lambda item: (0, new_rank[id(item[1])]) if item[1] else (1, old_rank[id(item[0])]))

    # Each side names its own flows, so a name is unique within its design.
    old_names = _flow_names(old.edges)
    new_names = _flow_names(new.edges)
    records = []
    for a, b, changes in found:
        old_name = old_names[id(a)] if a is not None else None
        if b is not None:
            name = new_names[id(b)]
        elif old_name is not None:
            name = old_name
        else:
            raise AssertionError("a flow pair with no edge on either side")
        if a is None:
            status = ADDED
        elif b is None:
            status = REMOVED
        elif changes:
            status = CHANGED
        elif (a.source, a.target) != (b.source, b.target):
            status = RENAMED
        else:
            status = UNCHANGED
        records.append(FlowRecord(name, old_name, status, a, b, changes))
    return tuple(records)


def _repointed(record: FlowRecord) -> bool:
    """A flow on both sides whose ends have new ids (a component was renamed)."""
    a, b = record.old, record.new
    return a is not None and b is not None and (a.source, a.target) != (b.source, b.target)


def _flow_changes(before: Edge, after: Edge) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(name, getattr(before, name), getattr(after, name))
        for name in ("label", "note")
        if getattr(before, name) != getattr(after, name)
    )


def _flow_names(edges: tuple[Edge, ...]) -> dict[int, str]:
    """'a -> b', or 'a -> b (kind)' when flows share both ends, then '#n' if still equal."""
    bases = [f"{e.source} -> {e.target}" for e in edges]
    names = [f"{base} ({e.kind})" if bases.count(base) > 1 else base for base, e in zip(bases, edges, strict=False)]
    result: dict[int, str] = {}
    seen: dict[str, int] = {}
    for edge, name in zip(edges, names, strict=False):
        if names.count(name) > 1:
            seen[name] = seen.get(name, 0) + 1
            name = f"{name} #{seen[name]}"
        result[id(edge)] = name
    return result


# --- framework parts -------------------------------------------------------------------------


def _section_diff(old: Spec, new: Spec, pairs: dict[str, str]) -> tuple[tuple[str, tuple[FieldChange, ...]], ...]:
    result = []
    for part in SPEC_PARTS:
        before = section_value(old, part, pairs)
        after = section_value(new, part, {})
        changes: list[FieldChange] = []
        _compare(part, before, after, changes)
        if changes:
            result.append((part, tuple(changes)))
    return tuple(result)


def section_value(spec: Spec, part: str, pairs: dict[str, str]) -> object:
    """A framework part as plain data; component ids in views and steps read through `pairs`."""
    value = getattr(spec, part)
    if part == "views":
        return {
            vid: {"title": view.title, "include": [_mapped(spec, i, pairs) for i in view.include]}
            for vid, view in value.items()
        }
    if part == "steps":
        return [{"title": step.title, "add": [_mapped(spec, i, pairs) for i in step.add]} for step in value]
    if isinstance(value, list):
        return [item.model_dump(mode="json") if hasattr(item, "model_dump") else item for item in value]
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    return value


def _mapped(spec: Spec, name: str, pairs: dict[str, str]) -> str:
    # Views and steps name components by id: read them through the renames.
    return pairs.get(name, name) if name in spec.components else name


def _compare(path: str, old: object, new: object, out: list[FieldChange]) -> None:
    """Append a FieldChange for every leaf that differs; mappings and named lists recurse."""
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(old) + [k for k in new if k not in old]:
            _compare(f"{path}.{key}", old.get(key), new.get(key), out)
        return
    if isinstance(old, list) and isinstance(new, list):
        old_named, new_named = _by_name(old), _by_name(new)
        if old_named is not None and new_named is not None:
            for name in list(old_named) + [n for n in new_named if n not in old_named]:
                _compare(f"{path}[{name}]", old_named.get(name), new_named.get(name), out)
            return
        if old and new and all(isinstance(i, dict) for i in old + new):
            for index in range(max(len(old), len(new))):
                a = old[index] if index < len(old) else None
                b = new[index] if index < len(new) else None
                _compare(f"{path}[{index + 1}]", a, b, out)
            return
    out.append(FieldChange(path, _pruned(old), _pruned(new)))


def _by_name(items: list[object]) -> dict[str, dict[str, object]] | None:
    """Metrics and features keyed by name; None when the list is not such a list."""
    named: dict[str, dict[str, object]] = {}
    for item in items:
        if not isinstance(item, dict):
            return None
        name = item.get("name")
        if not isinstance(name, str):
            return None
        named[name] = item
    return named if len(named) == len(items) else None


def _pruned(value: object) -> object:
    """A value for the report: empty fields of a whole added or removed item left out."""
    if isinstance(value, dict):
        return {k: _pruned(v) for k, v in value.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value
