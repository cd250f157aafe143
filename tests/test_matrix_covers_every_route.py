"""Issue 15: every route the app serves is in a permission matrix. The routes are read from the URL map,
so a new route (browser or API) without a matrix entry fails here, whichever package adds it.

The matrices live beside their packages (tests/**/test_*permission*.py and test_permission_matrix.py);
this test gathers their Route lists as pytest imported them, builds each entry's URL in a real matrix
world and asks the URL map which endpoint serves it.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

from permission_matrix import Route

TESTS = Path(__file__).resolve().parent
MATRIX_FILES = sorted({*TESTS.glob("**/test_*permission*.py"), TESTS / "test_permission_matrix.py"})
#: served routes no role matrix is about: static files and the favicon's redirect
UNGUARDED = {"static", "favicon"}


def _module(path: Path) -> ModuleType:
    """The matrix module as pytest imported it (prepend mode: by its file name, its folder on the path)."""
    for module in list(sys.modules.values()):
        if getattr(module, "__file__", None) and Path(module.__file__).resolve() == path:
            return module
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))
    return importlib.import_module(path.stem)


def matrix_routes() -> list[Route]:
    routes: list[Route] = []
    for path in MATRIX_FILES:
        for value in vars(_module(path)).values():
            if isinstance(value, list) and value and all(isinstance(r, Route) for r in value):
                routes.extend(value)
    return routes


#: every matrix module's set-up: each entry's URL is built in a world that has what it names
MATRIX_SETUPS = tuple(setup for path in MATRIX_FILES for setup in getattr(_module(path), "MATRIX_SETUPS", ()))


def test_every_served_route_has_a_matrix_entry(app, matrix):
    routes = matrix_routes()
    adapter = app.url_map.bind("localhost")
    listed = set()
    for route in routes:
        path = route.path(matrix.world, matrix.world.own).split("?")[0]
        listed.add((route.method, adapter.match(path, method=route.method)[0]))
    served = {
        (method, rule.endpoint)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[-1] not in UNGUARDED and rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    missing = sorted(f"{method} {endpoint}" for method, endpoint in served - listed)
    assert not missing, "routes without a permission-matrix entry:\n" + "\n".join(missing)
