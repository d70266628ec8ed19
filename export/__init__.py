"""Exports that work without the app: the data package (every table in one zip with a Frictionless
``datapackage.json``) and the static snapshot (the charts readers embed, as HTML with plotly.js and the map
outlines shipped once). No Streamlit import anywhere in this package.

``csvfile`` is the one CSV writer of every download (the app's included).

``python -m export datapackage OUT.zip`` and ``python -m export snapshot OUT/`` (see ``export/__main__.py``).
"""
