"""The page's own CSS and scripts are files in app_pages/ui/assets, read once: what reaches the page carries no
comments, each script is one <script> element, the embed code's script stays on one line, and every file is used."""
from __future__ import annotations

from pathlib import Path

from app_pages import ui
from app_pages.ui import assets

UI = Path(ui.__file__).parent


def test_style_sheets_reach_the_page_without_their_comments():
    for css in (ui.PAGE_CSS, ui.CHART_ONLY_CSS):
        assert "/*" not in css and "*/" not in css
    assert ".fp-brand {" in ui.PAGE_CSS and "@media (max-width: 640px)" in ui.PAGE_CSS
    assert '[data-testid="stPlotlyChart"]' in ui.CHART_ONLY_CSS


def test_scripts_are_one_element_each_without_their_files_comment():
    for name in ("chart-height.js", "snapshot-resize.js"):
        script = assets.script(name)
        assert script.startswith("<script>") and script.endswith("</script>") and script.count("<script") == 1
        assert "/*" not in script
    assert ui.CHART_HEIGHT_SCRIPT == assets.script("chart-height.js")
    assert ui.SNAPSHOT_RESIZE == assets.script("snapshot-resize.js") and "\n" not in ui.SNAPSHOT_RESIZE


def test_every_asset_file_is_read_by_the_package():
    code = "".join(p.read_text(encoding="utf-8") for p in UI.glob("*.py"))
    for path in assets.ASSETS.iterdir():
        assert f'"{path.name}"' in code, f"{path.name} is never loaded"
