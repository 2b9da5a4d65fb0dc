"""What a content folder already holds, so an import adds to it instead of clashing with it: the ids in use, the
addresses of its sources (an imported source with a known address reuses the record), its tracks and whether it
has `dyad.yaml`. Reads raw YAML nodes, so a folder with errors can still be imported into. Entry point:
`scan_existing()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..load import CONFIG_FILE, MappingNode, Scalar, SequenceNode, load_content
from ..model import FOLDERS


@dataclass
class Existing:
    ids: set[str] = field(default_factory=set)
    files: dict[str, Path] = field(default_factory=dict)
    source_urls: dict[str, str] = field(default_factory=dict)
    tracks: dict[str, str] = field(default_factory=dict)
    has_config: bool = False


def _text(node: object) -> str:
    return node.value.strip() if isinstance(node, Scalar) else ""


def scan_existing(root: Path) -> Existing:
    """The ids, files, source addresses and declared tracks under `root` (empty when it does not exist)."""
    found = Existing()
    if not root.is_dir():
        return found
    for folder in FOLDERS:
        for path in sorted((root / folder).glob("*")) if (root / folder).is_dir() else []:
            found.ids.add(path.stem)
            found.files[f"{folder}/{path.stem}"] = path
    found.has_config = (root / CONFIG_FILE).is_file()
    loaded = load_content(root, FOLDERS)
    for raw in loaded.records:
        url = raw.fields.entries.get("url")
        if raw.kind == "source" and url is not None and _text(url.value):
            found.source_urls.setdefault(_text(url.value), raw.id)
    tracks = loaded.config.fields.entries.get("tracks") if loaded.config else None
    if tracks is not None and isinstance(tracks.value, SequenceNode):
        for item in tracks.value.items:
            if isinstance(item, MappingNode) and "id" in item.entries:
                title = item.entries.get("title")
                found.tracks[_text(item.entries["id"].value)] = _text(title.value) if title else ""
    return found
