"""`extends`: apply a spec on top of its base, keeping where each value was written."""

from __future__ import annotations

import itertools

from mlsd.model import FlowSyntaxError, looks_like_flow, parse_flow_text
from mlsd.positions import Entry, Map, Node, Scalar, Seq

# Keys that belong to the file itself, never inherited from a base.
_OWN_KEYS = ("id", "extends")


def normalise_flows(spec: Map) -> Map:
    """Read `- a -> b: label` (YAML sees a one-key mapping) as the flow text 'a -> b: label'."""
    flows = spec.get("flows")
    if not isinstance(flows, Seq):
        return spec
    items = []
    for item in flows.items:
        if isinstance(item, Map) and len(item.entries) == 1:
            ((head, entry),) = item.entries.items()
            if looks_like_flow(head) and isinstance(entry.value, Scalar):
                label = entry.value.value
                text = head if label is None else f"{head}: {_scalar_text(label)}"
                item = Scalar(text, item.loc)
        items.append(item)
    entries = dict(spec.entries)
    entries["flows"] = Entry(spec.entries["flows"].key_loc, Seq(tuple(items), flows.loc, flows.size))
    return Map(entries, spec.loc, spec.size)


def _scalar_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def merge_specs(base: Map, child: Map) -> tuple[Map, set[str]]:
    """The child applied on top of the base, and the component ids it removed.

    Mappings merge key by key, lists and scalars replace, and `null` removes.
    """
    removed: set[str] = set()
    trimmed = Map({k: e for k, e in base.entries.items() if k not in _OWN_KEYS}, base.loc, base.size)
    merged = _merge(trimmed, child, (), removed)
    return _drop_references(merged, removed), removed


def _merge(base: Map, child: Map, path: tuple[str, ...], removed: set[str]) -> Map:
    entries = dict(base.entries)
    for key, entry in child.entries.items():
        value = entry.value
        if isinstance(value, Scalar) and value.value is None:
            entries.pop(key, None)
            if path == ("components",):
                removed.add(key)
            continue
        old = entries.get(key)
        if old is not None and isinstance(old.value, Map) and isinstance(value, Map):
            value = _merge(old.value, value, path + (key,), removed)
        entries[key] = Entry(entry.key_loc, value)
    return Map(entries, child.loc, child.size + base.size)


def _drop_references(spec: Map, removed: set[str]) -> Map:
    """Flows, views and steps lose what touched a removed component."""
    if not removed:
        return spec
    entries = dict(spec.entries)
    flows = spec.get("flows")
    if isinstance(flows, Seq):
        kept = [item for flow in flows.items for item in _surviving_flow(flow, removed)]
        entries["flows"] = Entry(spec.entries["flows"].key_loc, Seq(tuple(kept), flows.loc))
    for key, list_key in (("views", "include"), ("steps", "add")):
        holder = spec.get(key)
        if isinstance(holder, (Map, Seq)):
            entries[key] = Entry(spec.entries[key].key_loc, _filter_lists(holder, list_key, removed))
    return Map(entries, spec.loc, spec.size)


def _surviving_flow(flow: Node, removed: set[str]) -> list[Node]:
    if isinstance(flow, Scalar) and isinstance(flow.value, str):
        try:
            ends, label = parse_flow_text(flow.value)
        except FlowSyntaxError:
            return [flow]  # validation reports it
        pairs = list(itertools.pairwise(ends))
        kept = [(a, b) for a, b in pairs if a not in removed and b not in removed]
        if len(kept) == len(pairs):
            return [flow]
        suffix = f": {label}" if label else ""
        return [Scalar(f"{a} -> {b}{suffix}", flow.loc) for a, b in kept]
    if isinstance(flow, Map):
        entries = dict(flow.entries)
        for key in ("from", "to"):
            end = flow.get(key)
            if isinstance(end, Scalar) and end.value in removed:
                return []
            if isinstance(end, Seq):
                items = tuple(i for i in end.items if not (isinstance(i, Scalar) and i.value in removed))
                if not items:
                    return []
                entries[key] = Entry(flow.entries[key].key_loc, Seq(items, end.loc))
        return [Map(entries, flow.loc, flow.size)]
    return [flow]


def _filter_lists(holder: Map | Seq, list_key: str, removed: set[str]) -> Map | Seq:
    def filtered(node: Node) -> Node | None:
        """The view or step without removed ids; None when nothing is left of it."""
        if not isinstance(node, Map):
            return node
        names = node.get(list_key)
        if not isinstance(names, Seq):
            return node
        items = tuple(i for i in names.items if not (isinstance(i, Scalar) and i.value in removed))
        if not items and names.items:
            return None
        entries = dict(node.entries)
        entries[list_key] = Entry(node.entries[list_key].key_loc, Seq(items, names.loc))
        return Map(entries, node.loc, node.size)

    if isinstance(holder, Seq):
        kept = (filtered(i) for i in holder.items)
        return Seq(tuple(i for i in kept if i is not None), holder.loc)
    kept_values = {k: (e.key_loc, filtered(e.value)) for k, e in holder.entries.items()}
    return Map({k: Entry(at, v) for k, (at, v) in kept_values.items() if v is not None}, holder.loc, holder.size)
