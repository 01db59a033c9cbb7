"""The shape of the code: which layers may import which, and what each stage may read and write."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import newsgraph

PKG = Path(newsgraph.__file__).parent


def _module(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every newsgraph module a file imports, relative imports resolved."""
    mod = _module(path)
    package = mod if path.name == "__init__.py" else mod.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("newsgraph")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            if name.startswith("newsgraph"):
                out.add(name)
                out |= {f"{name}.{a.name}" for a in node.names}
    return out


def _layer_imports(layer: str) -> dict[str, set[str]]:
    root = PKG / layer if (PKG / layer).is_dir() else PKG / f"{layer}.py"
    files = [root] if root.is_file() else sorted(root.rglob("*.py"))
    return {_module(f): _imports(f) for f in files}


@pytest.mark.parametrize("layer, forbidden", [
    ("model", ("newsgraph.stages",)),
    ("knowledge", ("newsgraph.stages",)),
    ("store", ("newsgraph.stages",)),
    ("stages", ("newsgraph.io", "newsgraph.store", "newsgraph.run", "newsgraph.cli")),
    ("api", ("newsgraph.stages", "newsgraph.run", "newsgraph.cli")),      # it reads the store, nothing more
])
def test_layers_import_only_downwards(layer, forbidden):
    bad = {mod: sorted(i for i in imports if i.startswith(forbidden))
           for mod, imports in _layer_imports(layer).items()}
    assert not {m: i for m, i in bad.items() if i}


def test_the_import_reader_sees_relative_imports():
    # the check above is only worth something if it would see a forbidden import
    imports = _layer_imports("stages")["newsgraph.stages.events"]
    assert "newsgraph.knowledge" in imports and "newsgraph.stages.events.roles" in imports


def test_a_stage_alone_brings_what_it_requires():
    from newsgraph.pipeline import Pipeline
    from newsgraph.model import Article
    p = Pipeline(stages=["events"])
    assert [s.name for s in p.stages][:2] == ["sentences", "duplicates"]
    text = "Kenya praised Uganda for the deal.\nKenya praised Uganda for the deal."
    events = p.analyze(Article(id="r", text=text, published="2025-03-14")).events
    assert len([e for e in events if e.type == "SUPPORT"]) == 1


def test_no_stage_writes_the_gazetteer_cache_only_the_pipeline_does(tmp_path, monkeypatch):
    from newsgraph.knowledge import Knowledge
    from newsgraph.model import Article
    from newsgraph.pipeline import Pipeline
    monkeypatch.setenv("NEWSGRAPH_CACHE", str(tmp_path))
    kb = Knowledge()
    kb.gazetteer.lookup("Paris")                  # a stage's use: built in memory, nothing written
    assert not list(tmp_path.iterdir())
    Pipeline(stages=["places"], knowledge=Knowledge()).analyze(Article(id="g", text="He flew to Oslo."))
    assert [p.suffix for p in tmp_path.iterdir()] == [".pickle"]


class _Unread(list):
    """A field a stage may not read: any use of it fails the test."""

    def _fail(self, *args, **kwargs):
        raise AssertionError("read a field that no required stage assigns")

    __iter__ = __len__ = __getitem__ = __bool__ = __contains__ = __add__ = __radd__ = _fail


FIELDS = ("sentences", "duplicates", "entities", "quotes", "attitudes", "events", "places", "times", "figures")
ARTICLE = ("Norway's foreign minister Kari Holm said on Monday in Oslo that Sweden had closed the border. "
           "\"We will not accept this,\" she said. Sweden's government denied it, and 200 people protested "
           "in Stockholm.\nNorway's foreign minister Kari Holm said on Monday in Oslo that Sweden had closed the border.")


def _assigned(st) -> tuple[str, ...]:
    return st.assigns if isinstance(st.assigns, tuple) else (st.assigns,)


@pytest.mark.parametrize("name", ["sentences", "duplicates", "entities", "quotes", "events", "places", "times",
                                  "figures", "setting"])
def test_each_stage_reads_what_it_requires_and_writes_what_it_assigns(name, pipeline):
    import copy
    from newsgraph.model import Analysis, Article
    from newsgraph.pipeline import Pipeline
    p = Pipeline(stages=[name], nlp=pipeline.nlp, knowledge=pipeline.knowledge)
    *before, last = p.stages
    assert last.name == name
    doc = p.nlp(ARTICLE)
    analysis = Analysis(article=Article(id="c", text=ARTICLE, published="2025-03-14"))
    for st in before:                             # what the stage requires, run as the pipeline runs it
        result = st.func(doc, analysis, p.knowledge, **({"config": p.config[st.name]} if st.name in p.config else {}))
        for field, value in zip(_assigned(st), result if isinstance(st.assigns, tuple) else (result,)):
            setattr(analysis, field, value)
    readable = {f for st in before for f in _assigned(st)}
    for field in FIELDS:
        if field not in readable:
            setattr(analysis, field, _Unread())
    kept = {f: copy.deepcopy(getattr(analysis, f)) for f in readable}
    result = last.func(doc, analysis, p.knowledge, **({"config": p.config[name]} if name in p.config else {}))
    out = dict(zip(_assigned(last), result if isinstance(last.assigns, tuple) else (result,)))
    assert all(isinstance(v, list) for v in out.values())
    for field in readable - set(out):
        assert getattr(analysis, field) == kept[field], f"{name} changed {field}, which it does not assign"
    for field in readable & set(out):
        assert getattr(analysis, field) == kept[field], f"{name} changed the earlier {field} records in place"


def test_a_batch_stage_is_called_once_per_batch_and_a_failure_stays_with_its_article(monkeypatch, pipeline):
    from newsgraph.model import Article, ArticleError, Figure
    from newsgraph.pipeline import Pipeline
    from newsgraph.stages import REGISTRY, stage

    monkeypatch.setattr("newsgraph.stages.REGISTRY", dict(REGISTRY))
    calls = []

    @stage("lengths", assigns="figures", requires=["sentences"], batch=True)
    def lengths(docs, analyses, kb):
        calls.append(len(docs))
        if any("boom" in a.text for a in analyses):
            raise ValueError("boom")
        return [[Figure(0, len(d.text), d.text, float(len(d)))] for d in docs]

    p = Pipeline(stages=["lengths"], nlp=pipeline.nlp, knowledge=pipeline.knowledge, batch_size=3)
    texts = ["One two three.", "Four five.", "It went boom.", "Six."]
    out = list(p.pipe(Article(id=str(i), text=t) for i, t in enumerate(texts)))
    assert [type(x).__name__ for x in out] == ["Analysis", "Analysis", "ArticleError", "Analysis"]
    assert isinstance(out[2], ArticleError) and out[2].article_id == "2" and "lengths" in out[2].message
    assert [x.figures[0].value for x in out if not isinstance(x, ArticleError)] == [4.0, 3.0, 2.0]
    assert calls == [3, 1, 1, 1, 1]               # a batch at once; after its failure, each alone
