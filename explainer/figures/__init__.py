"""TrainResult → what the reader sees: figure HTML (Plotly JSON, live models), fallback PNGs, and the
checks that keep a figure's claims true. The entry points are `render.render_figure` and
`expect.check_expectations`.

Nothing is imported here: parsing a post needs only `catalog` and `validate`, and should not pay for
numpy, Pillow and the views on every rebuild of a page without figures.
"""
