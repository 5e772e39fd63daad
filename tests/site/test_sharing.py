"""Link previews: og:image / twitter:image from the post's first picture."""

from explainer.site.sharing import share_image


def absolute(path: str) -> str:
    return "https://example.org" + path


def test_the_first_figure_png_wins_over_other_images():
    body = ('<p><img src="../../../assets/logo.svg" alt=""></p><img src="photo.jpg" alt="x">'
            '<figure><img class="figure-print" src="figures/latent.png" alt="a"></figure>')
    assert share_image(body, "blog/2024/post/index.html", absolute) == \
        "https://example.org/blog/2024/post/figures/latent.png"


def test_an_ordinary_raster_image_relative_to_the_page():
    body = '<figure><img src="../../../assets/img/9.jpg" alt="x"></figure>'
    assert share_image(body, "blog/2024/post/index.html", absolute) == "https://example.org/assets/img/9.jpg"


def test_no_raster_picture_no_image_unless_a_chart():
    assert share_image('<p>text</p><img src="data:image/png;base64,AA">', "blog/2024/post/index.html",
                       absolute) is None
    assert share_image('<svg class="chart-fallback"></svg>', "blog/2024/post/index.html", absolute) == \
        "https://example.org/blog/2024/post/share-chart.png"


def test_chart_png_draws_the_svg_twin():
    import io

    from PIL import Image

    from explainer.figure_spec.static_chart import static_chart_svg
    from explainer.site.chart_png import chart_png
    svg = static_chart_svg({"data": [{"type": "scatter", "x": [1, 2, 3], "y": [3, 1, 2], "line": {"color": "#ff0000"}}]})
    image = Image.open(io.BytesIO(chart_png(svg))).convert("RGB")
    assert image.size == (1280, 720)
    assert (255, 0, 0) in {image.getpixel((x, y)) for x in range(0, 1280, 4) for y in range(0, 720, 4)}
