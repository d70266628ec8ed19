"""Pure plotly figure builders: DataFrame (+ options) -> plotly.graph_objects.Figure. No Streamlit here.

Text from data goes into hover labels and tick labels through :func:`charts.common.esc` (plotly renders a
subset of HTML in those)."""
