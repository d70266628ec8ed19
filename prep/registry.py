"""The view registry: every view of the dashboard declared once. Streamlit-free, so the snapshot, the tests and the
benchmarks read it too. Who reads what:

- ``dashboard.py``: the navigation (module, title, icon, path; the default view and its hidden twin)
- ``app_pages/ui``: the share link's paths, the embed code's iframe height, the snapshot pages' heights
- ``app_pages/<view>.py``: its tabs (``?section=``)
- ``export/snapshot.py``: the index's groups, one per view that has snapshot pages
- ``tests/browser`` and ``bench/``: the list of views to open

Adding a view is its module in ``app_pages/`` and one ``View`` in ``VIEWS``. A view with pages in the static
snapshot also has them built in ``export/snapshot.py`` and its link mapped to them in ``app_pages/ui/snapshot.py``."""
from __future__ import annotations

from dataclasses import dataclass, field

from i18n import N_


@dataclass(frozen=True)
class View:
    path: str  # the view's name and its link's path (/when); the default view is served at the app's root
    module: str  # its script, relative to the project folder
    title: str  # its name in the navigation (a catalogue message id)
    icon: str  # its navigation icon (Streamlit's :material/...: names)
    embed_height: int  # the whole view's iframe height (px) in the embed code
    tabs: tuple[str, ...] = ()  # its lazy tabs (catalogue message ids, in the link as ?section=), in order
    charts: int = 1  # the least number of charts its default link draws (browser tests, benchmarks)
    # the static snapshot: the index's heading for this view's pages, and each kind of page it has with the iframe
    # height that shows it in an article without a scrollbar from 320 to 1400 px wide, in every language
    # (scripts/article.py; tests/browser/test_snapshot.py)
    snapshot_group: str = ""
    snapshot_heights: dict[str, int] = field(default_factory=dict)
    nav_path: str = ""  # its url_path in the navigation when that differs from ``path``
    default: bool = False  # the view at the app's root (exactly one)

    @property
    def url(self) -> str:
        """The view's address relative to the app's root: "" for the default view, else its path."""
        return "" if self.default else self.path

    @property
    def name(self) -> str:
        """The view's name in the navigation and the benchmarks' output ("map" for the default view)."""
        return self.nav_path or self.path


VIEWS: tuple[View, ...] = (
    View("where", "app_pages/where.py", N_("Where"), ":material/public:", 1250, nav_path="map", default=True,
         snapshot_group="World map", snapshot_heights={"map": 900}),
    View("when", "app_pages/when.py", N_("When"), ":material/timeline:", 1000,
         tabs=(N_("Troops abroad"), N_("Deployments and exercises")),
         snapshot_group="Troops over time", snapshot_heights={"troops": 860}),
    View("cost", "app_pages/cost.py", N_("What it costs"), ":material/payments:", 1000,
         tabs=(N_("Outlays"), N_("Budget authority"), N_("Other countries"), N_("FY2024")),
         snapshot_group="What it costs", snapshot_heights={"budget": 710, "sipri": 920}),
    View("country", "app_pages/country.py", N_("Country profile"), ":material/flag:", 1100,
         tabs=(N_("Troops"), N_("Bases and places"), N_("Deployments and events")),
         snapshot_group="Country profiles", snapshot_heights={"country": 760, "authorisations": 990}),
    View("sources", "app_pages/sources_page.py", N_("Sources & data"), ":material/menu_book:", 1200, charts=0),
)


def register(view: View) -> None:
    """Add a view (after the others in the navigation). Its path, name and module must be new."""
    global VIEWS
    taken = {x for v in VIEWS for x in (v.path, v.name)}
    if view.path in taken or view.name in taken or view.module in {v.module for v in VIEWS}:
        raise ValueError(f"view {view.path!r}: its path, name or module is already registered")
    if view.default and any(v.default for v in VIEWS):
        raise ValueError(f"view {view.path!r}: there is already a default view")
    VIEWS = VIEWS + (view,)


def get(path: str) -> View:
    """The view at ``path`` (KeyError for none)."""
    for v in VIEWS:
        if v.path == path:
            return v
    raise KeyError(path)


def default() -> View:
    return next(v for v in VIEWS if v.default)


def paths() -> tuple[str, ...]:
    return tuple(v.path for v in VIEWS)


def urls() -> dict[str, str]:
    """Each view's name -> its address relative to the app's root (the benchmarks' list)."""
    return {v.name: v.url for v in VIEWS}


def snapshot_groups() -> tuple[str, ...]:
    """The snapshot index's headings, in the navigation's order."""
    return tuple(v.snapshot_group for v in VIEWS if v.snapshot_group)


def snapshot_heights() -> dict[str, int]:
    """Every snapshot page kind's iframe height."""
    return {kind: h for v in VIEWS for kind, h in v.snapshot_heights.items()}
