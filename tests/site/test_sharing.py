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


def test_no_raster_picture_no_image():
    assert share_image('<svg class="chart-fallback"></svg><img src="data:image/png;base64,AA">',
                       "blog/2024/post/index.html", absolute) is None
