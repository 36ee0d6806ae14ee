"""The public names of ``hbkit``: lazy at run time, typed for a client's type checker."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import hbkit


def _type_checking_imports() -> dict[str, str]:
    """Name -> module of the re-exports under ``if TYPE_CHECKING:`` in hbkit/__init__.py."""
    tree = ast.parse(Path(hbkit.__file__).read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If)
                 and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
    out = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom)
        for alias in node.names:
            # `import X as X` is what tells mypy (and ruff) the name is re-exported
            assert alias.asname == alias.name, alias.name
            out[alias.name] = (f"{node.module}.{alias.name}" if node.module == "hbkit"
                               else str(node.module))
    return out


def test_every_public_name_is_visible_to_type_checkers() -> None:
    """A client's ``mypy --strict`` sees ``hbkit.assess`` and the rest with their real
    types, not ``Any`` from the lazy ``__getattr__``: every public name is re-exported
    under TYPE_CHECKING from the module it is lazily imported from."""
    seen = _type_checking_imports()
    public = set(hbkit.__all__) - {"__version__"}
    assert set(seen) == public
    for name, module in seen.items():
        if name in hbkit._SUBMODULES:
            assert module == f"hbkit.{name}"
        else:
            assert module == hbkit._EXPORTS[name], name
            assert getattr(importlib.import_module(module), name) is getattr(hbkit, name)


def test_import_hbkit_stays_light() -> None:
    code = "import sys, hbkit; print('matplotlib' in sys.modules, 'pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "False"]


def test_import_hbkit_does_not_read_package_metadata_until_the_version_is_asked_for() -> None:
    """``importlib.metadata`` (with ``email``) was nine tenths of ``import hbkit``
    (``python -X importtime -c "import hbkit"``: about 51 of 56 ms); a service or CLI that
    never asks for the version should not pay for it. Asked for, it is the installed one."""
    from importlib.metadata import version

    code = ("import sys, hbkit; print('importlib.metadata' in sys.modules); "
            "print(hbkit.__version__); from hbkit import __version__; print(__version__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", version("hbkit"), version("hbkit")]


def test_the_library_leaves_the_process_wide_warnings_filters_alone() -> None:
    """``warnings.catch_warnings`` swaps a process-wide filter list: in a host that assesses
    in threads, one request's silenced block hid another's warnings (a developer's review
    lost 6,571 of 22,350 of the host's own warnings). Outside the command line, which
    runs alone, hbkit silences numpy with ``np.errstate`` (thread-local) or avoids the
    warning instead."""
    root = Path(hbkit.__file__).parent
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.py")
                 if "cli" not in path.relative_to(root).parts
                 and any(call in line for line in path.read_text(encoding="utf-8").splitlines()
                         if not line.lstrip().startswith((">>>", "...", "#"))
                         for call in ("catch_warnings(", "simplefilter(", "filterwarnings("))]
    assert offenders == []


def test_every_public_name_is_listed_in_the_docs() -> None:
    """A developer embedding hbkit looks up what ``hbkit`` offers in ``docs/index.md``'s
    table of public names: every name of ``__all__`` (``__version__`` included) is there,
    and nothing that is not public; the ``py.typed`` the table speaks of is shipped."""
    root = Path(hbkit.__file__).parent
    text = (root.parent / "docs" / "index.md").read_text(encoding="utf-8")
    section = text.split("### 公共接口 / Public names", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    listed = {name for row in rows for name in row.split("|")[1].replace("`", "").split(", ")}
    assert {name.strip() for name in listed} == set(hbkit.__all__)
    assert (root / "py.typed").is_file()


def test_reports_without_charts_never_import_matplotlib() -> None:
    """A web service renders ``to_html(charts=False)`` (the user guide's advice for one that
    re-renders often), the workbook and the JSON without drawing: matplotlib (its import,
    its memory, its font manager) is not loaded for them. The page without charts used to
    lay out the probability charts' labels, measured in the chart font, and throw them away."""
    code = (
        "import io, sys, warnings, hbkit\n"
        "warnings.simplefilter('ignore')\n"
        "ex = hbkit.datasets.load_example('hebei_example')\n"
        "cat = hbkit.Catalogue([t for t in ex.catalogue if t.domain == 'health'])\n"
        "res = hbkit.assess(ex.targeted(cat), catalogue=cat, as_of=2023, n_draws=100)\n"
        "page = res.to_html(charts=False) + res.to_html(charts=False, lang='en')\n"
        "res.to_excel(io.BytesIO()); res.to_json(); res.to_markdown()\n"
        "print('<img' in page, 'matplotlib' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "False"]
