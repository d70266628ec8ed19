"""A plotly figure that Streamlit serialises without copying it (plotly 7.1, streamlit 1.67), kept apart from
``compat/__init__.py`` so that importing the light workarounds (the launcher, the health probe) never imports
plotly.

What it relies on, checked by tests/test_compat.py: ``st.plotly_chart`` hands a figure to
``plotly.tools.return_figure_from_figure_or_data``, which takes ``figure.to_dict()`` as validated and does not
copy it again, then writes it with ``plotly.io.to_json(figure, validate=False)``, whose orjson engine writes an
``orjson.Fragment`` as it is.
"""
from __future__ import annotations

import plotly.graph_objects as go

WRITTEN_FOR = {"streamlit": "1.67.0", "plotly": "7.1.0", "orjson": "3.11.5"}


class SerialisedFigure(go.Figure):
    """A figure whose ``to_dict()`` returns a dict made once: ``st.plotly_chart`` calls ``to_dict()`` on every run,
    a deep copy of the whole figure (for the world map 5-10 ms, for the animation with every year 20-35 ms), before
    serialising it. The dict is shared and read-only. ``data`` and ``layout`` (optional) are what plotly's own API
    sees (a title for :func:`charts.common.fit_title`, a first frame for the image export); the dict is what is
    shown."""

    def __init__(self, spec: dict, data=None, layout=None):
        super().__init__(data=data, layout=layout)
        self._fp_spec = _traces_as_json(spec)

    def to_dict(self) -> dict:
        return self._fp_spec


def _traces_as_json(spec: dict) -> dict:
    """The figure's JSON made once, in pieces plotly's orjson encoder writes as they are (``orjson.Fragment``): an
    animation's frames whole (over 90% of its 1-1.4 MB), and each trace's and the layout's lists and dicts (the
    world map's every country: encoding them took 5-6 ms of its every run). The dicts around the pieces stay:
    plotly pops each trace's ``uid`` (there is none) and Streamlit reads the layout's height and width (numbers,
    kept as they are). The text is exactly what plotly's encoder makes of each piece (``to_json_plotly``, its
    escapes included), and escaping it again changes nothing. Without orjson the figure stays as it is."""
    try:
        import orjson
        import plotly.io as pio
        from plotly.io.json import to_json_plotly

        if pio.json.config.default_engine not in ("orjson", "auto") or not hasattr(orjson, "Fragment"):
            return spec
    except ImportError:
        return spec

    def piece(value):
        return orjson.Fragment(to_json_plotly(value, engine="orjson"))

    def pieces(d: dict) -> dict:
        return {k: piece(v) if isinstance(v, (dict, list, tuple)) or hasattr(v, "tolist") else v for k, v in d.items()}

    out = dict(spec)
    if isinstance(spec.get("data"), list):
        out["data"] = [pieces(trace) if isinstance(trace, dict) else trace for trace in spec["data"]]
    if isinstance(spec.get("layout"), dict):
        out["layout"] = pieces(spec["layout"])
    if spec.get("frames"):
        out["frames"] = piece(spec["frames"])
    return out
