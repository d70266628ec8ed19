"""The dashboard's views (one module per page), its cached data layer (`data`), shared UI helpers (`ui`) and
pure helpers without Streamlit (`params` for URL parameter validation). Safe CSV downloads are written by
`export.csvfile`, shared with the exports."""
