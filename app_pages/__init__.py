"""The dashboard's views (one module per page), its cached data layer (`data`), shared UI helpers (`ui`) and
pure helpers without Streamlit (`export` for safe CSV downloads, `params` for URL parameter validation)."""
