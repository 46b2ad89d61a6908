"""The code's layout: no module of indexer/ or webapp/ imports, through any chain, a module that imports it back."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("indexer", "webapp")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The project modules a file imports (a package's own __init__ is not counted for `from . import x`)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            submodules = {f"{target}.{alias.name}" for alias in node.names} & modules
            found.update(submodules or {target})
    return (found & modules) - {name}


def import_graph() -> dict[str, set[str]]:
    files = [path for package in PACKAGES for path in (ROOT / package).rglob("*.py")]
    modules = {module_name(path) for path in files}
    return {module_name(path): imports_of(path, modules) for path in files}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import chain that comes back to where it started (one per back edge of a depth-first walk)."""
    found, done, path = [], set(), []

    def walk(module: str) -> None:
        path.append(module)
        for target in sorted(graph[module]):
            if target in path:
                found.append(path[path.index(target):] + [target])
            elif target not in done:
                walk(target)
        path.pop()
        done.add(module)

    for module in sorted(graph):
        if module not in done:
            walk(module)
    return found


def test_no_import_cycles():
    graph = import_graph()
    assert "indexer.update" in graph["indexer.pipeline"]  # the walk sees relative imports
    assert cycles(graph) == []


def test_a_cycle_is_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_the_crawl_states_code_digest_covers_every_module_segmenting_imports():
    # the segmenting code split into modules; a module left out of SEGMENTING_CODE would let `--update` reuse
    # pages segmented by older rules
    from indexer.crawlstate import SEGMENTING_CODE
    graph, seen, todo = import_graph(), set(), ["indexer.segment", "indexer.markup", "indexer.dedupe"]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(graph[module])
    here = ROOT / "indexer"
    covered = {module_name(path) for pattern in SEGMENTING_CODE for path in here.glob(pattern)}
    assert seen <= covered | {"indexer.readers", "indexer"}, sorted(seen - covered)
