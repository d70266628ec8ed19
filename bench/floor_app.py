"""The framework floor: the smallest Streamlit page that draws one plotly chart.

bench/first_chart.py compares every dashboard view against this page (same server, same browser), and the
load driver and health check are tested against it. `?year=` is bound to a widget so a rerun changes the chart.
"""
import plotly.graph_objects as go
import streamlit as st

year = st.selectbox("Year", list(range(2025, 1949, -1)), key="year", bind="query-params")
xs = list(range(1950, 2026))
fig = go.Figure(go.Bar(x=xs, y=[(x * 37) % 101 for x in xs], marker_color=["#8c1c13" if x == year else "#999" for x in xs]))
fig.update_layout(height=360, margin=dict(l=40, r=10, t=30, b=30), title=f"Floor chart ({year})")
st.plotly_chart(fig)
